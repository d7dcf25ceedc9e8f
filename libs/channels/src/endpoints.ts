/**
 * Where each network is. The real networks by default, each URL replaceable
 * by a variable (X_API_URL, ...); with MOCK_SOCIAL_URL, every network at the
 * mock's origin for it (its `/_mock/networks` says which), the network's
 * real paths unchanged. A federated channel's own host (a Mastodon
 * instance, a Bluesky PDS) always wins over all of these: see `hostOf`.
 */
import { request } from 'undici';
import { DESCRIBED_NETWORKS } from './networks/descriptors';

export interface NetworkEndpoints {
  x: { api: string; authorize: string; token: string };
  linkedin: { api: string; authorize: string; token: string };
  threads: { graph: string; authorize: string };
  instagram: { graph: string; authorize: string };
  facebook: { graph: string; authorize: string };
  /** Bluesky's entryway (handle resolution, where an account's PDS is found) and the PLC directory. */
  bluesky: { entryway: string; plc: string };
  /** Where a Mastodon channel with no instance of its own (one connected before instances were kept) is reached. */
  mastodon: { fallbackInstance?: string };
  /** The networks that describe themselves (networks/descriptors.ts): by network, each endpoint its descriptor names. */
  more: Record<string, Record<string, string>>;
  /**
   * Origins that are this installation's networks (the mock's, when Herald
   * runs against it): a channel's host there is not held to the URL policy
   * meant for addresses a user types.
   */
  knownHosts?: string[];
}

export const REAL_ENDPOINTS: NetworkEndpoints = {
  x: { api: 'https://api.x.com', authorize: 'https://x.com/i/oauth2/authorize', token: 'https://api.x.com/2/oauth2/token' },
  linkedin: {
    api: 'https://api.linkedin.com',
    authorize: 'https://www.linkedin.com/oauth/v2/authorization',
    token: 'https://www.linkedin.com/oauth/v2/accessToken',
  },
  threads: { graph: 'https://graph.threads.net', authorize: 'https://threads.net/oauth/authorize' },
  instagram: { graph: 'https://graph.facebook.com', authorize: 'https://www.facebook.com/v21.0/dialog/oauth' },
  facebook: { graph: 'https://graph.facebook.com', authorize: 'https://www.facebook.com/v21.0/dialog/oauth' },
  bluesky: { entryway: 'https://bsky.social', plc: 'https://plc.directory' },
  mastodon: {},
  more: Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, mapValues(descriptor.endpoints, (endpoint) => endpoint.real)])),
};

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** The variables that replace a real network's URL, of the networks that describe themselves. */
export const MORE_URL_VARIABLES: string[] = DESCRIBED_NETWORKS.flatMap((descriptor) => Object.values(descriptor.endpoints).map((endpoint) => endpoint.variable));

/** The real networks, with the URLs the environment replaces (variable name → URL, validated by the config). */
export function realEndpoints(overrides: Record<string, string>): NetworkEndpoints {
  const pick = (name: string, fallback: string) => overrides[name] ?? fallback;
  const real = REAL_ENDPOINTS;
  return {
    x: { api: pick('X_API_URL', real.x.api), authorize: pick('X_AUTHORIZE_URL', real.x.authorize), token: pick('X_TOKEN_URL', real.x.token) },
    linkedin: {
      api: pick('LINKEDIN_API_URL', real.linkedin.api),
      authorize: pick('LINKEDIN_AUTHORIZE_URL', real.linkedin.authorize),
      token: pick('LINKEDIN_TOKEN_URL', real.linkedin.token),
    },
    threads: { graph: pick('THREADS_GRAPH_URL', real.threads.graph), authorize: pick('THREADS_AUTHORIZE_URL', real.threads.authorize) },
    instagram: { graph: pick('INSTAGRAM_GRAPH_URL', real.instagram.graph), authorize: pick('INSTAGRAM_AUTHORIZE_URL', real.instagram.authorize) },
    facebook: { graph: pick('FACEBOOK_GRAPH_URL', real.facebook.graph), authorize: pick('FACEBOOK_AUTHORIZE_URL', real.facebook.authorize) },
    bluesky: { entryway: pick('BLUESKY_ENTRYWAY_URL', real.bluesky.entryway), plc: pick('BLUESKY_PLC_URL', real.bluesky.plc) },
    mastodon: {},
    more: Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, mapValues(descriptor.endpoints, (endpoint) => pick(endpoint.variable, endpoint.real))])),
  };
}

/** One network (or Mastodon instance) as the mock lists it. */
export interface MockNetwork {
  network: string;
  baseUrl: string;
  instanceUrl?: string;
  plcUrl?: string;
}

/**
 * The mock's networks, from its `/_mock/networks`, waiting for the mock to
 * answer (it may still be starting beside us) up to `waitMs`.
 */
export async function discoverMock(mockUrl: string, waitMs = 30_000): Promise<MockNetwork[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const answer = await request(`${mockUrl}/_mock/networks`, { headersTimeout: 2000, bodyTimeout: 2000 });
      if (answer.statusCode === 200) return ((await answer.body.json()) as { data: MockNetwork[] }).data;
      await answer.body.dump();
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`The mock networks at ${mockUrl} did not answer /_mock/networks within ${waitMs} ms (MOCK_SOCIAL_URL)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every network at the mock's origin for it, with the network's own paths. */
export function mockEndpoints(networks: MockNetwork[]): NetworkEndpoints {
  const base = (name: string): string => {
    const found = networks.find((entry) => entry.network === name);
    if (!found) throw new Error(`The mock networks list no ${name}`);
    return found.baseUrl.replace(/\/+$/, '');
  };
  const bluesky = networks.find((entry) => entry.network === 'bluesky');
  return {
    x: { api: base('x'), authorize: `${base('x')}/i/oauth2/authorize`, token: `${base('x')}/2/oauth2/token` },
    linkedin: { api: base('linkedin'), authorize: `${base('linkedin')}/oauth/v2/authorization`, token: `${base('linkedin')}/oauth/v2/accessToken` },
    threads: { graph: base('threads'), authorize: `${base('threads')}/oauth/authorize` },
    instagram: { graph: base('instagram'), authorize: `${base('instagram')}/dialog/oauth` },
    facebook: { graph: base('facebook'), authorize: `${base('facebook')}/dialog/oauth` },
    bluesky: { entryway: base('bluesky'), plc: (bluesky?.plcUrl ?? `${base('bluesky')}/plc`).replace(/\/+$/, '') },
    mastodon: { fallbackInstance: networks.find((entry) => entry.network === 'mastodon')?.baseUrl.replace(/\/+$/, '') },
    more: Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, mapValues(descriptor.endpoints, (endpoint) => `${base(descriptor.network)}${endpoint.mockPath}`)])),
    knownHosts: networks.map((entry) => new URL(entry.baseUrl).origin),
  };
}
