import { isIP } from 'node:net';
import { type ConfigSlice, recordSlices } from './config-slice';
import { ConfigError, type Env, EnvReader } from './env-reader';
import { placeholderProblems } from './placeholders';
import { RedisSettings, readRedisSettings } from './redis-settings';

/**
 * The environment, read and validated once at start. Every process takes its
 * settings from here; a missing or malformed variable stops it with a message
 * naming the variable.
 */
export interface AnalyticsSettings {
  /** How long after publishing each scheduled snapshot is taken (ANALYTICS_SNAPSHOTS), rising. */
  snapshotsMs: number[];
  /** How often the worker looks for snapshots due (ANALYTICS_TICK). */
  tickMs: number;
  /** At most this many posts read per look, so reads spread over time (ANALYTICS_READS_PER_TICK). */
  readsPerTick: number;
  /** A post's metrics are refreshed on demand at most this often (ANALYTICS_REFRESH_INTERVAL). */
  refreshEveryMs: number;
  /** Each channel's account figures (followers) are read this long after the last reading (ANALYTICS_ACCOUNT_INTERVAL). */
  accountEveryMs: number;
}

/** The link shortener the installation uses for posts that ask for short links (docs/content.md, "Short links"). */
export interface LinkShortenerSettings {
  /** LINK_SHORTENER: `shlink` or `kutt` (self-hosted) or `dub`. */
  kind: 'shlink' | 'kutt' | 'dub';
  /** LINK_SHORTENER_URL: where its API is (Dub's is https://api.dub.co unless told). */
  url: string;
  /** LINK_SHORTENER_API_KEY. */
  apiKey: string;
  /** LINK_SHORTENER_DOMAIN: the short domain to use, where the shortener serves several. */
  domain?: string;
  /** LINK_SHORTENER_TIMEOUT: one call's limit; a link not shortened in time stays long. */
  timeoutMs: number;
}

export const LINK_SHORTENERS = ['shlink', 'kutt', 'dub'] as const;

