import { ConfigError, loadConfig } from './herald-config';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/herald');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.queuePrefix).toBe('herald');
    expect(config.port).toBe(3000);
    expect(config.mockSocialUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.oauthApps).toEqual({ x: undefined, linkedin: undefined, meta: undefined });
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
});
