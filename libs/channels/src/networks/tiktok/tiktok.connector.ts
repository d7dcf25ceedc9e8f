/**
 * Connecting a TikTok account: TikTok's OAuth v2 with PKCE (S256), the app
 * named by its client key (`client_key`, not `client_id`) in the consent
 * URL and, with its secret, in the token request's form; scopes
 * `user.info.basic,user.info.profile,video.publish`. Access tokens live a
 * day and are renewed with the refresh token (a year; TikTok may answer a
 * new one). The account is `GET /v2/user/info/` (open id, username, name,
 * avatar); what the creator may post (`creator_info/query`) is kept in the
 * channel's details, read again before each post. Sources:
 * developers.tiktok.com `/doc/oauth-user-access-token-management`,
 * `/doc/login-kit-web`, `/doc/tiktok-api-v2-get-user-info`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet, TokenVerifier, profileOf } from '../../connector';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { authorizeUrl } from '../../oauth';
import { readCreator } from './tiktok.creator';
import { tiktokError } from './tiktok.errors';

export const TIKTOK_SCOPES = 'user.info.basic,user.info.profile,video.publish';

export class TikTokConnector implements OAuthConnector, TokenRefresher, TokenVerifier, ProfileReader {
  readonly network = 'tiktok' as const;
  readonly refreshAheadMs = 10 * 60_000;
  readonly renewsWith = 'refresh_token' as const;

  constructor(
    private readonly endpoints: Record<string, string>,
    private readonly timeoutMs: number,
  ) {}

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.endpoints.authorize!, {
      client_key: request.client.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: TIKTOK_SCOPES,
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const tokens = await this.token({
      client_key: request.client.clientId,
      client_secret: request.client.clientSecret,
      code: request.code,
      grant_type: 'authorization_code',
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
    });
    const granted = (tokens.scope ?? '').split(',');
    if (!granted.includes('video.publish')) throw new NetworkError('rejected', 'scope_not_granted', 'TikTok did not grant video.publish: connect again and allow Herald to post videos');
    return [await this.identify(tokens)];
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return credentials.refreshToken !== undefined && credentials.client !== undefined;
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    if (!credentials.refreshToken || !credentials.client) throw new NetworkError('auth_revoked', 'no_refresh_token', 'TikTok granted no refresh token: reconnect the channel');
    return this.token({ client_key: credentials.client.clientId, client_secret: credentials.client.clientSecret, grant_type: 'refresh_token', refresh_token: credentials.refreshToken });
  }

  verify(accessToken: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken });
  }

  /** The account as TikTok shows it now, and what the creator may post now (kept in the channel's details: compose offers it). */
  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    const account = await this.identify({ accessToken: credentials.accessToken });
    return { ...profileOf(account), ...(account.details ? { details: account.details } : {}) };
  }

  /** `POST /v2/oauth/token/` (a form): TikTok's tokens, its `{error, error_description, log_id}` read as its other errors. */
  private async token(form: Record<string, string>): Promise<TokenSet> {
    const client = new NetworkClient(this.endpoints.token!, this.timeoutMs, {}, tiktokError);
    const { body } = await client.post('', form, { as: 'form' });
    const accessToken = field(body, 'access_token');
    if (!accessToken) throw new NetworkError('rejected', field(body, 'error') ?? 'no_token', field(body, 'error_description') ?? 'TikTok answered no access token');
    const expiresIn = Number(field(body, 'expires_in'));
    const refreshToken = field(body, 'refresh_token');
    const scope = field(body, 'scope');
    return {
      accessToken,
      ...(refreshToken ? { refreshToken } : {}),
      ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}),
      ...(scope ? { scope } : {}),
    };
  }

  /** The account (`/v2/user/info/`) and what it may post (`creator_info/query`). */
  private async identify(tokens: TokenSet): Promise<ConnectedAccount> {
    const api = new NetworkClient(this.endpoints.api!, this.timeoutMs, { credentials: { handle: '', accessToken: tokens.accessToken } }, tiktokError);
    const { body } = await api.get('/v2/user/info/', { fields: 'open_id,union_id,avatar_url,display_name,username' });
    const openId = field(body, 'data', 'user', 'open_id');
    if (!openId) throw new NetworkError('transient', 'bad_answer', 'TikTok answered the user without its open_id', { ambiguous: false });
    const username = field(body, 'data', 'user', 'username') ?? openId;
    return {
      accountId: openId,
      handle: username,
      displayName: field(body, 'data', 'user', 'display_name') ?? username,
      avatarUrl: field(body, 'data', 'user', 'avatar_url') ?? null,
      tokens,
      details: { creator: await readCreator(api) },
    };
  }
}
