/**
 * Connecting a Mastodon account, on whichever instance it lives: Herald
 * registers itself once per instance (`POST /api/v1/apps`, the app kept by
 * the caller and reused), then the authorization-code flow with PKCE where
 * the instance offers it (its `/.well-known/oauth-authorization-server`
 * says so, from 4.3), or a token made in the instance's settings. Tokens
 * do not expire; they end when revoked. The instance's own limits
 * (`GET /api/v2/instance`) are kept with the channel for content checks.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthClient, OAuthConnector, ProfileReader, TokenSet, TokenVerifier } from '../../connector';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { NetworkGuard } from '../../outbound';
import { authorizeUrl, exchangeCode } from '../../oauth';
import { mastodonError } from './mastodon.errors';

export const MASTODON_SCOPES = 'read write';

/** An instance's limits, where it differs from Mastodon's defaults. */
export interface InstanceLimits {
  maxCharacters?: number;
  maxMediaAttachments?: number;
  charactersReservedPerUrl?: number;
}

export class MastodonConnector implements OAuthConnector, TokenVerifier, ProfileReader {
  readonly network = 'mastodon' as const;

  constructor(
    private readonly timeoutMs: number,
    /** Instances are hosts users name: called under the URL policy. */
    private readonly guard?: NetworkGuard,
  ) {}

  /** Registers Herald on an instance; the caller keeps the app for every later connect there. */
  async registerApp(instanceUrl: string, redirectUri: string, website: string): Promise<OAuthClient & { pkce: boolean }> {
    const api = this.api(instanceUrl);
    const app = (await this.asMastodon(instanceUrl, () => api.post('/api/v1/apps', { client_name: 'Herald', redirect_uris: redirectUri, scopes: MASTODON_SCOPES, website }))).body;
    const clientId = field(app, 'client_id');
    const clientSecret = field(app, 'client_secret');
    if (!clientId || !clientSecret) throw new NetworkError('rejected', 'bad_answer', `${instanceUrl} answered POST /api/v1/apps without client credentials`);
    return { clientId, clientSecret, pkce: await this.offersPkce(instanceUrl) };
  }

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(`${this.instance(request.instanceUrl)}/oauth/authorize`, {
      response_type: 'code',
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      scope: MASTODON_SCOPES,
      state: request.state,
      ...(request.pkce === false ? {} : { code_challenge: request.codeChallenge, code_challenge_method: 'S256' }),
    });
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const instanceUrl = this.instance(request.instanceUrl);
    const tokens = await this.asMastodon(instanceUrl, () => exchangeCode(
      { issuer: instanceUrl, url: `${instanceUrl}/oauth/token`, auth: 'post' },
      request.client,
      { code: request.code, redirectUri: request.redirectUri, codeVerifier: request.pkce === false ? null : request.codeVerifier },
      this.timeoutMs,
      this.guard?.fetch,
    ));
    return [await this.identify(tokens, instanceUrl)];
  }

  verify(accessToken: string, instanceUrl?: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken }, this.instance(instanceUrl));
  }

  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    return this.whoIs(credentials.accessToken, this.instance(credentials.host));
  }

  private async identify(tokens: TokenSet, instanceUrl: string): Promise<ConnectedAccount> {
    const { accountId, handle, displayName, avatarUrl } = await this.whoIs(tokens.accessToken, instanceUrl);
    return { accountId, handle, displayName, avatarUrl, host: instanceUrl, tokens, details: { limits: await this.limits(instanceUrl) } };
  }

  /** `verify_credentials`: the account as Mastodon writes it, `@name@instance`, its display name and (still) avatar. */
  private async whoIs(accessToken: string, instanceUrl: string): Promise<AccountProfile> {
    const api = this.api(instanceUrl, accessToken);
    const me = (await this.asMastodon(instanceUrl, () => api.get('/api/v1/accounts/verify_credentials'))).body;
    const id = field(me, 'id');
    const username = field(me, 'username') ?? field(me, 'acct');
    if (!id || !username) throw new NetworkError('rejected', 'bad_answer', `${instanceUrl} answered verify_credentials without the account`);
    return {
      accountId: id,
      handle: `@${username}@${new URL(instanceUrl).host}`,
      displayName: field(me, 'display_name') || null,
      avatarUrl: field(me, 'avatar_static') ?? field(me, 'avatar') ?? null,
    };
  }

  /** The instance's own limits; Mastodon's defaults (500, 4 media, 23 per URL) where it does not say. */
  async limits(instanceUrl: string): Promise<InstanceLimits> {
    try {
      const configuration = (await this.api(instanceUrl).get('/api/v2/instance')).body;
      const number = (...path: string[]) => {
        const value = Number(field(configuration, 'configuration', ...path));
        return Number.isInteger(value) && value > 0 ? value : undefined;
      };
      return {
        maxCharacters: number('statuses', 'max_characters'),
        maxMediaAttachments: number('statuses', 'max_media_attachments'),
        charactersReservedPerUrl: number('statuses', 'characters_reserved_per_url'),
      };
    } catch {
      return {};
    }
  }

  private async offersPkce(instanceUrl: string): Promise<boolean> {
    try {
      const metadata = (await this.api(instanceUrl).get('/.well-known/oauth-authorization-server')).body;
      return list(metadata, 'code_challenge_methods_supported').includes('S256');
    } catch {
      return false;
    }
  }

  /** An instance a user named answers in Herald's words, never with its own status or text. */
  private asMastodon<T>(instanceUrl: string, work: () => Promise<T>): Promise<T> {
    return this.guard ? this.guard.inOwnWords(instanceUrl, 'Mastodon', work) : work();
  }

  private instance(instanceUrl: string | undefined): string {
    if (!instanceUrl) throw new NetworkError('rejected', 'instance_required', 'A Mastodon channel needs its instance (instanceUrl)');
    return instanceUrl.replace(/\/+$/, '');
  }

  private api(instanceUrl: string, accessToken = ''): NetworkClient {
    return new NetworkClient(instanceUrl, this.timeoutMs, { credentials: { handle: '', accessToken } }, mastodonError, this.guard);
  }
}
