/**
 * Herald past one Redis server, on Redis servers of the test's own (never the
 * machine's). A Redis Cluster of three masters with a replica each, the
 * publish queue in three shards: the API becomes ready, each shard's keys are
 * on a master of its own (Redis's own CLUSTER KEYSLOT agreeing with
 * Herald's), a burst of 1,000 deliveries across 20 channels is published
 * once each with every shard taking part, `/admin/queues` lists every shard as
 * a queue of its own, the rate limit counts one key's requests across two API
 * processes, going from one shard to three with deliveries pending loses and
 * duplicates none (even where an old and a new job of one delivery both run),
 * a prefix with no hash tag is refused at start, and a master SIGKILLed in
 * the middle of a burst of 500 is replaced by its replica with every delivery
 * published once. And a primary with one replica under three Sentinels,
 * killed (SIGKILL) in the middle of a burst of 500: Sentinel promotes the
 * replica, the workers follow it, and every delivery is published exactly once.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../libs/config/src';
import { ShardAddress, bullConnection, keySlot, shardIndexOf, shardLayout } from '../libs/queue/src';
import { FAST_RECOVERY, REDIS_URL } from './support/env';
import { http, waitFor } from './support/http';
import { freePort } from './support/ports';
import { RedisClusterServers, RedisSentinelServers } from './support/redis-servers';
import { RunningProcess, Stack } from './support/stack';

const NETWORKS = ['x', 'mastodon', 'linkedin', 'facebook'];

const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A workspace with `perNetwork` channels on each network of NETWORKS. */
async function channelsOn(stack: Stack, name: string, perNetwork = 1) {
  const { apiKey } = await stack.workspace(name);
  const channels = [];
  for (let index = 0; index < perNetwork; index += 1) {
    for (const network of NETWORKS) channels.push(await stack.channel(apiKey, { network, handle: unique(`${name}_${network}`) }));
  }
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

/** Why the burst's failed deliveries failed (their last attempt's code and message, counted): empty when none did. */
async function failuresOf(stack: Stack, tag: string): Promise<{ code: string; message: string; n: number }[]> {
  const { rows } = await stack.db.query(
    `SELECT coalesce(d.last_error_code, '?') AS code, left(coalesce(d.last_error_message, ''), 200) AS message, count(*)::int AS n
       FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1 AND d.status = 'failed' GROUP BY 1, 2`,
    [`${tag} %`],
  );
  return rows as { code: string; message: string; n: number }[];
}

/** The burst's deliveries as Postgres has them. */
async function deliveriesOf(stack: Stack, tag: string): Promise<{ id: string; channelId: string; dueAt: number; attempts: number }[]> {
  const { rows } = await stack.db.query(
    `SELECT d.id, d.channel_id, d.scheduled_at, d.attempt_count FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1`,
    [`${tag} %`],
  );
  return (rows as { id: string; channel_id: string; scheduled_at: Date; attempt_count: number }[]).map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    dueAt: row.scheduled_at.getTime(),
    attempts: row.attempt_count,
  }));
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
    expect(await machine.keys(`${stack.queuePrefix.replace(/\}$/, '')}*`)).toEqual([]);
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

/** Each call to these channels `ms` slower, so a burst lasts long enough to be cut in the middle. */
async function slowDown(stack: Stack, channels: { network: string; handle: string }[], ms: number) {
  for (const channel of channels) {
    expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: channel.network, handle: channel.handle, latencyMs: ms } })).status).toBe(201);
  }
}

/** Jobs a queue holds, by state (BullMQ's keys, read through Herald's cluster client). */
async function delayedIn(stack: Stack, queue: ShardAddress | string): Promise<number> {
  return stack.redis.zcard(`${typeof queue === 'string' ? queue : queue.qualifiedName}:delayed`);
}

