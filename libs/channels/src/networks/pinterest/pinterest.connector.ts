/**
 * Connecting a Pinterest account: OAuth 2.0 authorization code
 * (`boards:read,pins:read,pins:write,user_accounts:read`), the app proving
 * itself with HTTP Basic at `/v5/oauth/token`; the account is
 * `GET /v5/user_account`, its boards `GET /v5/boards` (the first one is the
 * channel's board until another is chosen). Access tokens live 30 days,
 * refresh tokens a year. Source: developers.pinterest.com
 * `/docs/getting-started/authentication-and-scopes/`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet, TokenVerifier, profileOf } from '../../connector';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { authorizeUrl, refreshTokens } from '../../oauth';
import { pinterestError } from './pinterest.errors';

export const PINTEREST_SCOPES = 'boards:read,pins:read,pins:write,user_accounts:read';

/** A board as the channel keeps it. */
export interface PinterestBoard {
  id: string;
  name: string;
}

export class PinterestConnector implements OAuthConnector, TokenRefresher, TokenVerifier, ProfileReader {
  readonly network = 'pinterest' as const;
  readonly refreshAheadMs = 3 * 86_400_000;
  readonly renewsWith = 'refresh_token' as const;

  constructor(
    private readonly endpoints: Record<string, string>,
    private readonly timeoutMs: number,
  ) {}

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.endpoints.authorize!, {
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: PINTEREST_SCOPES,
      state: request.state,
    });
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const basic = Buffer.from(`${request.client.clientId}:${request.client.clientSecret}`).toString('base64');
    const reply = await new NetworkClient('', this.timeoutMs, {}, pinterestError).post(
      this.endpoints.token!,
      { grant_type: 'authorization_code', code: request.code, redirect_uri: request.redirectUri },
      { as: 'form', headers: { authorization: `Basic ${basic}` } },
    );
    return [await this.identify(tokensOf(reply.body))];
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return credentials.refreshToken !== undefined && credentials.client !== undefined;
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    if (!credentials.refreshToken || !credentials.client) throw new NetworkError('auth_revoked', 'no_refresh_token', 'Pinterest granted no refresh token: reconnect the channel');
    return refreshTokens({ issuer: 'https://api.pinterest.com', url: this.endpoints.token!, auth: 'basic' }, credentials.client, credentials.refreshToken, this.timeoutMs);
  }

  verify(accessToken: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken });
  }

  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    return profileOf(await this.identify({ accessToken: credentials.accessToken }));
  }

  /** The account and its boards: the channel posts to the first until another is chosen. */
  private async identify(tokens: TokenSet): Promise<ConnectedAccount> {
    const api = new NetworkClient(this.endpoints.api!, this.timeoutMs, { credentials: { handle: '', accessToken: tokens.accessToken } }, pinterestError);
    const me = (await api.get('/v5/user_account')).body;
    const username = field(me, 'username');
    if (!username) throw new NetworkError('rejected', 'bad_answer', 'Pinterest answered /v5/user_account without a username');
    const boards: PinterestBoard[] = list((await api.get('/v5/boards', { page_size: '100' })).body, 'items').flatMap((board) => {
      const id = field(board, 'id');
      return id ? [{ id, name: field(board, 'name') ?? id }] : [];
    });
    if (boards.length === 0) throw new NetworkError('rejected', 'no_board', `The Pinterest account ${username} has no board to pin to: make one on Pinterest, then connect again`);
    return {
      accountId: field(me, 'id') ?? username,
      handle: username,
      displayName: field(me, 'business_name') ?? username,
      avatarUrl: field(me, 'profile_image') ?? null,
      tokens,
      details: { boards, boardId: boards[0]!.id },
    };
  }
}

function tokensOf(body: unknown): TokenSet {
  const accessToken = field(body, 'access_token');
  if (!accessToken) throw new NetworkError('rejected', 'invalid_token_response', 'Pinterest answered the code exchange without an access token');
  const expiresIn = Number(field(body, 'expires_in'));
  const refreshToken = field(body, 'refresh_token');
  const scope = field(body, 'scope');
  return {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(scope ? { scope } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}),
  };
}