export interface HeraldConfig {
  databaseUrl: string;
  /**
   * Where `npm run migrate` reaches Postgres itself when DATABASE_URL goes
   * through a transaction pooler (DATABASE_DIRECT_URL); unset, it uses
   * DATABASE_URL, and refuses it if that is such a pooler.
   */
  databaseDirectUrl: string | undefined;
  /**
   * Whether hot statements go as named prepared statements
   * (DATABASE_PREPARED_STATEMENTS, on by default). A prepared statement lives
   * on one server connection; a pooler that hands a client another server
   * connection per transaction (PgBouncer before 1.21 in transaction mode, or
   * 1.21+ without max_prepared_statements) answers "prepared statement ...
   * does not exist" or "already exists". Off, the same statements go unnamed
   * and are planned on every call.
   */
  databasePreparedStatements: boolean;
  /**
   * The statement timeout each connection asks for at startup
   * (DATABASE_STATEMENT_TIMEOUT, 30s); 0 asks for none. PgBouncer refuses the
   * startup parameter ("unsupported startup parameter: statement_timeout"):
   * behind it set 0 and give the role the timeout on the server instead
   * (ALTER ROLE herald SET statement_timeout = '30s').
   */
  databaseStatementTimeoutMs: number;
  /** REDIS_URL when Redis is one server; with a cluster or Sentinel, what `redis` names instead (not read). */
  redisUrl: string;
  /** The Redis topology, credentials and TLS: every client Herald opens is made from it (libs/queue's connection.ts). */
  redis: RedisSettings;
  queuePrefix: string;
  /**
   * How many BullMQ queues the publish queue is split into
   * (PUBLISH_QUEUE_SHARDS, 1), each under a hash tag of its own so that a
   * Redis Cluster spreads them over its masters; a delivery's shard is fixed
   * by its channel (libs/queue publish-shards.ts). One shard is the queue
   * Herald always had (`publish`, under the prefix itself).
   */
  publishQueueShards: number;
  /** The shards this worker takes jobs from (PUBLISH_QUEUE_SHARDS_CONSUMED, e.g. `0,2`; all by default). */
  publishQueueShardsConsumed: number[];
  port: number;
  mockSocialPort: number;
  /**
   * Where the mock networks are (their `/_mock/networks` lists each network's
   * origin): set, every network but a channel's own host is reached there;
   * unset (the default), Herald talks to the real networks.
   */
  mockSocialUrl: string | undefined;
  /** Where Herald's API is reached from a browser: the OAuth callback and signed media links live under it. */
  publicUrl: string;
  /** Unset only outside production; the API then refuses admin calls. */
  adminToken: string | undefined;
  workerConcurrency: number;
  /** How long a worker asked to stop waits for its in-flight publishes and its connections to close before it exits anyway (code 1). */
  workerShutdownTimeoutMs: number;
  logLevel: LogLevel;
  /**
   * How log lines are written (LOG_FORMAT): `json`, one JSON object a line
   * for a log collector, or `pretty`, one short readable line for a person
   * at a terminal. Default: `pretty` when NODE_ENV is `development` (its
   * default), else `json` (production, and the tests, which read the lines).
   */
  logFormat: LogFormat;
  /** Deliveries due within this window live in Redis; later ones only in Postgres. */
  horizonMs: number;
  /** Analytics (docs/analytics.md): when published posts' metrics are read back, and how fast. */
  analytics: AnalyticsSettings;
  /** How often the reconciler sweeps Postgres for work entering the horizon or stuck claims. */
  reconcileIntervalMs: number;
  /** How far ahead a recurring series' occurrences are made as posts (HERALD_SERIES_AHEAD_DAYS); the next ones are only computed. */
  seriesAheadMs: number;
  /** How long a worker's claim on a delivery lasts before another may recover it. */
  claimLeaseMs: number;
  /**
   * A ceiling on one delivery's attempts, a guard against loops: transient
   * failures are retried for `publishRetryWindowMs`, not for a count.
   */
  maxPublishAttempts: number;
  /** First retry delay of a transient failure; doubles per attempt, capped at `retryMaxDelayMs`, with full jitter. */
  retryBackoffMs: number;
  retryMaxDelayMs: number;
  /** How long after its scheduled time a delivery failing transiently is still retried; then it is `failed` (`network_unavailable`). */
  publishRetryWindowMs: number;
  /** The circuit breaker per network host (see libs/queue circuits). */
  circuit: CircuitSettings;
  /** Request timeout of a call to a network. */
  networkTimeoutMs: number;
  /** Pages of an account's posts a crash-recovery lookup reads at most; past them it answers "cannot tell" (`unconfirmed`). */
  lookupMaxPages: number;
  /** How far before the claim a lookup reads, for clocks that disagree (Herald's, Postgres's, the network's). */
  lookupClockSkewMs: number;
  /**
   * How long after a call whose outcome is unknown (a timeout, a dropped
   * connection, a worker that died mid-call) the network is given to finish
   * acting on it before Herald looks the post up.
   */
  lookupSettleMs: number;
  /**
   * Keys for channel tokens at rest (AES-256-GCM): the first encrypts, all
   * decrypt (older keys stay listed while `npm run rotate-keys` re-encrypts).
   */
  encryptionKeys: Buffer[];
  /** First retry delay of a webhook delivery; it grows 5x per attempt, capped at 6 hours. */
  webhookRetryBaseMs: number;
  webhookMaxAttempts: number;
  /** Requests per minute per API key (per client address without one); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /**
   * Host names, addresses or CIDR ranges that URLs a user gives (webhooks,
   * link cards, media, Mastodon instances, Bluesky services) may reach
   * although private, loopback or otherwise internal.
   */
  urlAllowlist: string[];
  /** DNS servers (`host` or `host:port`) that resolve the names in URLs a user gave; none: the system's resolver. */
  dnsServers: string[];
  /** The link shortener (LINK_SHORTENER and its settings); unset: posts cannot ask for short links. */
  linkShortener?: LinkShortenerSettings;
  /** People signing in: who may sign up, and how long a session lasts. */
  auth: AuthSettings;
  /** Port of the worker's own /metrics and /health (0: any free port, announced in its "worker ready" log line). */
  workerMetricsPort: number;
  /**
   * A port of its own where the API serves /metrics without the admin token
   * (METRICS_PORT, for a scraper inside a private network; unset: none, and
   * /metrics is only on PORT, behind the admin token), on METRICS_HOST.
   */
  metrics: { port: number | undefined; host: string };
  nodeEnv: string;
  /**
   * The environment this config was read from (a frozen copy): the slices
   * other modules own (`sliceOf`) read their variables from it, never from
   * `process.env`, so a config built for a test carries its whole environment.
   */
  env: Readonly<Env>;
}

