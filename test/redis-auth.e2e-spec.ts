/**
 * Herald on Redis servers that want credentials or TLS, of the test's own on
 * loopback: one server with a password and an ACL user, one that speaks only
 * TLS (a CA made for the test), a primary and replica under three Sentinels
 * with passwords on both, and a three-master cluster with a password, the
 * last two also over TLS only. Each
 * publishes a handful of deliveries once each (the mock's record); wrong
 * credentials, and a certificate the client has no CA for, leave the API
 * unready (503) and stop the worker at start with a message saying what to
 * fix, not a stack trace or a reconnect loop. And a worker asked to stop
 * while its Redis answers nothing exits after WORKER_SHUTDOWN_TIMEOUT.
 */
import { FAST_RECOVERY } from './support/env';
import { http, waitFor } from './support/http';
import { freePort } from './support/ports';
import { RedisClusterServers, RedisSentinelServers, RedisStandaloneServer } from './support/redis-servers';
import { RunningProcess, Stack } from './support/stack';

const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Three posts to an X and a Mastodon channel, due in a second: six deliveries, each published once at the mock. */
async function publishesHandful(stack: Stack, tag: string): Promise<void> {
  const { apiKey } = await stack.workspace(tag);
  const channels: { id: string; network: string; handle: string }[] = [];
  for (const network of ['x', 'mastodon']) channels.push(await stack.channel(apiKey, { network, handle: unique(`${tag}_${network}`) }));
  const at = new Date(Date.now() + 1000).toISOString();
  const posts = [0, 1, 2].map((index) => ({ text: `${tag} ${index}`, channelIds: channels.map((channel) => channel.id), schedule: { mode: 'at', at } }));
  const created = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
  expect(created.status).toBe(200);
  expect(created.body.failed).toBe(0);
  await waitFor(`the ${tag} deliveries to settle`, async () => {
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1 AND d.status IN ('published', 'failed')`,
      [`${tag} %`],
    );
    return (rows[0] as { n: number }).n === 6;
  }, { timeoutMs: 60_000, intervalMs: 250 });
  const { rows } = await stack.db.query(
    `SELECT d.status, count(*)::int AS n FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1 GROUP BY d.status`,
    [`${tag} %`],
  );
  expect(rows).toEqual([{ status: 'published', n: 6 }]);
  for (const channel of channels) {
    const texts = (await stack.mockPosts({ network: channel.network, handle: channel.handle })).map((post) => post.text).sort();
    expect({ channel: channel.network, texts }).toEqual({ channel: channel.network, texts: [`${tag} 0`, `${tag} 1`, `${tag} 2`] });
  }
}

/** A worker started with these settings: it exits (code 1) at start, saying why in one message, with no stack trace. */
async function workerRefused(stack: Stack, env: Record<string, string>): Promise<string> {
  const worker = stack.spawn('worker', env);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      worker.child.kill('SIGKILL');
      resolve(null);
    }, 60_000);
    worker.child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const output = worker.output.join('\n');
  expect({ code, output }).toEqual({ code: 1, output: expect.stringContaining('Invalid configuration') });
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/worker ready/);
  return output;
}

/** An API started with these settings: it serves, but /health/ready answers 503, and its log says why once. */
async function apiUnready(stack: Stack, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const api: RunningProcess = stack.spawn('api', { ...env, PORT: String(port) });
  try {
    await waitFor('the api to listen', async () => {
      if (api.child.exitCode !== null) throw new Error(`api exited: ${api.output.slice(-20).join('\n')}`);
      return (await http('GET', `http://127.0.0.1:${port}/health/live`)).status === 200;
    }, { timeoutMs: 90_000 });
    const ready = await http('GET', `http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(ready.body.status).toBe(503);
    expect(ready.body.detail).toMatch(/^Not ready: redis \(.+\) is down$/);
    await waitFor('the api to say why', async () => api.output.some((line) => line.includes('redis refused the api')), { timeoutMs: 45_000 });
    expect((await http('GET', `http://127.0.0.1:${port}/health/ready`)).status).toBe(503);
    return api.output.find((line) => line.includes('redis refused the api'))!;
  } finally {
    await stack.kill(api, 'SIGTERM');
  }
}

