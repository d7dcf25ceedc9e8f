import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './env-reader';
import { loadConfig } from './herald-config';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/herald');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.queuePrefix).toBe('herald');
    expect(config.port).toBe(3000);
    expect(config.mockSocialUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.workerConcurrency).toBe(64);
    expect(config.horizonMs).toBe(600_000);
  });

  it('names every wrong variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', WORKER_CONCURRENCY: '0', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'REDIS_URL', 'WORKER_CONCURRENCY', 'LOG_LEVEL']) expect(message).toContain(name);
  });

  it('retries for a window read as a duration, and names a bad one', () => {
    expect(loadConfig({}).publishRetryWindowMs).toBe(6 * 3_600_000);
    expect(loadConfig({ PUBLISH_RETRY_WINDOW: '90s' }).publishRetryWindowMs).toBe(90_000);
    expect(loadConfig({ PUBLISH_RETRY_WINDOW: '30m' }).publishRetryWindowMs).toBe(1_800_000);
    expect(loadConfig({ PUBLISH_RETRY_WINDOW: '2d' }).publishRetryWindowMs).toBe(2 * 86_400_000);
    expect(loadConfig({ PUBLISH_RETRY_WINDOW: '45000' }).publishRetryWindowMs).toBe(45_000);
    for (const bad of ['soon', '6 hours', '-1h', '0', '31d']) expect(() => loadConfig({ PUBLISH_RETRY_WINDOW: bad })).toThrow(/PUBLISH_RETRY_WINDOW/);
  });

  it('sends named prepared statements and a 30 s statement timeout unless told not to, for poolers', () => {
    const defaults = loadConfig({});
    expect(defaults.databasePreparedStatements).toBe(true);
    expect(defaults.databaseStatementTimeoutMs).toBe(30_000);
    expect(defaults.databaseDirectUrl).toBeUndefined();
    const pooled = loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off', DATABASE_STATEMENT_TIMEOUT: '0', DATABASE_DIRECT_URL: 'postgres://db.internal:5432/herald' });
    expect(pooled.databasePreparedStatements).toBe(false);
    expect(pooled.databaseStatementTimeoutMs).toBe(0);
    expect(pooled.databaseDirectUrl).toBe('postgres://db.internal:5432/herald');
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT: '2m' }).databaseStatementTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' })).toThrow(/DATABASE_PREPARED_STATEMENTS must be one of on, off/);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT: 'never' })).toThrow(/DATABASE_STATEMENT_TIMEOUT/);
    expect(() => loadConfig({ DATABASE_DIRECT_URL: 'http://db' })).toThrow(/DATABASE_DIRECT_URL/);
  });

  it('takes a link shortener with its address and key, Dub at its own address unless told, and names what is missing', () => {
    expect(loadConfig({}).linkShortener).toBeUndefined();
    expect(loadConfig({ LINK_SHORTENER: 'shlink', LINK_SHORTENER_URL: 'https://s.example.com/', LINK_SHORTENER_API_KEY: 'k' }).linkShortener).toEqual({
      kind: 'shlink',
      url: 'https://s.example.com',
      apiKey: 'k',
      timeoutMs: 5000,
    });
    expect(loadConfig({ LINK_SHORTENER: 'dub', LINK_SHORTENER_API_KEY: 'k', LINK_SHORTENER_DOMAIN: 'go.example' }).linkShortener).toMatchObject({ url: 'https://api.dub.co', domain: 'go.example' });
    expect(() => loadConfig({ LINK_SHORTENER: 'kutt' })).toThrow(/LINK_SHORTENER_URL is required with LINK_SHORTENER=kutt[\s\S]*LINK_SHORTENER_API_KEY is required/);
    expect(() => loadConfig({ LINK_SHORTENER: 'bitly', LINK_SHORTENER_API_KEY: 'k' })).toThrow(/LINK_SHORTENER must be one of shlink, kutt, dub/);
  });

  it('takes the circuit breaker settings and refuses ones that cannot work', () => {
    expect(loadConfig({}).circuit).toEqual({ windowCalls: 20, minCalls: 10, failureRatio: 0.6, cooloffMs: 15_000, maxCooloffMs: 600_000, recoveryPerSecond: 200, recoveryMs: 60_000, halfOpenProbes: 5, degradedRetryMaxMs: 2000 });
    expect(() => loadConfig({ CIRCUIT_FAILURE_RATIO: '1.5' })).toThrow(/CIRCUIT_FAILURE_RATIO/);
    expect(() => loadConfig({ CIRCUIT_FAILURE_RATIO: '0' })).toThrow(/CIRCUIT_FAILURE_RATIO/);
    expect(() => loadConfig({ CIRCUIT_MIN_CALLS: '30', CIRCUIT_WINDOW_CALLS: '20' })).toThrow(/CIRCUIT_MIN_CALLS/);
  });

  it('requires an admin token and an encryption key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/HERALD_ADMIN_TOKEN/);
    expect(() => loadConfig({ NODE_ENV: 'production', HERALD_ADMIN_TOKEN: 'a'.repeat(32) })).toThrow(/HERALD_ENCRYPTION_KEY/);
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ NODE_ENV: 'production', HERALD_ADMIN_TOKEN: 'a'.repeat(32), HERALD_ENCRYPTION_KEY: key });
    expect(config.adminToken).toBe('a'.repeat(32));
    expect(config.encryptionKeys[0]).toEqual(Buffer.alloc(32, 7));
  });

  it('takes rotation keys and refuses keys that are not 32 bytes', () => {
    const current = 'ab'.repeat(32);
    const old = Buffer.alloc(32, 1).toString('base64');
    expect(loadConfig({ HERALD_ENCRYPTION_KEY: current, HERALD_ENCRYPTION_OLD_KEYS: old }).encryptionKeys).toHaveLength(2);
    expect(() => loadConfig({ HERALD_ENCRYPTION_KEY: 'short' })).toThrow(/HERALD_ENCRYPTION_KEY must be 32 bytes/);
  });

  it('accepts a Redis Cluster hash-tag prefix', () => {
    expect(loadConfig({ HERALD_QUEUE_PREFIX: '{herald}' }).queuePrefix).toBe('{herald}');
    expect(() => loadConfig({ HERALD_QUEUE_PREFIX: 'has space' })).toThrow(/HERALD_QUEUE_PREFIX/);
  });

  it('reads who may sign up and how long sessions last, and refuses what it cannot read', () => {
    expect(loadConfig({}).auth).toEqual({
      openSignup: false,
      sessionIdleMs: 12 * 3_600_000,
      sessionMaxAgeMs: 7 * 86_400_000,
      invitationTtlMs: 7 * 86_400_000,
      resetTokenTtlMs: 3_600_000,
      mail: { smtpUrl: undefined, from: 'Herald <no-reply@127.0.0.1>' },
    });
    expect(
      loadConfig({
        AUTH_OPEN_SIGNUP: 'true',
        SESSION_IDLE_TIMEOUT: '2h',
        SESSION_MAX_AGE: '14d',
        INVITATION_TTL: '2d',
        RESET_TOKEN_TTL: '30m',
        SMTP_URL: 'smtps://herald:secret@mail.example.com:465',
        SMTP_FROM: 'Acme <herald@acme.example>',
      }).auth,
    ).toEqual({
      openSignup: true,
      sessionIdleMs: 7_200_000,
      sessionMaxAgeMs: 14 * 86_400_000,
      invitationTtlMs: 2 * 86_400_000,
      resetTokenTtlMs: 1_800_000,
      mail: { smtpUrl: 'smtps://herald:secret@mail.example.com:465', from: 'Acme <herald@acme.example>' },
    });
    expect(loadConfig({ HERALD_PUBLIC_URL: 'https://herald.acme.example' }).auth.mail.from).toBe('Herald <no-reply@herald.acme.example>');
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ INVITATION_TTL: '1s' })).toThrow(/INVITATION_TTL/);
    expect(() => loadConfig({ RESET_TOKEN_TTL: '30d' })).toThrow(/RESET_TOKEN_TTL/);
    expect(() => loadConfig({ AUTH_OPEN_SIGNUP: 'yes' })).toThrow(/AUTH_OPEN_SIGNUP/);
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: '5s' })).toThrow(/SESSION_IDLE_TIMEOUT/);
    expect(() => loadConfig({ SESSION_MAX_AGE: 'forever' })).toThrow(/SESSION_MAX_AGE/);
  });
});

