/**
 * Connecting an X account: OAuth 2.0 authorization code with PKCE (S256),
 * the app's secret sent with HTTP Basic to `api.x.com/2/oauth2/token`; the
 * scopes let Herald post, upload media and stay connected (`offline.access`
 * gives a refresh token, single-use: every refresh answers a new one, which
 * must be kept before it is used). Who the account is: `GET /2/users/me`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet, TokenVerifier, profileOf } from '../../connector';
import { NetworkEndpoints } from '../../endpoints';
import { NetworkError } from '../../errors';
import { NetworkClient } from '../../http/network-client';
import { field } from '../../http/http';
import { TokenEndpoint, authorizeUrl, exchangeCode, refreshTokens } from '../../oauth';
import { xError } from './x.errors';

export const X_SCOPES = 'tweet.read tweet.write users.read media.write offline.access';

export class XConnector implements OAuthConnector, TokenRefresher, TokenVerifier, ProfileReader {
  readonly network = 'x' as const;
  /** Access tokens live two hours: renewed in their last five minutes. */
  readonly refreshAheadMs = 5 * 60_000;
  readonly renewsWith = 'refresh_token' as const;

  constructor(
    private readonly endpoints: NetworkEndpoints,
    private readonly timeoutMs: number,
  ) {}

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.endpoints.x.authorize, {
      response_type: 'code',
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      scope: X_SCOPES,
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const tokens = await exchangeCode(this.tokenEndpoint(), request.client, { code: request.code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier }, this.timeoutMs);
    return [await this.identify(tokens)];
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return credentials.refreshToken !== undefined && credentials.client !== undefined;
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    if (!credentials.refreshToken || !credentials.client) throw new NetworkError('auth_revoked', 'no_refresh_token', 'This X channel has no refresh token: reconnect it');
    return refreshTokens(this.tokenEndpoint(), credentials.client, credentials.refreshToken, this.timeoutMs);
  }

  verify(accessToken: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken });
  }

  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    return profileOf(await this.identify({ accessToken: credentials.accessToken }));
  }

  /** Who the token is for, with the name and avatar X shows (`profile_image_url` only when asked for). */
  private async identify(tokens: TokenSet): Promise<ConnectedAccount> {
    const api = new NetworkClient(this.endpoints.x.api, this.timeoutMs, { credentials: { handle: '', accessToken: tokens.accessToken } }, xError);
    const me = (await api.get('/2/users/me', { 'user.fields': 'profile_image_url,name,username' })).body;
    const id = field(me, 'data', 'id');
    const username = field(me, 'data', 'username');
    if (!id || !username) throw new NetworkError('rejected', 'bad_answer', 'X answered /2/users/me without the user');
    const image = field(me, 'data', 'profile_image_url');
    // X hands out the 48-pixel `_normal` image; the same path with `_400x400` is the larger one.
    return { accountId: id, handle: username, displayName: field(me, 'data', 'name') ?? null, avatarUrl: image ? image.replace(/_normal(\.\w+)$/, '_400x400$1') : null, tokens };
  }

  private tokenEndpoint(): TokenEndpoint {
    return { issuer: new URL(this.endpoints.x.token).origin, url: this.endpoints.x.token, auth: 'basic' };
  }
}
