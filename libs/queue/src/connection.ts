/**
 * The one place Herald's Redis clients are made from the config: one server,
 * a Redis Cluster or a primary under Sentinel, with the credentials and TLS
 * given. BullMQ's queues and workers get `bullConnection` (BullMQ opens, and
 * closes, each of its connections from these options); everything else that
 * talks to Redis outside BullMQ (the rate-limit counters, the e2e stack's
 * cleanup) gets a client from `createRedisClient`. The circuit breaker, the
 * channel budgets, the due-time waker, the reconciler, the health check and
 * the admin endpoint use their queue's own client, so they follow too.
 */
import { Cluster, ClusterOptions, Redis, RedisOptions as IORedisOptions } from 'ioredis';
import { RedisConnection, RedisOptions, createIORedisClient } from 'bullmq';
import { ConfigError, type HeraldConfig, type RedisNode, type RedisSettings } from '@herald/config';

export type RedisRole = 'producer' | 'worker';

/** Where the cluster's nodes ride in BullMQ's connection options, for `clusterAwareFactory` to find. */
const CLUSTER_NODES = 'heraldClusterNodes';

/**
 * BullMQ connection settings from the config. `maxRetriesPerRequest: null` is
 * what BullMQ workers require; producers in the API get a bounded retry so a
 * Redis outage answers quickly instead of hanging a request.
 *
 * BullMQ makes its clients from options with `new Redis(...)` only; for a
 * cluster the options carry the nodes and BullMQ's client factory (set here,
 * once per process) makes an ioredis `Cluster` instead. Passing one shared
 * `Cluster` instance as `connection` would work too, but then no queue owns
 * it and it would have to be closed after the last worker's last job.
 */
export function bullConnection(config: HeraldConfig, role: RedisRole): RedisOptions {
  const { topology } = config.redis;
  const options = nodeOptions(config.redis, role);
  if (topology.kind === 'standalone') return { url: topology.url, ...options };
  if (topology.kind === 'sentinel') return { ...sentinelOptions(config.redis), ...options };
  RedisConnection.clientFactory ??= clusterAwareFactory;
  return { ...options, [CLUSTER_NODES]: topology.nodes };
}

/** A client of Herald's Redis for what is not BullMQ's; the caller closes it. */
export function createRedisClient(settings: RedisSettings, role: RedisRole, extra: { keyPrefix?: string } = {}): Redis | Cluster {
  const { topology } = settings;
  const options = { ...nodeOptions(settings, role), ...extra };
  if (topology.kind === 'standalone') return new Redis(topology.url, options);
  if (topology.kind === 'sentinel') return new Redis({ ...sentinelOptions(settings), ...options });
  const { keyPrefix, ...node } = options;
  return new Cluster(topology.nodes, clusterOptions(node, keyPrefix));
}

/** What every connection to a Redis node gets, whatever the topology: credentials, TLS, the role's retries, reconnects. */
function nodeOptions(settings: RedisSettings, role: RedisRole): IORedisOptions {
  return {
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: tlsOptions(settings) } : {}),
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5000,
    // Reconnect forever with a capped delay: Redis may come and go (and a primary may fail over).
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/** Node's TLS options: the servers' certificates checked (Node's default), against REDIS_TLS_CA_FILE's CAs when given. */
function tlsOptions(settings: RedisSettings): { ca?: string } {
  return settings.tlsCa ? { ca: settings.tlsCa } : {};
}

