/**
 * The publish queue's shards against a real Redis (the machine's, under a
 * prefix of this file's own), with Herald's own PublishShards and
 * PublishQueue and no processes: each delivery goes to its channel's shard;
 * going from one shard to three, the old queue is emptied into the shards at
 * Postgres's times once no worker serves it, and left alone while one does;
 * a job found in another shard of the same count is moved to its own only
 * once every process runs that count, never while a worker holds it; a count
 * long gone is forgotten with its queues' keys. The processes' view of the
 * same (a cluster, real workers, deliveries published once) is
 * test/redis-topologies.e2e-spec.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { loadConfig } from '../libs/config/src';
import { DueDelivery, PublishQueue, PublishShards, RedisRole, ShardTimings, shardIndexOf } from '../libs/queue/src';
import { REDIS_URL } from './support/env';

const prefix = `{e2e-shards-${randomBytes(3).toString('hex')}}`;
const registryKey = `${prefix}:publish-shards`;
const TIMINGS: ShardTimings = { announceEveryMs: 60_000, liveForMs: 1000, forgetAfterMs: 3000 };

// What the shards log (jobs moved, counts forgotten) is for operators; the checks here are on Redis itself.
Logger.overrideLogger(false);

describe('the publish queue in shards, on a real Redis', () => {
  const redis = new Redis(REDIS_URL);
  const opened: PublishShards[] = [];

  /** Herald's shards of `count` as a process of that role makes them. */
  function processWith(count: number, role: RedisRole, timings: Partial<ShardTimings> = TIMINGS) {
    const config = loadConfig({ REDIS_URL, HERALD_QUEUE_PREFIX: prefix, PUBLISH_QUEUE_SHARDS: String(count) });
    const shards = new PublishShards(config, role, timings);
    opened.push(shards);
    return { shards, queue: new PublishQueue(shards, config) };
  }

  /** A channel id whose deliveries go to shard `index` of `count`. */
  function channelOf(index: number, count = 3): string {
    for (;;) {
      const id = randomUUID();
      if (shardIndexOf(id, count) === index) return id;
    }
  }

  const jobKey = (shardPrefix: string, name: string, id: string) => `${shardPrefix}:${name}:${id}`;
  const runAt = async (key: string) => {
    const [timestamp, delay] = await redis.hmget(key, 'timestamp', 'delay');
    return timestamp === null ? null : Number(timestamp) + Number(delay);
  };

  afterEach(async () => {
    for (const shards of opened.splice(0)) await shards.onApplicationShutdown();
    const keys = await redis.keys(`${prefix.slice(0, -1)}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(() => redis.disconnect());

  it('puts each delivery in its channel\'s shard, under that shard\'s own hash tag; one shard is the queue Herald always had', async () => {
    const three = processWith(3, 'producer');
    three.shards.all.forEach((shard, index) => expect(shard.qualifiedName).toMatch(new RegExp(`^\\${prefix.slice(0, -1)}-publish-${index}-\\d+\\}:publish-${index}$`)));
    const channels = [channelOf(0), channelOf(1), channelOf(2), channelOf(2)];
    const at = new Date(Date.now() + 60_000);
    const timings = channels.flatMap((channelId) => Array.from({ length: 5 }, () => ({ deliveryId: randomUUID(), channelId, at })));
    await three.queue.placeNew(timings, 'req-new');
    for (const timing of timings) {
      const index = shardIndexOf(timing.channelId, 3);
      for (const shard of three.shards.all) expect({ index: shard.index, there: await redis.exists(jobKey(shard.prefix, shard.name, timing.deliveryId)) }).toEqual({ index: shard.index, there: shard.index === index ? 1 : 0 });
    }
    expect(await Promise.all(three.shards.all.map((shard) => shard.queue.getDelayedCount()))).toEqual([5, 5, 10]);
    // Cancelled (no time): taken out of its shard.
    await three.queue.place([{ ...timings[0]!, at: null }]);
    expect(await three.shards.all[0]!.queue.getDelayedCount()).toBe(4);

    const one = processWith(1, 'producer');
    expect(one.shards.all.map((shard) => shard.qualifiedName)).toEqual([`${prefix}:publish`]);
    await one.queue.placeNew([{ deliveryId: 'legacy-1', channelId: channels[2]!, at }]);
    expect(await redis.exists(`${prefix}:publish:legacy-1`)).toBe(1);
  });

  it('from one shard to three: empties the old queue into the shards once no worker serves it, at Postgres\'s time, with the request id, once', async () => {
    const oldWorker = processWith(1, 'worker');
    await oldWorker.shards.announce();
    const dueAt = new Date(Date.now() + 30_000);
    const rows: DueDelivery[] = Array.from({ length: 30 }, (_, index) => ({ id: randomUUID(), channelId: channelOf(index % 3), dueAt }));
    await oldWorker.queue.placeNew(rows.map((row) => ({ deliveryId: row.id, channelId: row.channelId, at: row.dueAt })), 'req-old');
    const legacy = oldWorker.shards.all[0]!.queue;
    expect(await legacy.getDelayedCount()).toBe(30);

    const newWorker = processWith(3, 'worker');
    await newWorker.shards.announce();
    // The old worker still serves its queue: searched, not emptied, and no second job anywhere.
    let sweep = await newWorker.shards.beginSweep();
    expect({ settled: sweep.settled, drained: sweep.drained.size, searched: sweep.searched.length }).toEqual({ settled: false, drained: 0, searched: 4 });
    expect(await newWorker.queue.reconcile(rows, sweep)).toBe(0);
    expect(await legacy.getDelayedCount()).toBe(30);
    expect(await Promise.all(newWorker.shards.all.map((shard) => shard.queue.getDelayedCount()))).toEqual([0, 0, 0]);

    // It stops: its queue is emptied into the shards in the next sweep.
    await oldWorker.shards.onApplicationShutdown();
    opened.splice(opened.indexOf(oldWorker.shards), 1);
    sweep = await newWorker.shards.beginSweep();
    expect(sweep.drained.size).toBe(30);
    expect(new Set(sweep.drained.values())).toEqual(new Set(['req-old']));
    expect(await newWorker.queue.reconcile(rows, sweep)).toBe(30);
    expect(await redis.zcard(`${prefix}:publish:delayed`)).toBe(0);
    for (const row of rows) {
      const shard = newWorker.shards.of(row.channelId);
      expect(shard.index).toBe(shardIndexOf(row.channelId, 3));
      const key = jobKey(shard.prefix, shard.name, row.id);
      expect(await runAt(key)).toBe(dueAt.getTime());
      expect(JSON.parse((await redis.hget(key, 'data'))!)).toEqual({ deliveryId: row.id, requestId: 'req-old' });
    }
    // Nothing moves twice, nothing is added twice.
    sweep = await newWorker.shards.beginSweep();
    expect(await newWorker.queue.reconcile(rows, sweep)).toBe(0);
    expect(await Promise.all(newWorker.shards.all.map((shard) => shard.queue.getDelayedCount()))).toEqual([10, 10, 10]);
  });

  it('empties an old queue of 2,500 jobs in one sweep, so a big backlog is not late', async () => {
    const oldApi = processWith(1, 'producer');
    await oldApi.shards.announce();
    const dueAt = new Date(Date.now() + 60_000);
    const rows: DueDelivery[] = Array.from({ length: 2500 }, (_, index) => ({ id: randomUUID(), channelId: channelOf(index % 3), dueAt }));
    for (let start = 0; start < rows.length; start += 500) {
      await oldApi.queue.placeNew(rows.slice(start, start + 500).map((row) => ({ deliveryId: row.id, channelId: row.channelId, at: row.dueAt })));
    }
    const three = processWith(3, 'worker');
    const sweep = await three.shards.beginSweep();
    expect(sweep.drained.size).toBe(2500);
    expect(await three.queue.reconcile(rows, sweep)).toBe(2500);
    expect(await redis.zcard(`${prefix}:publish:delayed`)).toBe(0);
    expect((await Promise.all(three.shards.all.map((shard) => shard.queue.getDelayedCount()))).reduce((a, b) => a + b)).toBe(2500);
  });

  it('moves a job found in another shard of its count to its own only once every process runs that count, and never one a worker holds', async () => {
    const three = processWith(3, 'worker');
    await three.shards.announce();
    const oldApi = processWith(1, 'producer');
    await oldApi.shards.announce();
    const dueAt = new Date(Date.now() + 20_000);
    const free = { id: randomUUID(), channelId: channelOf(1), dueAt };
    const held = { id: randomUUID(), channelId: channelOf(1), dueAt };
    const [zero, one, two] = three.shards.all;
    // Strays: in shard 0 and 2, their channel's shard being 1 (as after a change of count with the same shards).
    await zero!.queue.add('publish', { deliveryId: free.id }, { jobId: free.id, delay: 5000 });
    await two!.queue.add('publish', { deliveryId: held.id }, { jobId: held.id, delay: 5000 });
    await redis.set(`${two!.prefix}:${two!.name}:${held.id}:lock`, 'a-worker-token');

    // A process of another count is alive (an API not restarted yet): strays stay where they are.
    let sweep = await three.shards.beginSweep();
    expect(sweep.settled).toBe(false);
    expect(await three.queue.reconcile([free, held], sweep)).toBe(0);
    expect(await redis.exists(jobKey(zero!.prefix, zero!.name, free.id))).toBe(1);

    // It has been quiet for liveForMs: settled. The free stray moves to shard 1 at Postgres's time; the held one stays.
    await redis.hset(registryKey, 'layout:1', Date.now() - TIMINGS.liveForMs - 1);
    sweep = await three.shards.beginSweep();
    expect(sweep.settled).toBe(true);
    expect(await three.queue.reconcile([free, held], sweep)).toBe(1);
    expect(await redis.exists(jobKey(zero!.prefix, zero!.name, free.id))).toBe(0);
    expect(await runAt(jobKey(one!.prefix, one!.name, free.id))).toBe(dueAt.getTime());
    expect(await redis.exists(jobKey(two!.prefix, two!.name, held.id))).toBe(1);
    expect(await redis.exists(jobKey(one!.prefix, one!.name, held.id))).toBe(0);

    // Let go: moved at the next sweep.
    await redis.del(`${two!.prefix}:${two!.name}:${held.id}:lock`);
    expect(await three.queue.reconcile([free, held], await three.shards.beginSweep())).toBe(1);
    expect(await redis.exists(jobKey(two!.prefix, two!.name, held.id))).toBe(0);
    expect(await runAt(jobKey(one!.prefix, one!.name, held.id))).toBe(dueAt.getTime());
    expect(await Promise.all(three.shards.all.map((shard) => shard.queue.getDelayedCount()))).toEqual([0, 2, 0]);
  });

  it('forgets a count no process has named for forgetAfterMs once its own queues hold no job, and removes their keys', async () => {
    const oldApi = processWith(1, 'producer');
    await oldApi.queue.placeNew([{ deliveryId: 'left-behind', channelId: channelOf(0), at: new Date(Date.now() + 60_000) }]);
    await redis.set(`${prefix}:publish:left-behind:lock`, 'a-worker-token');
    await redis.hset(registryKey, 'layout:1', Date.now() - TIMINGS.forgetAfterMs - 1);
    const three = processWith(3, 'worker');
    await three.shards.announce();
    // A job a worker holds keeps the count remembered.
    let sweep = await three.shards.beginSweep();
    expect([...sweep.busy]).toEqual(['left-behind']);
    expect(await redis.hexists(registryKey, 'layout:1')).toBe(1);
    expect(await redis.exists(`${prefix}:publish:meta`)).toBe(1);

    await redis.del(`${prefix}:publish:left-behind:lock`);
    sweep = await three.shards.beginSweep();
    expect([...sweep.drained.keys()]).toEqual(['left-behind']);
    expect(await redis.hexists(registryKey, 'layout:1')).toBe(0);
    expect(await redis.keys(`${prefix}:publish:*`)).toEqual([]);
    // This count's own shards are untouched.
    expect(await redis.hexists(registryKey, 'layout:3')).toBe(1);
  });
});
