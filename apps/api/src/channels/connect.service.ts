/**
 * The OAuth flow that connects an account (PRODUCT.md section 5): start it
 * (a state, single-use and ten minutes long, naming the workspace, and a
 * PKCE verifier kept server-side), then the network sends the person's
 * browser to the callback, which uses the state up, exchanges the code, and
 * creates (or connects again) the channel, sending the browser on to the
 * client's `redirectUri` with `channelId=` or `error=`. A person who manages
 * several Facebook Pages or Instagram accounts picks one afterwards.
 * The flow is bound to whoever started it, and sends the browser only to
 * allowed origins (connect-binding.ts).
 * Mastodon: Herald registers itself once per instance and keeps that app.
 */
import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapterRegistry, ConnectedAccount, DESCRIBED_NETWORKS, NETWORKS_CONFIG, Network, NetworksConfig, OAuthClient, UrlPolicy, newPkce, newState } from '@herald/channels';
import { LiveSession, MastodonAppsRepository, OAuthFlow, OAuthFlowsRepository, SYSTEM, Tenant, TokenCipher } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { MalformedRequest, NotFound, UnprocessableRequest } from '../common/problems';
import { ChannelView, toChannelView } from './channel-view';
import { ConnectBinding } from './connect-binding';
import { ChannelConnections, ConnectedBy, connectProblem } from './connections.service';
import { ConnectCallbackQuery, StartConnectDto } from './dto';

const FLOW_LIFETIME_MS = 10 * 60_000;
/** A channel connected through OAuth starts with the workspace's zone and the default schedule. */
const DEFAULTS = {};

/** The settings an app needs, per app: what a 422 names when they are missing. */
const APP_SETTINGS: Record<string, readonly string[]> = {
  x: ['X_CLIENT_ID', 'X_CLIENT_SECRET'],
  linkedin: ['LINKEDIN_CLIENT_ID', 'LINKEDIN_CLIENT_SECRET'],
  meta: ['META_APP_ID', 'META_APP_SECRET'],
  ...Object.fromEntries(DESCRIBED_NETWORKS.map(({ app }) => [app.name, [app.clientIdVariable, app.clientSecretVariable]])),
};