/** ioredis asks the sentinels where the primary is on every (re)connect, so a failover is followed by reconnecting. */
function sentinelOptions(settings: RedisSettings): IORedisOptions {
  const { topology } = settings;
  if (topology.kind !== 'sentinel') throw new Error('not a Sentinel topology');
  return {
    sentinels: topology.sentinels,
    name: topology.name,
    role: 'master',
    ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
    ...(settings.tls ? { enableTLSForSentinelMode: true, sentinelTLS: tlsOptions(settings) } : {}),
    sentinelRetryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/**
 * A cluster client whose connection to each node has `node`'s settings. The
 * offline queue and the retry policy are the cluster's own: it queues while
 * it learns the slots (workers) or fails at once (producers).
 */
function clusterOptions(node: IORedisOptions, keyPrefix?: string): ClusterOptions {
  const { enableOfflineQueue, retryStrategy, ...redisOptions } = node;
  // BullMQ's default host and port name no node: the cluster's nodes come from the topology.
  delete redisOptions.host;
  delete redisOptions.port;
  return {
    redisOptions,
    ...(keyPrefix ? { keyPrefix } : {}),
    enableOfflineQueue,
    enableReadyCheck: true,
    clusterRetryStrategy: retryStrategy ?? (() => 2000),
    slotsRefreshTimeout: 2000,
    // A master that failed answers nothing until its replica takes over: ask again soon.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
  };
}

/**
 * BullMQ's client factory: a `Cluster` for options that carry cluster nodes,
 * else what BullMQ itself would have made. BullMQ adds `host`, `port` and, on
 * its blocking connections, `connectionName` and `maxRetriesPerRequest: null`.
 */
function clusterAwareFactory(options: RedisOptions) {
  const { [CLUSTER_NODES]: nodes, url, ...rest } = options as RedisOptions & { [CLUSTER_NODES]?: RedisNode[] };
  if (nodes) return createIORedisClient(new Cluster(nodes, clusterOptions(rest as IORedisOptions)));
  return createIORedisClient(url ? new Redis(url, rest as IORedisOptions) : new Redis(rest as IORedisOptions));
}

/**
 * What no reconnect mends, said as what to fix: Redis refusing the
 * credentials (WRONGPASS, NOAUTH, NOPERM), or a server certificate that
 * cannot be trusted. Undefined for anything else (Redis not up yet, a
 * network error), which reconnecting may mend.
 */
export function redisAccessProblem(error: unknown, topology?: RedisSettings['topology']['kind']): string | undefined {
  const causes = [error, (error as { lastNodeError?: unknown } | undefined)?.lastNodeError].filter(Boolean) as (Error & { code?: string })[];
  for (const cause of causes) {
    const message = String(cause.message ?? cause);
    if (/\b(WRONGPASS|NOAUTH|NOPERM)\b|invalid password/.test(message)) {
      const where =
        topology === 'sentinel'
          ? 'REDIS_USERNAME and REDIS_PASSWORD for the primary, REDIS_SENTINEL_PASSWORD for the sentinels'
          : topology === 'cluster'
            ? "REDIS_USERNAME and REDIS_PASSWORD (every node's)"
            : "REDIS_USERNAME and REDIS_PASSWORD (a REDIS_URL's own user and password win over them)";
      return `Redis refused Herald's credentials (${message.trim()}): check ${where}`;
    }
    if (cause.code && TLS_TRUST_ERRORS.has(cause.code)) {
      return `Redis's TLS certificate is not trusted (${cause.code}: ${message}): set REDIS_TLS_CA_FILE to the CA that signed it, and name the server as its certificate does`;
    }
  }
  return undefined;
}

const TLS_TRUST_ERRORS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * One connection with the settings: what Redis refused that no reconnect
 * mends (the credentials, its certificate), or undefined once it answers, or
 * on anything else (Redis not up yet: left to the clients' reconnecting), or
 * after `timeoutMs` with no answer.
 */
export async function findRedisAccessProblem(settings: RedisSettings, timeoutMs = 10_000): Promise<string | undefined> {
  const client = createRedisClient(settings, 'worker');
  try {
    return await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const done = (answer: string | undefined) => {
        clearTimeout(timer);
        resolve(answer);
      };
      client.once('ready', () => done(undefined));
      client.on('error', (error: unknown) => done(redisAccessProblem(error, settings.topology.kind)));
    });
  } finally {
    client.disconnect();
  }
}

/** Before a worker starts its queues: a refused access is a ConfigError (said without a stack; the process exits). */
export async function checkRedisAccess(settings: RedisSettings): Promise<void> {
  const problem = await findRedisAccessProblem(settings);
  if (problem) throw new ConfigError([problem]);
}
