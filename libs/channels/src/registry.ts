/**
 * The seven networks, each its adapter (publishing), and where it has them
 * its OAuth connector, token refresher and pasted-token verifier: one list,
 * built once per process for the endpoints it runs against.
 */
import type { NetworkDescriptor } from './rules/descriptor';
import { ChannelAdapter } from './adapter';
import { OAuthConnector, ProfileReader, TokenRefresher, TokenVerifier } from './connector';
import { NetworkEndpoints } from './endpoints';
import { LinkPreviewer } from './link-preview';
import { Network } from './network';
import { NetworkGuard, Outbound } from './outbound';
import { BlueskyAdapter } from './networks/bluesky/bluesky.adapter';
import { BlueskySessions } from './networks/bluesky/bluesky.session';
import { FacebookAdapter } from './networks/facebook/facebook.adapter';
import { InstagramAdapter } from './networks/instagram/instagram.adapter';
import { LinkedInAdapter } from './networks/linkedin/linkedin.adapter';
import { LinkedInConnector } from './networks/linkedin/linkedin.connector';
import { MastodonAdapter } from './networks/mastodon/mastodon.adapter';
import { MastodonConnector } from './networks/mastodon/mastodon.connector';
import { PagesConnector } from './networks/meta/pages.connector';
import { ThreadsAdapter } from './networks/threads/threads.adapter';
import { ThreadsConnector } from './networks/threads/threads.connector';
import { XAdapter } from './networks/x/x.adapter';
import { XConnector } from './networks/x/x.connector';
import { DEFAULT_LOOKUP_MAX_PAGES } from './base-adapter';
import { MORE_KITS, MORE_KIT_LIST } from './networks/kits';

/** Which OAuth app a network connects with: Threads, Instagram and Facebook share Meta's; a described network names its own (YouTube and Google Business share Google's). */
export type OAuthAppName = string;

export interface NetworkKit {
  adapter: ChannelAdapter;
  oauth?: OAuthConnector;
  /** The app the OAuth flow uses; none on Mastodon, where Herald registers itself on each instance. */
  app?: OAuthAppName;
  refresher?: TokenRefresher;
  verifier?: TokenVerifier;
  /** Reads the account's name, handle and avatar again. */
  profiles: ProfileReader;
}

export interface RegistryOptions {
  endpoints: NetworkEndpoints;
  timeoutMs?: number;
  lookupMaxPages?: number;
  /** Link cards (Bluesky); without it posts go out without one. */
  previews?: LinkPreviewer;
  /** The URL policy's connections, for every host that is not one of `endpoints` (an instance, a PDS a user named). */
  outbound: Outbound;
  /** The described networks' settings by variable (NetworksConfig.settings); a setting not here is its default. */
  networkSettings?: Record<string, string>;
}

export class ChannelAdapterRegistry {
  readonly bluesky: BlueskySessions;
  readonly mastodon: MastodonConnector;
  private readonly kits: Record<Network, NetworkKit>;
  private readonly guard: NetworkGuard;

