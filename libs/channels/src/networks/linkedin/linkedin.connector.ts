/**
 * Connecting a LinkedIn member: OAuth 2.0 authorization code (`openid
 * profile w_member_social`), the app's secret in the form; the person is
 * `GET /v2/userinfo`'s `sub` (their URN is urn:li:person:<sub>). Tokens live
 * sixty days; refresh tokens come only to approved partners: without one,
 * the channel is announced as expiring a week ahead so a person reconnects.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet, TokenVerifier, profileOf } from '../../connector';
import { NetworkEndpoints } from '../../endpoints';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { authorizeUrl, refreshTokens } from '../../oauth';
import { linkedinError } from './linkedin.errors';

export const LINKEDIN_SCOPES = 'openid profile w_member_social';

export class LinkedInConnector implements OAuthConnector, TokenRefresher, TokenVerifier, ProfileReader {
  readonly network = 'linkedin' as const;
  readonly refreshAheadMs = 7 * 86_400_000;
  readonly renewsWith = 'refresh_token' as const;

  constructor(
    private readonly endpoints: NetworkEndpoints,
    private readonly timeoutMs: number,
  ) {}

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.endpoints.linkedin.authorize, {
      response_type: 'code',
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      state: request.state,
      scope: LINKEDIN_SCOPES,
    });
  }

  /**
   * The exchange is a plain form POST read by hand: LinkedIn answers with an
   * OpenID `id_token` whose issuer oauth4webapi would insist on checking
   * against LinkedIn's own, which only the real LinkedIn can match.
   */
  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const reply = await this.oauthClient().post(
      this.endpoints.linkedin.token,
      { grant_type: 'authorization_code', code: request.code, redirect_uri: request.redirectUri, client_id: request.client.clientId, client_secret: request.client.clientSecret },
      { as: 'form' },
    );
    return [await this.identify(tokensOf(reply.body))];
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return credentials.refreshToken !== undefined && credentials.client !== undefined;
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    if (!credentials.refreshToken || !credentials.client) throw new NetworkError('auth_revoked', 'no_refresh_token', 'LinkedIn granted no refresh token: reconnect the channel');
    return refreshTokens({ issuer: 'https://www.linkedin.com/oauth', url: this.endpoints.linkedin.token, auth: 'post' }, credentials.client, credentials.refreshToken, this.timeoutMs);
  }

  verify(accessToken: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken });
  }

  private async identify(tokens: TokenSet): Promise<ConnectedAccount> {
    const api = new NetworkClient(this.endpoints.linkedin.api, this.timeoutMs, { credentials: { handle: '', accessToken: tokens.accessToken } }, linkedinError);
    const me = (await api.get('/v2/userinfo')).body;
    const sub = field(me, 'sub');
    if (!sub) throw new NetworkError('rejected', 'bad_answer', 'LinkedIn answered /v2/userinfo without the member (sub)');
    // userinfo names no vanity name: the person is known by their name.
    const name = field(me, 'name') ?? null;
    return { accountId: sub, handle: name ?? sub, displayName: name, avatarUrl: field(me, 'picture') ?? null, tokens, details: { name } };
  }

  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    return profileOf(await this.identify({ accessToken: credentials.accessToken }));
  }

  private oauthClient(): NetworkClient {
    return new NetworkClient('', this.timeoutMs, {}, linkedinError);
  }
}

function tokensOf(body: unknown): TokenSet {
  const accessToken = field(body, 'access_token');
  if (!accessToken) throw new NetworkError('rejected', 'invalid_token_response', 'LinkedIn answered the code exchange without an access token');
  const expiresIn = Number(field(body, 'expires_in'));
  const refreshToken = field(body, 'refresh_token');
  return { accessToken, ...(refreshToken ? { refreshToken } : {}), ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}) };
}
