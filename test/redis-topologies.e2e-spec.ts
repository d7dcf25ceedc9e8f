/**
 * Herald past one Redis server, on Redis servers of the test's own (never the
 * machine's): a three-master Redis Cluster, where the API becomes ready, a
 * burst of 1,000 deliveries is published once each, the rate-limit counters
 * and the circuit breaker's state live in the cluster, and a prefix with no
 * hash tag is refused at start; and a primary with one replica under three
 * Sentinels, killed (SIGKILL) in the middle of a burst of 500: Sentinel
 * promotes the replica, the workers follow it, and every delivery is
 * published exactly once.
 */
import { Redis } from 'ioredis';
import { FAST_RECOVERY, REDIS_URL } from './support/env';
import { http, waitFor } from './support/http';
import { RedisClusterServers, RedisSentinelServers } from './support/redis-servers';
import { Stack } from './support/stack';


const NETWORKS = ['x', 'mastodon', 'linkedin', 'facebook'];

const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A workspace with one channel per network of NETWORKS. */
async function channelsOn(stack: Stack, name: string) {
  const { apiKey } = await stack.workspace(name);
  const channels = [];
  for (const network of NETWORKS) channels.push(await stack.channel(apiKey, { network, handle: unique(`${name}_${network}`) }));
  return { apiKey, channels };
}

/** `perChannel` posts to every channel, all due at `dueAt`: one delivery per post and channel. */
async function burst(stack: Stack, apiKey: string, channelIds: string[], tag: string, perChannel: number, dueAt: number) {
  const posts = Array.from({ length: perChannel }, (_, index) => ({ text: `${tag} ${index}`, channelIds, schedule: { mode: 'at', at: new Date(dueAt).toISOString() } }));
  const created = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
  expect(created.status).toBe(200);
  expect(created.body.failed).toBe(0);
}

async function statuses(stack: Stack, tag: string) {
  const { rows } = await stack.db.query(
    `SELECT d.status, count(*)::int AS n FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1 GROUP BY d.status`,
    [`${tag} %`],
  );
  return Object.fromEntries((rows as { status: string; n: number }[]).map((row) => [row.status, row.n])) as Record<string, number>;
}

async function settled(stack: Stack, tag: string, count: number) {
  await waitFor(`${count} ${tag} deliveries to finish`, async () => {
    const counts = await statuses(stack, tag);
    return (counts.published ?? 0) + (counts.failed ?? 0) === count;
  }, { timeoutMs: 180_000, intervalMs: 500 });
}

/** The machine's own Redis holds nothing of the stack: Herald used the test's servers, not a default. */
async function expectNothingOnMachineRedis(stack: Stack) {
  const machine = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    expect(await machine.keys(`${stack.queuePrefix}:*`)).toEqual([]);
  } finally {
    machine.disconnect();
  }
}

/** Each channel's account holds each post of the burst exactly once: the mock's own record, not Herald's. */
async function expectEachOnce(stack: Stack, channels: { network: string; handle: string }[], tag: string, perChannel: number) {
  for (const channel of channels) {
    const accepted = (await stack.mockPosts({ network: channel.network, handle: channel.handle })).filter((post) => post.text.startsWith(`${tag} `));
    const times = accepted.reduce((seen, post) => seen.set(post.text, (seen.get(post.text) ?? 0) + 1), new Map<string, number>());
    expect({ channel: channel.network, twice: [...times].filter(([, n]) => n > 1) }).toEqual({ channel: channel.network, twice: [] });
    expect({ channel: channel.network, posts: times.size }).toEqual({ channel: channel.network, posts: perChannel });
  }
}

