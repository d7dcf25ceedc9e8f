/**
 * The networks' slice of the configuration, owned here beside the networks it
 * describes: the OAuth apps Herald connects accounts with, the variables that
 * replace a real network's URL, the described networks' own settings, and the
 * posting quotas checked at schedule time. Read through libs/config's reader
 * from the same environment (`loadConfig(env, [NETWORKS_SLICE])`); taken with
 * `networksConfig(config)`. libs/config knows nothing of networks.
 */
import { type ConfigSlice, type EnvReader, type HeraldConfig, parseDuration, sliceOf } from '@herald/config';
import { NETWORKS } from './network';
import { DESCRIBED_NETWORKS } from './networks/descriptors';

/** Injection token of the networks' slice (ChannelAdaptersModule provides it). */
export const NETWORKS_CONFIG = Symbol('the networks\' slice of the configuration');

export interface NetworksConfig {
  /** The OAuth apps Herald connects accounts with, one per network family; absent when its settings are not given. */
  oauthApps: {
    x?: OAuthApp;
    linkedin?: OAuthApp;
    meta?: OAuthApp;
    /** The described networks' apps, by the name their descriptor gives (google, tiktok, pinterest). */
    [app: string]: OAuthApp | undefined;
  };
  /** Real network URLs replaced by environment variables (e.g. X_API_URL), by variable name. */
  urls: Record<string, string>;
  /** The described networks' settings (their descriptors' `settings`, e.g. TIKTOK_VIDEO_SOURCE), by variable name, each given or its default. */
  settings: Record<string, string>;
  /** Posting caps per account checked when a post is scheduled, by network (NETWORK_QUOTAS). */
  quotas: QuotaSettings;
}

/** A posting cap: at most `posts` in any `windowMs`. */
export interface QuotaRule {
  posts: number;
  windowMs: number;
}

/** By network: its caps (none: unchecked); `account: true` where the network is asked for the account's own. */
export type QuotaSettings = Record<string, { rules: QuotaRule[]; account?: boolean }>;

/**
 * The networks' documented posting caps per account (NETWORKS.md): Threads
 * 250 posts in 24 h; Instagram's content publishing limit (asked of the
 * account, 100 in 24 h until it answers); X 100 posts per 15 minutes per user
 * (POST /2/tweets); Bluesky's 5,000 write points an hour and 35,000 a day at
 * 3 points per post.
 */
export const DEFAULT_QUOTAS = ['threads=250/24h;instagram=account,100/24h;x=100/15m;bluesky=1666/1h,11666/24h', ...DESCRIBED_NETWORKS.flatMap((descriptor) => (descriptor.defaultQuota ? [`${descriptor.network}=${descriptor.defaultQuota}`] : []))].join(';');

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

/** The variables that replace a real network's URL (the defaults live with each network in libs/channels). */
export const NETWORK_URL_VARIABLES = [
  'X_API_URL',
  'X_AUTHORIZE_URL',
  'X_TOKEN_URL',
  'LINKEDIN_API_URL',
  'LINKEDIN_AUTHORIZE_URL',
  'LINKEDIN_TOKEN_URL',
  'THREADS_GRAPH_URL',
  'THREADS_AUTHORIZE_URL',
  'INSTAGRAM_GRAPH_URL',
  'INSTAGRAM_AUTHORIZE_URL',
  'FACEBOOK_GRAPH_URL',
  'FACEBOOK_AUTHORIZE_URL',
  'BLUESKY_ENTRYWAY_URL',
  'BLUESKY_PLC_URL',
  ...DESCRIBED_NETWORKS.flatMap((descriptor) => Object.values(descriptor.endpoints).map((endpoint) => endpoint.variable)),
];