export interface CircuitSettings {
  /** How many of a host's most recent calls are judged. */
  windowCalls: number;
  /** Fewer calls than this in the window never open the breaker. */
  minCalls: number;
  /** The share of failed calls in the window that opens it (0 to 1). */
  failureRatio: number;
  /** The first cool-off before a probe; doubled each time a probe fails, up to `maxCooloffMs`. */
  cooloffMs: number;
  maxCooloffMs: number;
  /** After the breaker closes, at most this many calls per second go to the host, for `recoveryMs`. */
  recoveryPerSecond: number;
  recoveryMs: number;
  /** How many probes a half-open breaker lets through before it decides, on their failed share against `failureRatio`. */
  halfOpenProbes: number;
  /** While a host is degraded (failing, but not down), a transient failure is retried within this at most. */
  degradedRetryMaxMs: number;
}

export interface AuthSettings {
  /** After the installation's first person, anyone may sign up (and gets a workspace of their own); else sign-up is by invitation. */
  openSignup: boolean;
  /** A session unused for this long has ended. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  sessionMaxAgeMs: number;
  /** How long an invitation's link may be used. */
  invitationTtlMs: number;
  /** How long a password-reset token may be used. */
  resetTokenTtlMs: number;
  /** Outgoing email (password resets): SMTP when `smtpUrl` is set, else the link is logged outside production. */
  mail: MailSettings;
}

export interface MailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465` (TLS); unset: no email is sent. */
  smtpUrl?: string;
  /** The From of every email Herald sends. */
  from: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LINK_SHORTENER and its settings; unset: none. */
function linkShortener(read: EnvReader): LinkShortenerSettings | undefined {
  if (read.optional('LINK_SHORTENER') === undefined) return undefined;
  const kind = read.oneOf('LINK_SHORTENER', 'shlink', LINK_SHORTENERS);
  const url = read.optional('LINK_SHORTENER_URL');
  if (url === undefined && kind !== 'dub') read.problems.push(`LINK_SHORTENER_URL is required with LINK_SHORTENER=${kind} (where its API is, e.g. https://s.example.com)`);
  const apiKey = read.optional('LINK_SHORTENER_API_KEY');
  if (apiKey === undefined) read.problems.push(`LINK_SHORTENER_API_KEY is required with LINK_SHORTENER=${kind}`);
  return {
    kind,
    url: (url === undefined ? 'https://api.dub.co' : read.url('LINK_SHORTENER_URL', '', ['http:', 'https:'])).replace(/\/+$/, ''),
    apiKey: apiKey ?? '',
    ...(read.optional('LINK_SHORTENER_DOMAIN') !== undefined ? { domain: read.string('LINK_SHORTENER_DOMAIN', '') } : {}),
    timeoutMs: read.duration('LINK_SHORTENER_TIMEOUT', 5000, 100, 60_000),
  };
}

/**
 * Reads and checks the environment once: Herald's own settings and the
 * `slices` the process's modules own (ConfigSlice), every problem reported
 * together in one ConfigError.
 */