  constructor(readonly options: RegistryOptions) {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const guard = new NetworkGuard(options.outbound, endpointUrls(options.endpoints));
    this.guard = guard;
    const adapterOptions = { endpoints: options.endpoints, timeoutMs, lookupMaxPages: options.lookupMaxPages ?? DEFAULT_LOOKUP_MAX_PAGES, guard };
    const x = new XConnector(options.endpoints, timeoutMs);
    const linkedin = new LinkedInConnector(options.endpoints, timeoutMs);
    const threads = new ThreadsConnector(options.endpoints, timeoutMs);
    const instagram = new PagesConnector('instagram', options.endpoints, timeoutMs);
    const facebook = new PagesConnector('facebook', options.endpoints, timeoutMs);
    this.bluesky = new BlueskySessions(options.endpoints, timeoutMs, guard);
    this.mastodon = new MastodonConnector(timeoutMs, guard);
    this.kits = {
      x: { adapter: new XAdapter(adapterOptions), oauth: x, app: 'x', refresher: x, verifier: x, profiles: x },
      bluesky: { adapter: new BlueskyAdapter(adapterOptions, options.previews), refresher: this.bluesky, profiles: this.bluesky },
      mastodon: { adapter: new MastodonAdapter(adapterOptions), oauth: this.mastodon, verifier: this.mastodon, profiles: this.mastodon },
      linkedin: { adapter: new LinkedInAdapter(adapterOptions), oauth: linkedin, app: 'linkedin', refresher: linkedin, verifier: linkedin, profiles: linkedin },
      threads: { adapter: new ThreadsAdapter(adapterOptions), oauth: threads, app: 'meta', refresher: threads, verifier: threads, profiles: threads },
      instagram: { adapter: new InstagramAdapter(adapterOptions), oauth: instagram, app: 'meta', verifier: instagram, profiles: instagram },
      facebook: { adapter: new FacebookAdapter(adapterOptions), oauth: facebook, app: 'meta', verifier: facebook, profiles: facebook },
      ...(Object.fromEntries(
        MORE_KIT_LIST.map(({ descriptor, kit }) => [descriptor.network, { ...kit({ endpoints: options.endpoints.more[descriptor.network]!, adapterOptions, timeoutMs, settings: settingsOf(descriptor, options.networkSettings) }), app: descriptor.app.name }]),
      ) as unknown as Record<(typeof MORE_KITS)[number]['descriptor']['network'], NetworkKit>),
    };
  }

  /** The host names of this installation's own network endpoints (the real APIs, or the mock's origins). */
  endpointHostnames(): string[] {
    return [...new Set(endpointUrls(this.options.endpoints).flatMap((url) => {
      try {
        return [new URL(url).hostname];
      } catch {
        return [];
      }
    }))];
  }

  /** Whether a URL is on one of this installation's own network endpoints (its origin exactly). */
  isOwnEndpoint(url: string): boolean {
    return !this.guard.userGiven(url);
  }

  /**
   * The host a channel's calls go to, as its circuit breaker is keyed: its
   * own (a Mastodon instance, a Bluesky PDS), else its network's API.
   */
  hostOf(network: Network, ownHost?: string | null): string {
    const endpoints = this.options.endpoints;
    const apis: Record<string, string> = {
      x: endpoints.x.api,
      linkedin: endpoints.linkedin.api,
      threads: endpoints.threads.graph,
      instagram: endpoints.instagram.graph,
      facebook: endpoints.facebook.graph,
      bluesky: endpoints.bluesky.entryway,
      mastodon: endpoints.mastodon.fallbackInstance ?? 'mastodon',
      ...Object.fromEntries(Object.entries(endpoints.more).map(([name, urls]) => [name, urls.api ?? name])),
    };
    const base = ownHost || (apis[network] ?? network);
    try {
      return new URL(base).host;
    } catch {
      return base;
    }
  }

  get(network: Network): ChannelAdapter {
    return this.kit(network).adapter;
  }

  /** Every network's token refresher (the networks whose tokens lapse). */
  refreshers(): TokenRefresher[] {
    return Object.values(this.kits).flatMap((kit) => (kit.refresher ? [kit.refresher] : []));
  }

  kit(network: Network): NetworkKit {
    const kit = this.kits[network];
    if (!kit) throw new Error(`No adapter for network ${String(network)}`);
    return kit;
  }
}

/** Every URL of this installation's networks (the operator's configuration, or the mock's list): called without the URL policy. */
function endpointUrls(endpoints: NetworkEndpoints): string[] {
  const { knownHosts, more, ...networks } = endpoints;
  const urls = [...Object.values(networks), ...Object.values(more)].flatMap((entry: Record<string, string | undefined>) => Object.values(entry).filter((url): url is string => typeof url === 'string'));
  return [...urls, ...(knownHosts ?? [])];
}

/** A described network's settings: each as given, else its default. */
function settingsOf(descriptor: NetworkDescriptor, given: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries((descriptor.settings ?? []).map((setting) => [setting.variable, given[setting.variable] ?? setting.default]));
}
