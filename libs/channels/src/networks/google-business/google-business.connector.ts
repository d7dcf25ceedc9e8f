/**
 * Connecting a Google Business Profile location: Google's OAuth 2.0 with
 * PKCE and offline access (`business.manage`; `access_type=offline` and
 * `prompt=consent`, so Google answers a refresh token every time), the app
 * proving itself in the token request's body. Then the account's business
 * accounts (`GET /v1/accounts`, Account Management API) and each one's
 * locations (`GET /v1/{account}/locations`, Business Information API): one
 * connectable account per location, the person choosing which one a
 * channel posts for (`pending=` when there are several). Access tokens live
 * an hour and are renewed with the refresh token. Sources:
 * developers.google.com `/identity/protocols/oauth2/web-server`,
 * `/my-business/reference/accountmanagement/rest/v1/accounts/list`,
 * `/my-business/reference/businessinformation/rest/v1/accounts.locations/list`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet } from '../../connector';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { GoogleOAuth } from '../google/google-oauth';
import { googleBusinessError } from './google-business.errors';

export const GOOGLE_BUSINESS_SCOPE = 'https://www.googleapis.com/auth/business.manage';
const READ_MASK = 'name,title,storefrontAddress,metadata';
/** At most this many pages of accounts (20 a page, Google's most), and of each account's locations (100 a page). */
const MAX_PAGES = 10;

export class GoogleBusinessConnector implements OAuthConnector, TokenRefresher, ProfileReader {
  readonly network = 'google_business' as const;
  readonly refreshAheadMs = 5 * 60_000;
  readonly renewsWith = 'refresh_token' as const;

  private readonly google: GoogleOAuth;

  constructor(
    private readonly endpoints: Record<string, string>,
    private readonly timeoutMs: number,
  ) {
    this.google = new GoogleOAuth(endpoints, GOOGLE_BUSINESS_SCOPE, timeoutMs);
  }

  authorizationUrl(request: AuthorizationRequest): string {
    return this.google.authorizationUrl(request);
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const { tokens, granted } = await this.google.exchange(request);
    if (!granted.includes(GOOGLE_BUSINESS_SCOPE)) {
      throw new NetworkError('rejected', 'scope_not_granted', 'Google did not grant access to the business listings: connect again and allow "See, edit, create and delete your Google business listings"');
    }
    const locations = await this.locations(tokens.accessToken);
    if (locations.length === 0) throw new NetworkError('rejected', 'no_location', 'This Google account manages no Business Profile location: add one on business.google.com, then connect again');
    return locations.map((location) => ({ ...location, tokens }));
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return this.google.canRefresh(credentials);
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    return this.google.refresh(credentials);
  }

  /** The location again (`GET /v1/locations/{id}`): its title is the channel's name. */
  async profile(credentials: ChannelCredentials, details?: Record<string, unknown>): Promise<AccountProfile> {
    const path = locationPathOf(credentials.accountId, details);
    const id = path.split('/').slice(2).join('/');
    const api = this.client(this.endpoints.locations!, credentials.accessToken);
    const location = (await api.get(`/v1/${id}`, { readMask: READ_MASK })).body;
    const title = field(location, 'title') ?? path;
    return { accountId: path, handle: title, displayName: title, avatarUrl: null };
  }

  /** Every location of every account the person manages, as the channels they could be. */
  private async locations(accessToken: string): Promise<Array<Omit<ConnectedAccount, 'tokens'>>> {
    const accounts = await this.pages(this.client(this.endpoints.accounts!, accessToken), '/v1/accounts', { pageSize: '20' }, 'accounts');
    const found: Array<Omit<ConnectedAccount, 'tokens'>> = [];
    for (const account of accounts) {
      const accountName = field(account, 'name');
      if (!accountName) continue;
      const locations = await this.pages(this.client(this.endpoints.locations!, accessToken), `/v1/${accountName}/locations`, { readMask: READ_MASK, pageSize: '100' }, 'locations');
      for (const location of locations) {
        const locationName = field(location, 'name');
        if (!locationName) continue;
        const path = `${accountName}/${locationName}`;
        const title = field(location, 'title') ?? locationName;
        const address = [field(location, 'storefrontAddress', 'locality'), field(location, 'storefrontAddress', 'regionCode')].filter(Boolean).join(', ');
        found.push({
          accountId: path,
          handle: title,
          displayName: address ? `${title} (${address})` : title,
          avatarUrl: null,
          details: { locationPath: path, accountName, locationName, title, mapsUri: field(location, 'metadata', 'mapsUri') ?? null },
        });
      }
    }
    return found;
  }

  private async pages(api: NetworkClient, path: string, query: Record<string, string>, key: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = (await api.get(path, { ...query, ...(token ? { pageToken: token } : {}) })).body;
      items.push(...list(body, key));
      token = field(body, 'nextPageToken');
      if (!token) break;
    }
    return items;
  }

  private client(baseUrl: string, accessToken: string): NetworkClient {
    return new NetworkClient(baseUrl, this.timeoutMs, { credentials: { handle: '', accessToken } }, googleBusinessError);
  }
}

/** `accounts/{a}/locations/{l}`: where the channel's local posts live. */
export function locationPathOf(accountId: string | undefined, details?: Record<string, unknown>): string {
  const path = typeof details?.locationPath === 'string' ? details.locationPath : accountId;
  if (!path || !/^accounts\/[^/]+\/locations\/[^/]+$/u.test(path)) throw new NetworkError('rejected', 'no_location', 'This Google Business Profile channel names no location: connect it again');
  return path;
}