export function loadConfig(env: Env = process.env, slices: readonly ConfigSlice<unknown>[] = []): HeraldConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.string('NODE_ENV', 'development');
  const queuePrefix = read.string('HERALD_QUEUE_PREFIX', 'herald');
  if (!/^[A-Za-z0-9_{}:.-]{1,64}$/.test(queuePrefix)) {
    read.problems.push(`HERALD_QUEUE_PREFIX may hold only letters, digits and _{}:.- (got "${queuePrefix}")`);
  }
  const adminToken = read.optional('HERALD_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    read.problems.push('HERALD_ADMIN_TOKEN must be at least 16 characters long');
  }
  const redis = readRedisSettings(read, queuePrefix);
  const config: HeraldConfig = {
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/herald', ['postgres:', 'postgresql:']),
    databaseDirectUrl: read.optional('DATABASE_DIRECT_URL') === undefined ? undefined : read.url('DATABASE_DIRECT_URL', '', ['postgres:', 'postgresql:']),
    databasePreparedStatements: read.oneOf('DATABASE_PREPARED_STATEMENTS', 'on', ['on', 'off'] as const) === 'on',
    databaseStatementTimeoutMs: read.duration('DATABASE_STATEMENT_TIMEOUT', 30_000, 0, 86_400_000),
    redisUrl: redis.topology.kind === 'standalone' ? redis.topology.url : '',
    redis,
    queuePrefix,
    publishQueueShards: read.integer('PUBLISH_QUEUE_SHARDS', 1, 1, MAX_PUBLISH_QUEUE_SHARDS),
    publishQueueShardsConsumed: [],
    port: read.integer('PORT', 3000, 0, 65535),
    mockSocialPort: read.integer('MOCK_SOCIAL_PORT', 4010, 0, 65535),
    mockSocialUrl: read.optional('MOCK_SOCIAL_URL') === undefined ? undefined : read.url('MOCK_SOCIAL_URL', '', ['http:', 'https:']).replace(/\/+$/, ''),
    publicUrl: '',
    adminToken,
    workerConcurrency: read.integer('WORKER_CONCURRENCY', 64, 1, 1000),
    workerShutdownTimeoutMs: read.duration('WORKER_SHUTDOWN_TIMEOUT', 120_000, 1000, 3_600_000),
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: read.oneOf('LOG_FORMAT', nodeEnv === 'development' ? 'pretty' : 'json', LOG_FORMATS),
    horizonMs: read.integer('HERALD_HORIZON_SECONDS', 600, 5, 30 * 86400) * 1000,
    reconcileIntervalMs: read.integer('RECONCILE_INTERVAL_MS', 5000, 100, 3_600_000),
    analytics: {
      snapshotsMs: read.durations('ANALYTICS_SNAPSHOTS', [3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000], 100, 366 * 86_400_000),
      tickMs: read.duration('ANALYTICS_TICK', 30_000, 50, 3_600_000),
      readsPerTick: read.integer('ANALYTICS_READS_PER_TICK', 500, 1, 100_000),
      refreshEveryMs: read.duration('ANALYTICS_REFRESH_INTERVAL', 60_000, 0, 86_400_000),
      accountEveryMs: read.duration('ANALYTICS_ACCOUNT_INTERVAL', 86_400_000, 100, 30 * 86_400_000),
    },
    seriesAheadMs: read.integer('HERALD_SERIES_AHEAD_DAYS', 14, 1, 730) * 86_400_000,
    claimLeaseMs: read.integer('CLAIM_LEASE_MS', 60_000, 1000, 3_600_000),
    maxPublishAttempts: read.integer('MAX_PUBLISH_ATTEMPTS', 200, 1, 100_000),
    retryBackoffMs: read.integer('RETRY_BACKOFF_MS', 2000, 10, 600_000),
    retryMaxDelayMs: read.integer('RETRY_MAX_DELAY_MS', 300_000, 10, 3_600_000),
    publishRetryWindowMs: read.duration('PUBLISH_RETRY_WINDOW', 6 * 3_600_000, 1000, 30 * 86_400_000),
    circuit: {
      windowCalls: read.integer('CIRCUIT_WINDOW_CALLS', 20, 2, 1000),
      minCalls: read.integer('CIRCUIT_MIN_CALLS', 10, 1, 1000),
      failureRatio: read.ratio('CIRCUIT_FAILURE_RATIO', 0.6),
      cooloffMs: read.integer('CIRCUIT_COOLOFF_MS', 15_000, 10, 3_600_000),
      maxCooloffMs: read.integer('CIRCUIT_MAX_COOLOFF_MS', 600_000, 10, 86_400_000),
      recoveryPerSecond: read.integer('CIRCUIT_RECOVERY_PER_SECOND', 200, 1, 100_000),
      recoveryMs: read.integer('CIRCUIT_RECOVERY_MS', 60_000, 0, 3_600_000),
      halfOpenProbes: read.integer('CIRCUIT_HALF_OPEN_PROBES', 5, 1, 100),
      degradedRetryMaxMs: read.integer('CIRCUIT_DEGRADED_RETRY_MAX_MS', 2000, 10, 3_600_000),
    },
    networkTimeoutMs: read.integer('NETWORK_TIMEOUT_MS', 15_000, 100, 300_000),
    lookupMaxPages: read.integer('LOOKUP_MAX_PAGES', 20, 1, 1000),
    lookupClockSkewMs: read.integer('LOOKUP_CLOCK_SKEW_MS', 60_000, 0, 3_600_000),
    lookupSettleMs: read.integer('LOOKUP_SETTLE_MS', 10_000, 0, 600_000),
    workerMetricsPort: read.integer('WORKER_METRICS_PORT', 9464, 0, 65535),
    metrics: {
      port: read.optional('METRICS_PORT') === undefined ? undefined : read.integer('METRICS_PORT', 0, 0, 65535),
      host: read.string('METRICS_HOST', '0.0.0.0'),
    },
    encryptionKeys: [],
    webhookRetryBaseMs: read.integer('WEBHOOK_RETRY_BASE_MS', 5000, 10, 3_600_000),
    webhookMaxAttempts: read.integer('WEBHOOK_MAX_ATTEMPTS', 8, 1, 30),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    auth: {
      openSignup: read.oneOf('AUTH_OPEN_SIGNUP', 'false', ['true', 'false'] as const) === 'true',
      sessionIdleMs: read.duration('SESSION_IDLE_TIMEOUT', 12 * 3_600_000, 60_000, 365 * 86_400_000),
      sessionMaxAgeMs: read.duration('SESSION_MAX_AGE', 7 * 86_400_000, 60_000, 365 * 86_400_000),
      invitationTtlMs: read.duration('INVITATION_TTL', 7 * 86_400_000, 300_000, 90 * 86_400_000),
      resetTokenTtlMs: read.duration('RESET_TOKEN_TTL', 3_600_000, 60_000, 86_400_000),
      mail: { from: '' },
    },
    urlAllowlist: read
      .string('HERALD_URL_ALLOWLIST', '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
    dnsServers: read
      .string('HERALD_DNS_SERVERS', '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    nodeEnv,
    env: Object.freeze({ ...env }),
  };
  if (nodeEnv === 'production' && adminToken === undefined) {
    read.problems.push('HERALD_ADMIN_TOKEN is required when NODE_ENV=production');
  }
  if (nodeEnv === 'production') read.problems.push(...placeholderProblems(env));
  for (const server of config.dnsServers) {
    if (isIP(server)) continue;
    const address = server.match(/^\[(.+)\](?::\d{1,5})?$/)?.[1] ?? server.replace(/:\d{1,5}$/, '');
    if (!isIP(address)) read.problems.push(`HERALD_DNS_SERVERS must list DNS servers by address (host or host:port, [v6]:port) (got "${server}")`);
  }
  config.encryptionKeys = encryptionKeys(read, env, nodeEnv);
  config.publicUrl = read.url('HERALD_PUBLIC_URL', `http://127.0.0.1:${config.port}`, ['http:', 'https:']).replace(/\/+$/, '');
  config.auth.mail = {
    smtpUrl: read.optional('SMTP_URL') === undefined ? undefined : read.url('SMTP_URL', '', ['smtp:', 'smtps:']),
    from: read.string('SMTP_FROM', `Herald <no-reply@${hostOf(config.publicUrl)}>`),
  };
  config.publishQueueShardsConsumed = consumedShards(read, config.publishQueueShards);
  config.linkShortener = linkShortener(read);
  if (config.circuit.minCalls > config.circuit.windowCalls) read.problems.push('CIRCUIT_MIN_CALLS must not exceed CIRCUIT_WINDOW_CALLS');
  if (config.metrics.port !== undefined && config.metrics.port !== 0 && config.metrics.port === config.port) read.problems.push('METRICS_PORT must differ from PORT (the API\'s own port serves /metrics behind the admin token)');
  if (config.claimLeaseMs <= config.networkTimeoutMs) {
    read.problems.push('CLAIM_LEASE_MS must be longer than NETWORK_TIMEOUT_MS, or a slow call could outlive its claim');
  }
  const sliced = new Map(slices.map((slice) => [slice, slice.read(read, config)] as const));
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  recordSlices(config, sliced);
  return config;
}

/** Each shard is a queue (and, in each worker, a BullMQ worker with its two connections): a cluster has fewer masters than this. */
export const MAX_PUBLISH_QUEUE_SHARDS = 64;

/** PUBLISH_QUEUE_SHARDS_CONSUMED: shard numbers from 0 to shards - 1, each once; every shard when unset. */
function consumedShards(read: EnvReader, shards: number): number[] {
  const all = Array.from({ length: shards }, (_, index) => index);
  const raw = read.optional('PUBLISH_QUEUE_SHARDS_CONSUMED');
  if (raw === undefined) return all;
  const entries = raw.split(',').map((part) => part.trim());
  const picked = entries.filter((entry) => /^\d{1,3}$/.test(entry) && Number(entry) < shards).map(Number);
  if (picked.length !== entries.length || new Set(picked).size !== picked.length) {
    read.problems.push(`PUBLISH_QUEUE_SHARDS_CONSUMED must list shard numbers from 0 to ${shards - 1} (PUBLISH_QUEUE_SHARDS is ${shards}), each once, separated by commas (got "${raw}")`);
    return all;
  }
  return picked.sort((a, b) => a - b);
}

/** The host of a URL (the default email From's domain), `localhost` when it has none. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** Only for development and tests without HERALD_ENCRYPTION_KEY: tokens are then as safe as this public key. */
const DEVELOPMENT_KEY = Buffer.alloc(32, 'herald-development-key-not-secret');

function encryptionKeys(read: EnvReader, env: Env, nodeEnv: string): Buffer[] {
  const parse = (name: string, value: string): Buffer | undefined => {
    const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) {
      read.problems.push(`${name} must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)`);
      return undefined;
    }
    return key;
  };
  const current = env.HERALD_ENCRYPTION_KEY;
  if (!current) {
    if (nodeEnv === 'production') read.problems.push('HERALD_ENCRYPTION_KEY is required when NODE_ENV=production');
    return [DEVELOPMENT_KEY];
  }
  const keys = [parse('HERALD_ENCRYPTION_KEY', current)];
  for (const old of (env.HERALD_ENCRYPTION_OLD_KEYS ?? '').split(',').map((value) => value.trim()).filter(Boolean)) {
    keys.push(parse('HERALD_ENCRYPTION_OLD_KEYS', old));
  }
  return keys.filter((key): key is Buffer => key !== undefined);
}