export const NETWORKS_SLICE: ConfigSlice<NetworksConfig> = {
  name: 'networks',
  read(read: EnvReader): NetworksConfig {
    const urls: Record<string, string> = {};
    for (const name of NETWORK_URL_VARIABLES) {
      if (read.optional(name) !== undefined) urls[name] = read.url(name, '', ['http:', 'https:']).replace(/\/+$/, '');
    }
    return {
      oauthApps: {
        x: oauthApp(read, 'X_CLIENT_ID', 'X_CLIENT_SECRET'),
        linkedin: oauthApp(read, 'LINKEDIN_CLIENT_ID', 'LINKEDIN_CLIENT_SECRET'),
        meta: oauthApp(read, 'META_APP_ID', 'META_APP_SECRET'),
        // The described networks' apps, where their settings are given (absent otherwise; Google's two networks share one).
        ...Object.fromEntries(
          DESCRIBED_NETWORKS.flatMap(({ app }) => {
            const given = oauthApp(read, app.clientIdVariable, app.clientSecretVariable);
            return given ? [[app.name, given]] : [];
          }),
        ),
      },
      urls,
      settings: Object.fromEntries(DESCRIBED_NETWORKS.flatMap((descriptor) => (descriptor.settings ?? []).map((setting) => [setting.variable, read.oneOf(setting.variable, setting.default, setting.values)]))),
      quotas: parseQuotas(read, read.string('NETWORK_QUOTAS', DEFAULT_QUOTAS)),
    };
  },
};

/** The networks' settings as `config`'s environment gives them (read once per config). */
export function networksConfig(config: HeraldConfig): NetworksConfig {
  return sliceOf(config, NETWORKS_SLICE);
}

/**
 * `threads=250/24h;instagram=account,100/24h;x=off`: per network, its caps
 * (`posts/window`, several with commas), `account` to ask the network for the
 * account's own, `off` for none. Networks not named keep their defaults.
 */
function parseQuotas(read: EnvReader, raw: string): QuotaSettings {
  const quotas: QuotaSettings = {};
  const apply = (text: string, strict: boolean) => {
    for (const entry of text.split(';').map((part) => part.trim()).filter(Boolean)) {
      const [network, spec] = entry.split('=').map((part) => part.trim());
      if (!network || spec === undefined || !/^[a-z]+$/.test(network)) {
        if (strict) read.problems.push(`NETWORK_QUOTAS: "${entry}" is not network=caps (e.g. threads=250/24h)`);
        continue;
      }
      if (!(NETWORKS as readonly string[]).includes(network)) {
        // A misspelt network would otherwise be taken and change nothing.
        read.problems.push(`NETWORK_QUOTAS: "${network}" is not a network (${NETWORKS.join(', ')})`);
        continue;
      }
      const setting: QuotaSettings[string] = { rules: [] };
      for (const part of spec.split(',').map((piece) => piece.trim()).filter(Boolean)) {
        if (part === 'off') continue;
        if (part === 'account') {
          setting.account = true;
          continue;
        }
        const [posts, window] = part.split('/');
        const windowMs = window === undefined ? undefined : parseDuration(window);
        if (!posts || !/^\d+$/.test(posts) || Number(posts) < 1 || windowMs === undefined || windowMs < 1000) {
          read.problems.push(`NETWORK_QUOTAS: "${part}" for ${network} is not posts/window (e.g. 250/24h), account or off`);
          continue;
        }
        setting.rules.push({ posts: Number(posts), windowMs });
      }
      quotas[network] = setting;
    }
  };
  apply(DEFAULT_QUOTAS, false);
  apply(raw === DEFAULT_QUOTAS ? '' : raw, true);
  return quotas;
}

/** Both halves of an app's credentials, or neither; one without the other stops the process. */
function oauthApp(read: EnvReader, idName: string, secretName: string): OAuthApp | undefined {
  const clientId = read.optional(idName);
  const clientSecret = read.optional(secretName);
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined) {
    read.problems.push(`${clientId === undefined ? idName : secretName} is missing (${clientId === undefined ? secretName : idName} is set; set both or neither)`);
    return undefined;
  }
  return { clientId, clientSecret };
}

