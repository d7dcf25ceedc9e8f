/**
 * Connecting a Facebook Page, or the Instagram professional account linked
 * to one: Facebook Login (`/dialog/oauth`), the code for a user token at
 * `/oauth/access_token`, exchanged at once for a long-lived one
 * (`fb_exchange_token`), then the Pages the person manages
 * (`/me/accounts`), each with its Page token, which does not expire when
 * it comes from a long-lived user token: nothing to refresh. A person with
 * several Pages (or Instagram accounts) picks one.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, TokenSet, TokenVerifier } from '../../connector';
import { NetworkEndpoints } from '../../endpoints';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { authorizeUrl } from '../../oauth';
import { GRAPH_VERSION, graphClient, tokenOf } from './meta-oauth';

const SCOPES = {
  facebook: 'pages_show_list,pages_manage_posts,pages_read_engagement',
  instagram: 'instagram_basic,instagram_content_publish,pages_show_list,pages_read_engagement',
} as const;

export class PagesConnector implements OAuthConnector, TokenVerifier, ProfileReader {
  constructor(
    readonly network: 'facebook' | 'instagram',
    private readonly endpoints: NetworkEndpoints,
    private readonly timeoutMs: number,
  ) {}

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.hosts().authorize, {
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      state: request.state,
      response_type: 'code',
      scope: SCOPES[this.network],
    });
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const graph = graphClient(this.hosts().graph, this.timeoutMs);
    const path = `/${GRAPH_VERSION}/oauth/access_token`;
    const { clientId, clientSecret } = request.client;
    const short = tokenOf(await graph.get(path, { client_id: clientId, client_secret: clientSecret, redirect_uri: request.redirectUri, code: request.code }), 'the code exchange');
    const long = tokenOf(
      await graph.get(path, { grant_type: 'fb_exchange_token', client_id: clientId, client_secret: clientSecret, fb_exchange_token: short.accessToken }),
      'the long-lived token exchange',
    );
    return this.accounts(long);
  }

  /** A pasted Page token (or a user token: then its Pages). */
  async verify(accessToken: string): Promise<ConnectedAccount> {
    const accounts = await this.accounts({ accessToken });
    if (accounts.length === 0) throw new NetworkError('rejected', 'no_account', `The token reaches no ${this.network === 'facebook' ? 'Facebook Page' : 'Instagram professional account'}`);
    return accounts[0]!;
  }

  /** The Pages the user token manages, or for Instagram the professional accounts linked to them; each with its Page token. */
  private async accounts(user: TokenSet): Promise<ConnectedAccount[]> {
    const graph = graphClient(this.hosts().graph, this.timeoutMs, user.accessToken);
    const pages = list((await graph.get(`/${GRAPH_VERSION}/me/accounts`, { fields: 'id,name,picture,access_token,instagram_business_account' })).body, 'data');
    const accounts: ConnectedAccount[] = [];
    for (const page of pages) {
      const pageId = field(page, 'id');
      const pageToken = field(page, 'access_token');
      if (!pageId || !pageToken) continue;
      if (this.network === 'facebook') {
        const name = field(page, 'name') ?? null;
        accounts.push({ accountId: pageId, handle: name ?? pageId, displayName: name, avatarUrl: field(page, 'picture', 'data', 'url') ?? null, tokens: { accessToken: pageToken }, details: { pageId } });
        continue;
      }
      const instagramId = field(page, 'instagram_business_account', 'id');
      if (!instagramId) continue;
      const profile = await this.instagramProfile(instagramId, pageToken);
      accounts.push({ ...profile, tokens: { accessToken: pageToken }, details: { pageId } });
    }
    return accounts;
  }

  /** The Page (`?fields=name,picture`) or Instagram account (`?fields=username,name,profile_picture_url`), read with the Page's token. */
  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    const id = credentials.accountId;
    if (!id) throw new NetworkError('rejected', 'no_account', `This ${this.network} channel does not know its account id: connect it again`);
    if (this.network === 'instagram') return this.instagramProfile(id, credentials.accessToken);
    const page = (await graphClient(this.hosts().graph, this.timeoutMs, credentials.accessToken).get(`/${GRAPH_VERSION}/${id}`, { fields: 'id,name,picture' })).body;
    const name = field(page, 'name') ?? null;
    return { accountId: id, handle: name ?? id, displayName: name, avatarUrl: field(page, 'picture', 'data', 'url') ?? null };
  }

  private async instagramProfile(instagramId: string, pageToken: string): Promise<AccountProfile> {
    const profile = (await graphClient(this.hosts().graph, this.timeoutMs, pageToken).get(`/${GRAPH_VERSION}/${instagramId}`, { fields: 'id,username,name,profile_picture_url' })).body;
    return { accountId: instagramId, handle: field(profile, 'username') ?? instagramId, displayName: field(profile, 'name') || null, avatarUrl: field(profile, 'profile_picture_url') ?? null };
  }

  private hosts(): { graph: string; authorize: string } {
    return this.endpoints[this.network];
  }
}