describe('Herald on a Redis Cluster of three masters with a replica each, the publish queue in three shards', () => {
  let cluster: RedisClusterServers;
  let stack: Stack;
  let shards: ShardAddress[];

  beforeAll(async () => {
    cluster = await RedisClusterServers.start({ masters: 3, replicas: 1, nodeTimeoutMs: 3000 });
    // Rate limits on (far above what the test sends), so the counters are kept in the cluster too.
    stack = await Stack.start({ redis: cluster.env, workers: 2, env: { ...FAST_RECOVERY, RATE_LIMIT_PER_MINUTE: '100000', PUBLISH_QUEUE_SHARDS: '3' } });
    shards = shardLayout(stack.queuePrefix, 3);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  it('is ready, with each publish shard on a master of its own and the prefix\'s own keys on one', async () => {
    expect(stack.queuePrefix).toMatch(/^\{e2e-[0-9a-f]+\}$/);
    const ready = await http('GET', `${stack.apiUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details.redis.status).toBe('up');
    const masters = (await cluster.nodes()).filter((node) => node.role === 'master').map((node) => node.port);
    expect(masters).toHaveLength(3);
    const shardMasters: number[] = [];
    for (const shard of shards) {
      const key = `${shard.qualifiedName}:meta`;
      // Herald's slot for the shard is Redis's own.
      const slot = await cluster.keyslot(key);
      expect({ shard: shard.name, slot }).toEqual({ shard: shard.name, slot: keySlot(key) });
      const master = await cluster.masterOf(slot);
      expect({ shard: shard.name, on: await cluster.holds(master, key) }).toEqual({ shard: shard.name, on: true });
      shardMasters.push(master);
    }
    expect(new Set(shardMasters)).toEqual(new Set(masters));
    // The other queues, the breaker, budgets and counters: under the prefix's one tag, on one master; no queue of one shard.
    const holders = await Promise.all(masters.map((port) => cluster.holds(port, `${stack.queuePrefix}:reconcile:meta`)));
    expect(holders.filter(Boolean)).toHaveLength(1);
    expect(await stack.redis.exists(`${stack.queuePrefix}:publish:meta`)).toBe(0);
    await expectNothingOnMachineRedis(stack);
  });

  it('publishes a burst of 1,000 deliveries across 20 channels, each exactly once, each in its channel\'s shard, every shard taking part', async () => {
    const { apiKey, channels } = await channelsOn(stack, 'cluster', 5);
    const tag = 'cluster-burst';
    const started = Date.now();
    await burst(stack, apiKey, channels.map((channel) => channel.id), tag, 50, Date.now() + 3000);
    await settled(stack, tag, 1000);
    const tookMs = Date.now() - started;
    expect(await statuses(stack, tag)).toEqual({ published: 1000 });
    await expectEachOnce(stack, channels, tag, 50);
    // Every delivery's job (kept once completed) is in its channel's shard, and in no other.
    const deliveries = await deliveriesOf(stack, tag);
    const placed = await Promise.all(deliveries.map(async (delivery) => Promise.all(shards.map((shard) => stack.redis.exists(`${shard.qualifiedName}:${delivery.id}`)))));
    const misplaced = deliveries.filter((delivery, index) => placed[index]!.join('') !== shards.map((shard) => (shard.index === shardIndexOf(delivery.channelId, 3) ? 1 : 0)).join(''));
    expect(misplaced).toEqual([]);
    const perShard = shards.map((shard) => deliveries.filter((delivery) => shardIndexOf(delivery.channelId, 3) === shard.index).length);
    for (const count of perShard) expect(count).toBeGreaterThan(0);
    console.log(`cluster: 1,000 deliveries (${perShard.join(' / ')} by shard) published in ${tookMs} ms from the request (due 3 s after it)`);
  });

  it('lists every shard as a queue of its own in /admin/queues, the dashboard and the metrics, with its own pause, resume and jobs', async () => {
    const overview = await http('GET', `${stack.apiUrl}/admin/queues`, { token: stack.adminToken });
    expect(overview.status).toBe(200);
    const queues = overview.body.queues as { name: string; shard?: { index: number; of: number }; paused: boolean; counts: Record<string, number>; workers: unknown[] }[];
    expect(queues.map((queue) => queue.name)).toEqual(['publish-0', 'publish-1', 'publish-2', 'reconcile', 'webhooks', 'unpublish']);
    for (const [index, queue] of queues.slice(0, 3).entries()) {
      expect(queue).toMatchObject({ shard: { index, of: 3 }, paused: false });
      expect(queue.counts.completed).toBeGreaterThan(0);
      // Both workers take jobs from every shard.
      expect(queue.workers).toHaveLength(2);
    }
    expect(queues[3]!.shard).toBeUndefined();

    const paused = await http('POST', `${stack.apiUrl}/admin/queues/publish-1/pause`, { token: stack.adminToken });
    expect(paused).toMatchObject({ status: 200, body: { name: 'publish-1', paused: true } });
    const after = (await http('GET', `${stack.apiUrl}/admin/queues`, { token: stack.adminToken })).body.queues as { name: string; paused: boolean }[];
    expect(after.filter((queue) => queue.paused).map((queue) => queue.name)).toEqual(['publish-1']);
    expect((await http('POST', `${stack.apiUrl}/admin/queues/publish-1/resume`, { token: stack.adminToken })).body).toMatchObject({ name: 'publish-1', paused: false });

    const jobs = await http('GET', `${stack.apiUrl}/admin/queues/publish-2/jobs?state=completed&limit=5`, { token: stack.adminToken });
    expect(jobs.status).toBe(200);
    expect(jobs.body.data).toHaveLength(5);
    const { rows } = await stack.db.query(`SELECT id, channel_id FROM deliveries WHERE id = ANY($1::uuid[])`, [jobs.body.data.map((job: { id: string }) => job.id)]);
    for (const row of rows as { channel_id: string }[]) expect(shardIndexOf(row.channel_id, 3)).toBe(2);
    // With three shards there is no queue called publish.
    expect((await http('GET', `${stack.apiUrl}/admin/queues/publish/jobs`, { token: stack.adminToken })).status).toBe(404);

    // The dashboard too.
    const board = await http('GET', `${stack.apiUrl}/admin/ui/api/queues`, { token: stack.adminToken });
    expect(board.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['publish-0', 'publish-1', 'publish-2', 'reconcile', 'unpublish', 'webhooks']);

    const metrics = await (await fetch(stack.workerMetricsUrl(stack.workers[0]!))).text();
    for (const shard of shards) expect(metrics).toMatch(new RegExp(`herald_queue_jobs\\{queue="${shard.name}",state="completed"\\} [1-9]`));
  });

  it("keeps the rate-limit counters and the circuit breaker state in the cluster, in the prefix's slot", async () => {
    const { apiKey } = await stack.workspace('cluster-counters');
    expect((await http('GET', `${stack.apiUrl}/v1/posts`, { token: apiKey })).headers.get('ratelimit-remaining')).not.toBeNull();
    const keys = await stack.redisKeys(`${stack.queuePrefix}:ratelimit:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(keySlot(key)).toBe(keySlot(stack.queuePrefix));
    // The breaker's host hashes and their index, written by its two-key RECORD script after every call of the burst.
    expect(await stack.redis.scard(`${stack.queuePrefix}:circuits`)).toBeGreaterThan(0);
    const overview = await http('GET', `${stack.apiUrl}/admin/queues`, { token: stack.adminToken });
    expect(overview.status).toBe(200);
    expect((overview.body.networks as { network: string }[]).map((circuit) => circuit.network)).toEqual(expect.arrayContaining(NETWORKS));
  });

  it('counts one key\'s requests across two API processes: the 11th of a limit of 10 is refused, whichever process it reaches', async () => {
    const ports = [await freePort(), await freePort()];
    const apis: RunningProcess[] = ports.map((port) => stack.spawn('api', { PORT: String(port), RATE_LIMIT_PER_MINUTE: '10' }));
    try {
      await Promise.all(
        ports.map((port, index) =>
          waitFor(`api :${port}`, async () => {
            if (apis[index]!.child.exitCode !== null) throw new Error(apis[index]!.output.slice(-20).join('\n'));
            return (await http('GET', `http://127.0.0.1:${port}/health/ready`)).status === 200;
          }, { timeoutMs: 90_000 }),
        ),
      );
      const { apiKey } = await stack.workspace('cluster-rate-limit');
      const answers = [];
      // Alternately to each: neither process alone sees more than six of the twelve.
      for (let index = 0; index < 12; index += 1) answers.push(await http('GET', `http://127.0.0.1:${ports[index % 2]}/v1/channels`, { token: apiKey }));
      expect(answers.slice(0, 10).map((answer) => answer.status)).toEqual(new Array(10).fill(200));
      expect(answers.slice(0, 10).map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
      for (const refused of answers.slice(10)) {
        expect(refused.status).toBe(429);
        expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // Another key has its own count.
      const other = await stack.workspace('cluster-rate-limit-other');
      expect((await http('GET', `http://127.0.0.1:${ports[1]}/v1/channels`, { token: other.apiKey })).status).toBe(200);
    } finally {
      await Promise.all(apis.map((api) => stack.kill(api, 'SIGTERM')));
    }
  });

  it('goes from one shard to three with deliveries pending: none lost, none published twice, even where the old and the new job both run', async () => {
    const old = await Stack.start({ redis: cluster.env, workers: 1, env: FAST_RECOVERY });
    const shardQueues: Queue[] = [];
    const began = Date.now();
    const steps: string[] = [];
    const step = (name: string) => steps.push(`${name} at ${((Date.now() - began) / 1000).toFixed(1)} s`);
    try {
      const legacy = `${old.queuePrefix}:publish`;
      const three = shardLayout(old.queuePrefix, 3);
      const { apiKey, channels } = await channelsOn(old, 'reshard', 3);
      const ids = channels.map((channel) => channel.id);
      // 300 deliveries due in 120 s, in the one queue there is (the steps before they move take 25 s on a quiet machine; a
      // loaded CI machine once failed this with 75 s: each step's time is in the failure's message).
      const laterAt = Date.now() + 120_000;
      await burst(old, apiKey, ids, 'reshard-later', 25, laterAt);
      expect(await delayedIn(old, legacy)).toBe(300);
      step('300 queued');

      // A worker with three shards joins while the old one still serves the old queue (a rolling restart).
      const newWorker = old.spawn('worker', { PUBLISH_QUEUE_SHARDS: '3' });
      old.workers.push(newWorker);
      await old.waitForLine(newWorker, 'worker ready');
      step('new worker ready');
      // 24 deliveries due in 4 s in the old queue, each with a twin job in its new shard: both queues are served, so both run.
      const soonAt = Date.now() + 4000;
      await burst(old, apiKey, ids, 'reshard-twins', 2, soonAt);
      const twins = await deliveriesOf(old, 'reshard-twins');
      const connection = bullConnection(loadConfig(old.env), 'producer');
      shardQueues.push(...three.map((shard) => new Queue(shard.name, { connection, prefix: shard.prefix })));
      const now = Date.now();
      await Promise.all(
        twins.map((twin) => shardQueues[shardIndexOf(twin.channelId, 3)]!.add('publish', { deliveryId: twin.id }, { jobId: twin.id, timestamp: now, delay: soonAt - now })),
      );
      await settled(old, 'reshard-twins', 24);
      expect(await statuses(old, 'reshard-twins')).toEqual({ published: 24 });
      step('twins published');
      await expectEachOnce(old, channels, 'reshard-twins', 2);
      for (const twin of await deliveriesOf(old, 'reshard-twins')) {
        // Both jobs ran to the end; the claim let one call through.
        const ran = [await old.redis.zscore(`${legacy}:completed`, twin.id), await old.redis.zscore(`${three[shardIndexOf(twin.channelId, 3)]!.qualifiedName}:completed`, twin.id)];
        expect({ twin: twin.id, ran: ran.map((score) => score !== null), attempts: twin.attempts }).toEqual({ twin: twin.id, ran: [true, true], attempts: 1 });
      }
      // While the old worker serves the old queue, its 300 stay there, with no second job anywhere.
      expect(await delayedIn(old, legacy)).toBe(300);
      expect(await Promise.all(three.map((shard) => delayedIn(old, shard)))).toEqual([0, 0, 0]);

      // The API restarts with three shards, then the old worker stops: its queue is emptied into the shards, in time.
      await old.kill(old.api!, 'SIGTERM');
      old.api = old.spawn('api', { PUBLISH_QUEUE_SHARDS: '3' });
      await waitFor('the API with three shards', async () => (await http('GET', `${old.apiUrl}/health/ready`)).status === 200, { timeoutMs: 90_000 });
      await old.kill(old.workers[0]!, 'SIGTERM');
      step('old worker stopped');
      await waitFor('the old queue emptied into the shards', async () => (await delayedIn(old, legacy)) === 0 && (await Promise.all(three.map((shard) => delayedIn(old, shard)))).reduce((a, b) => a + b) === 300, {
        timeoutMs: 45_000,
        intervalMs: 200,
      });
      step('old queue emptied');
      expect(Date.now()).toBeLessThan(laterAt);
      for (const delivery of await deliveriesOf(old, 'reshard-later')) {
        const own = three[shardIndexOf(delivery.channelId, 3)]!;
        const [timestamp, delay] = await old.redis.hmget(`${own.qualifiedName}:${delivery.id}`, 'timestamp', 'delay');
        expect({ delivery: delivery.id, runAt: Number(timestamp) + Number(delay) }).toEqual({ delivery: delivery.id, runAt: delivery.dueAt });
      }
      // A post made now, through the restarted API, goes to its shard too.
      await burst(old, apiKey, [ids[0]!], 'reshard-after', 1, Date.now() + 1000);
      await settled(old, 'reshard-later', 300);
      await settled(old, 'reshard-after', 1);
      expect(await statuses(old, 'reshard-later')).toEqual({ published: 300 });
      await expectEachOnce(old, channels, 'reshard-later', 25);
      expect((await deliveriesOf(old, 'reshard-later')).filter((delivery) => delivery.attempts !== 1)).toEqual([]);
    } catch (error) {
      // The cause first and last: a long log between them is cut in the middle when CI prints it.
      throw new Error(`${String(error)}\nsteps: ${steps.join(', ')}\n${old.logs()}\n${String(error)}`);
    } finally {
      await Promise.all(shardQueues.map((queue) => queue.close()));
      await old.stop();
    }
  }, 240_000);

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

  it('publishes a burst of 500 exactly once when a master is SIGKILLed in the middle and its replica takes over', async () => {
    const { apiKey, channels } = await channelsOn(stack, 'cluster-failover', 5);
    await slowDown(stack, channels, 30);
    // The master of the prefix's own slot (the breaker, budgets, reconcile queue) and of one shard.
    const victim = await cluster.masterOf(keySlot(stack.queuePrefix));
    const replica = (await cluster.nodes()).find((node) => node.masterPort === victim)!.port;
    const tag = 'cluster-failover';
    const started = Date.now();
    await burst(stack, apiKey, channels.map((channel) => channel.id), tag, 25, Date.now() + 3000);
    let atKill: Record<string, number> = {};
    await waitFor('the burst to be under way', async () => {
      atKill = await statuses(stack, tag);
      return (atKill.published ?? 0) >= 100;
    }, { timeoutMs: 60_000, intervalMs: 20 });
    await cluster.kill(cluster.on(victim));
    expect(atKill.published).toBeLessThan(400);
    await waitFor('the replica to take over', async () => (await cluster.nodes()).some((node) => node.port === replica && node.role === 'master'), { timeoutMs: 30_000 });
    const promotedMs = Date.now() - started;
    await settled(stack, tag, 500);
    const tookMs = Date.now() - started;
    expect(await statuses(stack, tag)).toEqual({ published: 500 });
    await expectEachOnce(stack, channels, tag, 25);
    expect((await http('GET', `${stack.apiUrl}/health/ready`)).status).toBe(200);
    await burst(stack, apiKey, [channels[0]!.id], `${tag}-after`, 1, Date.now() + 500);
    await settled(stack, `${tag}-after`, 1);
    expect(await statuses(stack, `${tag}-after`)).toEqual({ published: 1 });
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    console.log(`cluster: master :${victim} killed at ${JSON.stringify(atKill)}; replica :${replica} took over ${promotedMs} ms after the request; 500 published in ${tookMs} ms`);
  });
});

describe('Herald on a primary with one replica under three Sentinels', () => {
  let group: RedisSentinelServers;
  let stack: Stack;

  beforeAll(async () => {
    group = await RedisSentinelServers.start('herald');
    // No worker dies here, so no lease needs to run out quickly; a network call gets 5 s on a loaded machine (FAST_RECOVERY's 1.5 s
    // turns a slow answer into an unknown outcome, which a network without lookup fails rather than risk a duplicate).
    stack = await Stack.start({ redis: group.env, workers: 2, env: { ...FAST_RECOVERY, NETWORK_TIMEOUT_MS: '5000', CLAIM_LEASE_MS: '8000' } });
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
    await slowDown(stack, channels, 30);
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
    expect({ statuses: await statuses(stack, tag), failures: await failuresOf(stack, tag) }).toEqual({ statuses: { published: 500 }, failures: [] });
    await expectEachOnce(stack, channels, tag, 125);
    // The workers and the API are back on the new primary: ready, their queues there, and a post made after the failover goes out.
    // The API's client may be idle since the kill and meet the new primary only now: ready again within 30 s (its answer said when not).
    let readiness: unknown;
    await waitFor('the API to be ready on the new primary', async () => {
      const answer = await http('GET', `${stack.apiUrl}/health/ready`);
      readiness = answer.body;
      return answer.status === 200;
    }, { timeoutMs: 30_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}; /health/ready last answered ${JSON.stringify(readiness)}`);
    });
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