describe('Herald on a three-master Redis Cluster', () => {
  let cluster: RedisClusterServers;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await RedisClusterServers.start(3);
    // Rate limits on (far above what the test sends), so the counters are kept in the cluster too.
    stack = await Stack.start({ redis: cluster.env, workers: 2, env: { ...FAST_RECOVERY, RATE_LIMIT_PER_MINUTE: '100000' } });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  it('is ready, with Redis up, on a queue prefix that is one hash tag', async () => {
    expect(stack.queuePrefix).toMatch(/^\{e2e-[0-9a-f]+\}$/);
    const ready = await http('GET', `${stack.apiUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details.redis.status).toBe('up');
    // Every queue's keys under the one tag: on one master of the three, asked directly.
    const holders = await Promise.all(cluster.ports.map((port) => cluster.holds(port, `${stack.queuePrefix}:publish:meta`)));
    expect(holders.filter(Boolean)).toHaveLength(1);
    await expectNothingOnMachineRedis(stack);
  });

  it('publishes a burst of 1,000 deliveries to four accounts, each exactly once', async () => {
    const { apiKey, channels } = await channelsOn(stack, 'cluster');
    const tag = 'cluster-burst';
    const started = Date.now();
    await burst(stack, apiKey, channels.map((channel) => channel.id), tag, 250, Date.now() + 3000);
    await settled(stack, tag, 1000);
    const tookMs = Date.now() - started;
    expect(await statuses(stack, tag)).toEqual({ published: 1000 });
    await expectEachOnce(stack, channels, tag, 250);
    console.log(`cluster: 1,000 deliveries published in ${tookMs} ms from the request (due 3 s after it)`);
  });

  it('keeps the rate-limit counters and the circuit breaker state in the cluster, in the prefix\'s slot', async () => {
    const { apiKey } = await stack.workspace('cluster-counters');
    expect((await http('GET', `${stack.apiUrl}/v1/posts`, { token: apiKey })).headers.get('ratelimit-remaining')).not.toBeNull();
    const keys = await stack.redisKeys(`${stack.queuePrefix}:ratelimit:*`);
    expect(keys.length).toBeGreaterThan(0);
    // The breaker's host hashes and their index, written by its two-key RECORD script after every call of the burst.
    expect(await stack.redis.scard(`${stack.queuePrefix}:circuits`)).toBeGreaterThan(0);
    const overview = await http('GET', `${stack.apiUrl}/admin/queues`, { token: stack.adminToken });
    expect(overview.status).toBe(200);
    expect((overview.body.networks as { network: string }[]).map((circuit) => circuit.network)).toEqual(expect.arrayContaining(NETWORKS));
  });

  it('refuses to start on a cluster with a queue prefix that has no hash tag, naming HERALD_QUEUE_PREFIX', async () => {
    for (const app of ['worker', 'api'] as const) {
      const refused = stack.spawn(app, { HERALD_QUEUE_PREFIX: 'herald-untagged' });
      const code = await new Promise<number | null>((resolve) => {
        const started = setTimeout(() => {
          refused.child.kill('SIGKILL');
          resolve(null);
        }, 20_000);
        refused.child.once('exit', (exitCode) => {
          clearTimeout(started);
          resolve(exitCode);
        });
      });
      expect(code).toBe(1);
      expect(refused.output.join('\n')).toMatch(/HERALD_QUEUE_PREFIX must hold a hash tag/);
    }
  });
});

describe('Herald on a primary with one replica under three Sentinels', () => {
  let group: RedisSentinelServers;
  let stack: Stack;

  beforeAll(async () => {
    group = await RedisSentinelServers.start('herald');
    stack = await Stack.start({ redis: group.env, workers: 2, env: FAST_RECOVERY });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await group?.stop();
  });

  it('publishes a burst of 500 exactly once when the primary is killed in the middle and Sentinel promotes the replica', async () => {
    expect(await group.primaryPort()).toBe(group.primary.port);
    // Herald's queues are on the primary the sentinels named, and on nothing of the machine's.
    expect(await group.holds(group.primary.port, `${stack.queuePrefix}:publish:meta`)).toBe(true);
    await expectNothingOnMachineRedis(stack);
    const { apiKey, channels } = await channelsOn(stack, 'sentinel');
    // Each call 30 ms slow, so the burst lasts long enough to be cut in the middle.
    for (const channel of channels) {
      expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: channel.network, handle: channel.handle, latencyMs: 30 } })).status).toBe(201);
    }
    const tag = 'sentinel-burst';
    const started = Date.now();
    await burst(stack, apiKey, channels.map((channel) => channel.id), tag, 125, Date.now() + 3000);
    let atKill: Record<string, number> = {};
    await waitFor('the burst to be under way', async () => {
      atKill = await statuses(stack, tag);
      return (atKill.published ?? 0) >= 100;
    }, { timeoutMs: 60_000, intervalMs: 20 });
    await group.kill(group.primary);
    // Killed in the middle: some out, most not yet.
    expect(atKill.published).toBeLessThan(400);
    await waitFor('Sentinel to promote the replica', async () => (await group.primaryPort().catch(() => 0)) === group.replica.port, { timeoutMs: 30_000 });
    const promotedMs = Date.now() - started;
    await settled(stack, tag, 500);
    const tookMs = Date.now() - started;
    expect(await statuses(stack, tag)).toEqual({ published: 500 });
    await expectEachOnce(stack, channels, tag, 125);
    // The workers and the API are back on the new primary: ready, their queues there, and a post made after the failover goes out.
    expect((await http('GET', `${stack.apiUrl}/health/ready`)).status).toBe(200);
    expect(await group.holds(group.replica.port, `${stack.queuePrefix}:publish:meta`)).toBe(true);
    await burst(stack, apiKey, [channels[0]!.id], `${tag}-after`, 1, Date.now() + 500);
    await settled(stack, `${tag}-after`, 1);
    expect(await statuses(stack, `${tag}-after`)).toEqual({ published: 1 });
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    console.log(
      `sentinel: primary killed at ${JSON.stringify(atKill)}; replica promoted ${promotedMs} ms after the request; 500 published in ${tookMs} ms`,
    );
  });
});