@Injectable()
export class ConnectService {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(NETWORKS_CONFIG) private readonly networks: NetworksConfig,
    private readonly registry: ChannelAdapterRegistry,
    private readonly flows: OAuthFlowsRepository,
    private readonly mastodonApps: MastodonAppsRepository,
    private readonly connections: ChannelConnections,
    private readonly cipher: TokenCipher,
    private readonly urls: UrlPolicy,
    private readonly access: AccessService,
    private readonly binding: ConnectBinding,
  ) {}

  /** Herald's callback, to register with each network's app. */
  get callbackUrl(): string {
    return `${this.config.publicUrl}/v1/channels/connect/callback`;
  }

  /** Which networks this installation can connect (their apps configured), for GET /v1/networks. */
  connectable(network: Network): { connectable: boolean; missingSettings: string[] } {
    const app = this.registry.kit(network).app;
    const missing = app && !this.networks.oauthApps[app] ? [...(APP_SETTINGS[app] ?? [])] : [];
    return { connectable: missing.length === 0, missingSettings: missing };
  }

  async start(auth: AuthContext, input: StartConnectDto): Promise<{ authorizeUrl: string; state: string; expiresAt: string }> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const network = input.network as Network;
    await this.binding.checkRedirect(tenant, input.redirectUri);
    const instanceUrl = network === 'mastodon' ? this.instanceOf(input.instanceUrl) : undefined;
    const { client, pkce } = await this.clientFor(network, instanceUrl);
    const { verifier, challenge } = await newPkce();
    const state = newState();
    const expiresAt = await this.flows.insert(tenant, {
      state,
      network,
      instanceUrl,
      redirectUri: input.redirectUri,
      codeVerifier: this.cipher.encrypt(verifier),
      lifetimeMs: FLOW_LIFETIME_MS,
      startedBy: auth.actor,
      startedSessionId: auth.sessionId,
    });
    const authorizeUrl = this.registry.kit(network).oauth!.authorizationUrl({ client, redirectUri: this.callbackUrl, state, codeChallenge: challenge, instanceUrl, pkce });
    return { authorizeUrl, state, expiresAt: expiresAt.toISOString() };
  }

  /**
   * The network's redirect. Answers where to send the browser: the client's
   * redirectUri with `channelId=`, `pending=` (pick an account) or `error=`.
   * A state Herald never issued has no redirectUri to go back to: 400. One
   * used, expired, or not the caller's to finish (another browser, a key
   * since revoked) goes to Herald's own page with `error=`, unused.
   */
  async callback(query: ConnectCallbackQuery, session: LiveSession | undefined): Promise<string> {
    if (!query.state) throw new MalformedRequest('The callback carries no state', [{ path: 'query.state', message: 'is required' }]);
    const known = await this.flows.find(SYSTEM, query.state);
    if (!known) throw new MalformedRequest('This state was not issued by Herald (or is long gone)', [{ path: 'query.state', message: 'is unknown' }]);
    if (known.usedAt || known.expired) return this.binding.heraldPage({ error: known.usedAt ? 'state_already_used' : 'state_expired' });
    const refusal = await this.binding.refusal(known, session);
    if (refusal) return this.binding.heraldPage({ error: refusal });
    const flow = await this.flows.consume(SYSTEM, query.state);
    if (!flow) return this.binding.heraldPage({ error: 'state_already_used' });
    if (query.error) return withParams(flow.redirectUri, { error: query.error });
    if (!query.code) return withParams(flow.redirectUri, { error: 'no_code' });
    const network = flow.network as Network;
    let accounts: ConnectedAccount[];
    try {
      const { client, pkce } = await this.clientFor(network, flow.instanceUrl ?? undefined);
      accounts = await this.registry.kit(network).oauth!.exchange({
        client,
        redirectUri: this.callbackUrl,
        code: query.code,
        codeVerifier: this.cipher.decrypt(flow.codeVerifier),
        instanceUrl: flow.instanceUrl ?? undefined,
        pkce,
      });
    } catch (error) {
      const problem = connectProblem(network, error);
      const code = (error as { code?: string }).code;
      return withParams(flow.redirectUri, { error: code ?? 'connect_failed', error_description: problem.message.slice(0, 300) });
    }
    if (accounts.length === 0) return withParams(flow.redirectUri, { error: 'no_account' });
    if (accounts.length > 1) {
      await this.flows.setPending(SYSTEM, flow.state, this.cipher.encrypt(JSON.stringify(accounts)), FLOW_LIFETIME_MS);
      return withParams(flow.redirectUri, { pending: flow.state, accounts: String(accounts.length) });
    }
    const { channel } = await this.connections.save(this.tenantOfFlow(flow), network, accounts[0]!, DEFAULTS, startedBy(flow));
    return withParams(flow.redirectUri, { channelId: channel.id });
  }

  /** The accounts a person may pick from after a callback answered `pending=`. */
  async pending(auth: AuthContext, state: string): Promise<{ data: { accountId: string; handle: string }[] }> {
    const flow = await this.flows.peekPending(this.access.tenant(auth, 'channels.manage'), state);
    if (!flow || !this.binding.startedBy(flow, auth)) throw new NotFound('Pending connection', state);
    return { data: this.accountsOf(flow).map((account) => ({ accountId: account.accountId, handle: account.handle })) };
  }

  async choose(auth: AuthContext, state: string, accountId: string): Promise<ChannelView> {
    const tenant = this.access.tenant(auth, 'channels.manage');
    const flow = await this.flows.peekPending(tenant, state);
    if (!flow || !this.binding.startedBy(flow, auth)) throw new NotFound('Pending connection', state);
    const account = this.accountsOf(flow).find((candidate) => candidate.accountId === accountId);
    if (!account) throw new UnprocessableRequest(`${accountId} is not one of the accounts this connection reached`, [{ path: 'accountId', message: 'is not one of the pending accounts' }]);
    if (!(await this.flows.takePending(tenant, state))) throw new NotFound('Pending connection', state);
    const { channel } = await this.connections.save(tenant, flow.network, account, DEFAULTS, { actor: auth.actor, ip: auth.address });
    return toChannelView(channel);
  }

  /** The app a network's flow uses: the installation's (X, LinkedIn, Meta), or the one registered on the Mastodon instance. */
  private async clientFor(network: Network, instanceUrl?: string): Promise<{ client: OAuthClient; pkce?: boolean }> {
    const kit = this.registry.kit(network);
    if (!kit.oauth) throw new UnprocessableRequest(`${network} does not connect through OAuth`, [{ path: 'network', message: 'connects with POST /v1/channels' }]);
    if (network === 'mastodon') {
      const instance = instanceUrl!;
      const kept = await this.mastodonApps.find(SYSTEM, instance);
      if (kept) return { client: { clientId: kept.clientId, clientSecret: this.cipher.decrypt(kept.clientSecret) }, pkce: kept.pkce };
      let registered: OAuthClient & { pkce: boolean };
      try {
        registered = await this.registry.mastodon.registerApp(instance, this.callbackUrl, this.config.publicUrl);
      } catch (error) {
        throw connectProblem('mastodon', error);
      }
      const saved = await this.mastodonApps.insert(SYSTEM, {
        instanceUrl: instance,
        clientId: registered.clientId,
        clientSecret: this.cipher.encrypt(registered.clientSecret),
        redirectUri: this.callbackUrl,
        pkce: registered.pkce,
      });
      return { client: { clientId: saved.clientId, clientSecret: this.cipher.decrypt(saved.clientSecret) }, pkce: saved.pkce };
    }
    const app = this.networks.oauthApps[kit.app!];
    if (!app) {
      const missing = APP_SETTINGS[kit.app!];
      throw new UnprocessableRequest(`Connecting ${network} needs this installation's ${kit.app === 'meta' ? 'Meta' : network} app: set ${missing.join(' and ')}`, [
        { path: 'network', message: `${network} is not configured here (missing ${missing.join(', ')})` },
      ]);
    }
    return { client: app };
  }

  /** A Mastodon instance: required, normalized, and a URL Herald may call. */
  private instanceOf(instanceUrl: string | undefined): string {
    if (!instanceUrl) throw new UnprocessableRequest('Mastodon needs the instance the account is on', [{ path: 'instanceUrl', message: 'is required for mastodon' }]);
    const url = new URL(instanceUrl);
    const instance = url.origin;
    const refusal = this.registry.options.endpoints.knownHosts?.includes(instance) ? undefined : this.urls.refusal(instance);
    if (refusal) throw new UnprocessableRequest(`instanceUrl ${refusal}`, [{ path: 'instanceUrl', message: refusal }]);
    return instance;
  }

  private accountsOf(flow: OAuthFlow): ConnectedAccount[] {
    const accounts = JSON.parse(this.cipher.decrypt(flow.pendingAccounts!)) as ConnectedAccount[];
    return accounts.map((account) => ({ ...account, tokens: { ...account.tokens, ...(account.tokens.expiresAt ? { expiresAt: new Date(account.tokens.expiresAt) } : {}) } }));
  }

  private tenantOfFlow(flow: OAuthFlow): Tenant {
    return this.access.flowTenant(flow.workspaceId);
  }
}

function withParams(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Who a flow's channel is connected by, at its callback (which carries no key): whoever started the flow. */
function startedBy(flow: OAuthFlow): ConnectedBy {
  const kind = flow.startedBy?.kind;
  return { actor: (kind === 'user' || kind === 'api_key') && flow.startedBy ? { kind, id: flow.startedBy.id } : { kind: 'system', id: null } };
}