describe('Herald on one Redis server with a password on its default user and an ACL user of its own', () => {
  const adminPassword = 'admin-password-e2e';
  const password = 'herald-password-e2e';
  let server: RedisStandaloneServer;
  let stack: Stack;

  beforeAll(async () => {
    server = await RedisStandaloneServer.start({ password: adminPassword, users: [{ name: 'herald', password }] });
    stack = await Stack.start({ redis: { ...server.env, REDIS_USERNAME: 'herald', REDIS_PASSWORD: password }, env: FAST_RECOVERY });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
  });

  it('publishes each delivery once, every connection as the ACL user', async () => {
    await publishesHandful(stack, 'acl');
    expect(await server.holds(server.port, `${stack.queuePrefix}:publish:meta`)).toBe(true);
    const clients = (await server.cli(server.port, 'client', 'list')).trim().split('\n');
    const users = new Set(clients.map((line) => line.match(/ user=(\S+)/)?.[1]));
    // The API's and the worker's connections, and the stack's own; redis-cli's own (the default user) asks.
    expect(clients.filter((line) => line.includes(' user=herald ')).length).toBeGreaterThan(3);
    expect([...users].sort()).toEqual(['default', 'herald']);
  });

  it('with a wrong password: the API answers 503 on /health/ready and the worker does not start, naming the settings', async () => {
    expect(await apiUnready(stack, { REDIS_PASSWORD: 'not-the-password' })).toMatch(/Redis refused Herald's credentials \(WRONGPASS/);
    const output = await workerRefused(stack, { REDIS_PASSWORD: 'not-the-password' });
    expect(output).toMatch(/Redis refused Herald's credentials \(WRONGPASS invalid username-password pair/);
    expect(output).toMatch(/check REDIS_USERNAME and REDIS_PASSWORD/);
    // With none at all, the server's NOAUTH says the same.
    expect(await workerRefused(stack, { REDIS_USERNAME: '', REDIS_PASSWORD: '' })).toMatch(/Redis refused Herald's credentials \(.*NOAUTH/);
  });
});

describe('Herald on one Redis server that speaks only TLS, its certificate signed by a private CA', () => {
  let server: RedisStandaloneServer;
  let stack: Stack;

  beforeAll(async () => {
    server = await RedisStandaloneServer.start({ tls: true });
    stack = await Stack.start({ redis: server.env, env: FAST_RECOVERY });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
  });

  it('publishes each delivery once with REDIS_URL=rediss://... and REDIS_TLS_CA_FILE, the server taking no plain connection', async () => {
    expect(stack.env.REDIS_URL).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.env.REDIS_TLS_CA_FILE).toMatch(/ca\.crt$/);
    await publishesHandful(stack, 'tls');
    expect(await server.holds(server.port, `${stack.queuePrefix}:publish:meta`)).toBe(true);
    // Without TLS the server's port answers nothing Redis would.
    await expect(RedisStandaloneServer.plainPing(server.port)).rejects.toThrow();
  });

  it('without the CA the certificate is refused (checked by default): the API answers 503 and the worker does not start, naming REDIS_TLS_CA_FILE', async () => {
    expect(await apiUnready(stack, { REDIS_TLS_CA_FILE: '' })).toMatch(/Redis's TLS certificate is not trusted/);
    const output = await workerRefused(stack, { REDIS_TLS_CA_FILE: '' });
    expect(output).toMatch(/Redis's TLS certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/);
    expect(output).toMatch(/set REDIS_TLS_CA_FILE to the CA that signed it/);
    // A missing CA file is refused before anything connects.
    expect(await workerRefused(stack, { REDIS_TLS_CA_FILE: `${server.dir}/no-such-ca.crt` })).toMatch(/REDIS_TLS_CA_FILE cannot be read \(ENOENT/);
  });
});

describe('Herald on a primary and replica under three Sentinels, over TLS only, with passwords on the sentinels and on the data nodes', () => {
  let group: RedisSentinelServers;
  let stack: Stack;

  beforeAll(async () => {
    group = await RedisSentinelServers.start('herald-auth', { password: 'data-password-e2e', sentinelPassword: 'sentinel-password-e2e', tls: true });
    stack = await Stack.start({ redis: group.env, env: FAST_RECOVERY });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await group?.stop();
  });

  it('publishes each delivery once with REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD, REDIS_TLS=1 and REDIS_TLS_CA_FILE', async () => {
    expect(stack.env).toMatchObject({ REDIS_PASSWORD: 'data-password-e2e', REDIS_SENTINEL_PASSWORD: 'sentinel-password-e2e', REDIS_TLS: '1' });
    await publishesHandful(stack, 'sentinel-auth');
    expect(await group.holds(group.primary.port, `${stack.queuePrefix}:publish:meta`)).toBe(true);
    // No plain connection is taken, by the sentinels or the servers.
    for (const port of [group.primary.port, group.replica.port, ...group.sentinelPorts]) await expect(RedisStandaloneServer.plainPing(port)).rejects.toThrow();
  });

  it('with a wrong sentinel password the worker does not start, naming the settings', async () => {
    expect(await workerRefused(stack, { REDIS_SENTINEL_PASSWORD: 'not-the-password' })).toMatch(/Redis refused Herald's credentials .*REDIS_SENTINEL_PASSWORD/);
  });
});

describe('Herald on a three-master Redis Cluster over TLS only, with a password', () => {
  let cluster: RedisClusterServers;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await RedisClusterServers.start({ masters: 3, password: 'cluster-password-e2e', tls: true });
    stack = await Stack.start({ redis: cluster.env, env: { ...FAST_RECOVERY, PUBLISH_QUEUE_SHARDS: '3' } });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  it('publishes each delivery once with REDIS_PASSWORD (--requirepass and --masterauth on every node), REDIS_TLS=1 and REDIS_TLS_CA_FILE', async () => {
    expect(stack.env).toMatchObject({ REDIS_PASSWORD: 'cluster-password-e2e', REDIS_TLS: '1' });
    await publishesHandful(stack, 'cluster-auth');
    const masters = (await cluster.nodes()).filter((node) => node.role === 'master').map((node) => node.port);
    const holding = await Promise.all(masters.map((port) => cluster.holds(port, `${stack.queuePrefix}:reconcile:meta`)));
    expect(holding.filter(Boolean)).toHaveLength(1);
    for (const port of masters) await expect(RedisStandaloneServer.plainPing(port)).rejects.toThrow();
  });

  it('with a wrong password the worker does not start, naming the settings', async () => {
    expect(await workerRefused(stack, { REDIS_PASSWORD: 'not-the-password' })).toMatch(/Redis refused Herald's credentials/);
  });
});

describe('a worker asked to stop while its Redis no longer answers', () => {
  let server: RedisStandaloneServer;
  let stack: Stack;

  beforeAll(async () => {
    server = await RedisStandaloneServer.start({});
    stack = await Stack.start({ redis: server.env, workers: 0, env: FAST_RECOVERY });
  }, 240_000);

  afterAll(async () => {
    server?.node.child.kill('SIGCONT');
    await stack?.stop();
    await server?.stop();
  });

  it('exits with code 1 after WORKER_SHUTDOWN_TIMEOUT, saying so, instead of waiting on Redis for ever', async () => {
    const worker = stack.spawn('worker', { WORKER_SHUTDOWN_TIMEOUT: '3s' });
    await waitFor('the worker to be ready', async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output.slice(-20).join('\n')}`);
      return worker.output.some((line) => line.includes('worker ready'));
    }, { timeoutMs: 90_000 });
    // Frozen, the server keeps its connections open and answers nothing: BullMQ's close (QUIT) waits on it.
    server.node.child.kill('SIGSTOP');
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 60_000)))]);
    clearTimeout(timer);
    const waited = Date.now() - started;
    server.node.child.kill('SIGCONT');
    if (code === 'hung') worker.child.kill('SIGKILL');
    expect({ code, timedOut: worker.output.some((line) => line.includes('worker shutdown timed out')) }).toEqual({ code: 1, timedOut: true });
    expect(waited).toBeGreaterThanOrEqual(2900);
  });
});
