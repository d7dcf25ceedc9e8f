/**
 * Connecting a Threads account: Meta's OAuth at threads.net
 * (`threads_basic,threads_content_publish,threads_delete`: the last for unpublishing), the code to
 * `graph.threads.net/oauth/access_token` (a one-hour token and the user id),
 * at once exchanged for a sixty-day token (`th_exchange_token`), renewed a
 * week before it lapses (`th_refresh_token`; Meta renews only a token at
 * least a day old). Who the account is: `GET /v1.0/me?fields=id,username`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet, TokenVerifier, profileOf } from '../../connector';
import { NetworkEndpoints } from '../../endpoints';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { authorizeUrl } from '../../oauth';
import { graphClient, tokenOf } from '../meta/meta-oauth';

export const THREADS_SCOPES = 'threads_basic,threads_content_publish,threads_delete';

export class ThreadsConnector implements OAuthConnector, TokenRefresher, TokenVerifier, ProfileReader {
  readonly network = 'threads' as const;
  readonly refreshAheadMs = 7 * 86_400_000;
  readonly renewsWith = 'access_token' as const;

  constructor(
    private readonly endpoints: NetworkEndpoints,
    private readonly timeoutMs: number,
  ) {}

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.endpoints.threads.authorize, {
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      scope: THREADS_SCOPES,
      response_type: 'code',
      state: request.state,
    });
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const graph = graphClient(this.endpoints.threads.graph, this.timeoutMs);
    const short = tokenOf(
      await graph.post(
        '/oauth/access_token',
        { client_id: request.client.clientId, client_secret: request.client.clientSecret, grant_type: 'authorization_code', redirect_uri: request.redirectUri, code: request.code },
        { as: 'form' },
      ),
      'the code exchange',
    );
    const long = tokenOf(
      await graph.get('/access_token', { grant_type: 'th_exchange_token', client_secret: request.client.clientSecret, access_token: short.accessToken }),
      'the long-lived token exchange',
    );
    return [await this.identify(long)];
  }

  canRefresh(): boolean {
    return true;
  }

  async refresh(credentials: RefreshRequest): Promise<TokenSet> {
    return tokenOf(await graphClient(this.endpoints.threads.graph, this.timeoutMs).get('/refresh_access_token', { grant_type: 'th_refresh_token', access_token: credentials.accessToken }), 'the token refresh');
  }

  verify(accessToken: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken });
  }

  private async identify(tokens: TokenSet): Promise<ConnectedAccount> {
    const me = (await graphClient(this.endpoints.threads.graph, this.timeoutMs, tokens.accessToken).get('/v1.0/me', { fields: 'id,username,name,threads_profile_picture_url' })).body;
    const id = field(me, 'id');
    const username = field(me, 'username');
    if (!id || !username) throw new NetworkError('rejected', 'bad_answer', 'Threads answered /me without the account');
    return { accountId: id, handle: username, displayName: field(me, 'name') || null, avatarUrl: field(me, 'threads_profile_picture_url') ?? null, tokens };
  }

  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    return profileOf(await this.identify({ accessToken: credentials.accessToken }));
  }
}