describe('loadConfig: Redis topologies', () => {
  it('reads one server from REDIS_URL, with TLS for rediss:// and the credentials given', () => {
    expect(loadConfig({}).redis).toEqual({ topology: { kind: 'standalone', url: 'redis://127.0.0.1:6379' }, tls: false });
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380', REDIS_PASSWORD: 'secret', REDIS_USERNAME: 'herald' }).redis).toEqual({
      topology: { kind: 'standalone', url: 'rediss://cache:6380' },
      username: 'herald',
      password: 'secret',
      tls: true,
    });
  });

  it('splits the publish queue into PUBLISH_QUEUE_SHARDS, every one taken by a worker unless PUBLISH_QUEUE_SHARDS_CONSUMED names some', () => {
    expect(loadConfig({})).toMatchObject({ publishQueueShards: 1, publishQueueShardsConsumed: [0] });
    expect(loadConfig({ PUBLISH_QUEUE_SHARDS: '3' })).toMatchObject({ publishQueueShards: 3, publishQueueShardsConsumed: [0, 1, 2] });
    expect(loadConfig({ PUBLISH_QUEUE_SHARDS: '4', PUBLISH_QUEUE_SHARDS_CONSUMED: '2, 0' }).publishQueueShardsConsumed).toEqual([0, 2]);
    for (const bad of ['0', '65', 'three', '1.5']) expect(() => loadConfig({ PUBLISH_QUEUE_SHARDS: bad })).toThrow(/PUBLISH_QUEUE_SHARDS must be an integer from 1 to 64/);
    for (const bad of ['3', '0,0', '0,,1', 'a', '-1']) {
      expect(() => loadConfig({ PUBLISH_QUEUE_SHARDS: '3', PUBLISH_QUEUE_SHARDS_CONSUMED: bad })).toThrow(/PUBLISH_QUEUE_SHARDS_CONSUMED must list shard numbers from 0 to 2/);
    }
  });

  it('reads a cluster from REDIS_CLUSTER_NODES and requires a hash tag in HERALD_QUEUE_PREFIX', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, [::1]:7001', HERALD_QUEUE_PREFIX: '{herald}', REDIS_TLS: '1' });
    expect(config.redis).toEqual({ topology: { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '::1', port: 7001 }] }, tls: true });
    expect(config.redisUrl).toBe('');
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', HERALD_QUEUE_PREFIX: 'app:{herald}' }).queuePrefix).toBe('app:{herald}');
    for (const prefix of ['herald', '{}herald', 'herald}{', '', '{herald']) {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', HERALD_QUEUE_PREFIX: prefix })).toThrow(/HERALD_QUEUE_PREFIX must hold a hash tag/);
    }
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1', HERALD_QUEUE_PREFIX: '{h}' })).toThrow(/REDIS_CLUSTER_NODES must list host:port/);
  });

  it('reads Sentinel from REDIS_SENTINELS and REDIS_SENTINEL_NAME, and refuses one without the other or beside a cluster', () => {
    expect(loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'herald', REDIS_SENTINEL_PASSWORD: 'x' }).redis.topology).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }],
      name: 'herald',
      sentinelPassword: 'x',
    });
    expect(() => loadConfig({ REDIS_SENTINELS: 's1:26379' })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'h', REDIS_CLUSTER_NODES: 'n:7000', HERALD_QUEUE_PREFIX: '{h}' })).toThrow(/both set/);
    expect(() => loadConfig({ REDIS_TLS: 'yes' })).toThrow(/REDIS_TLS/);
  });

  it('trusts the CAs of REDIS_TLS_CA_FILE, read at start, and refuses a file that is missing, holds no certificate, or comes without TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-config-ca-'));
    try {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      writeFileSync(join(dir, 'ca.crt'), pem);
      writeFileSync(join(dir, 'not.crt'), 'hello');
      expect(loadConfig({ REDIS_URL: 'rediss://cache:6380', REDIS_TLS_CA_FILE: join(dir, 'ca.crt') }).redis).toEqual({
        topology: { kind: 'standalone', url: 'rediss://cache:6380' },
        tls: true,
        tlsCa: pem,
      });
      expect(loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'h', REDIS_TLS: '1', REDIS_TLS_CA_FILE: join(dir, 'ca.crt') }).redis.tlsCa).toBe(pem);
      expect(() => loadConfig({ REDIS_TLS: '1', REDIS_TLS_CA_FILE: join(dir, 'missing.crt') })).toThrow(/REDIS_TLS_CA_FILE cannot be read \(ENOENT: .*missing\.crt\)/);
      expect(() => loadConfig({ REDIS_TLS: '1', REDIS_TLS_CA_FILE: join(dir, 'not.crt') })).toThrow(/REDIS_TLS_CA_FILE must hold PEM certificates/);
      expect(() => loadConfig({ REDIS_TLS_CA_FILE: join(dir, 'ca.crt') })).toThrow(/REDIS_TLS_CA_FILE is set but TLS is off/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
