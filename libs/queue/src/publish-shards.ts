/**
 * The publish queue, split into shards (PUBLISH_QUEUE_SHARDS): one BullMQ
 * queue each, each under a hash tag of its own, so that on a Redis Cluster
 * the shards' keys hash to different slots and spread over the masters
 * (BullMQ keeps every key of one queue in one slot; one queue can never
 * spread). A delivery's shard is fixed by its channel, so one channel's
 * deliveries stay in one queue, in order.
 *
 * Names. One shard is the queue Herald always had: `publish`, under the
 * prefix itself (`{herald}:publish:...`), so a deployment that never sets
 * the variable keeps its jobs. With N > 1, shard i is `publish-i` under the
 * prefix whose hash tag has `-publish-i-k` added (`{herald}` becomes
 * `{herald-publish-2-12}` for shard 2 of three), k the first number that
 * puts the tag's slot in the middle of the i-th N-th of the cluster's 16,384
 * slots: a cluster whose
 * M masters hold even ranges of slots (as `redis-cli --cluster create` makes
 * them) gets one shard per master when N = M, N / M each when N is a
 * multiple. A prefix with no tag (one server, no slots) is kept as it is.
 *
 * Changing N. Every process says in Redis which shard count it runs with, and
 * every worker which queues it takes jobs from (a hash under the prefix,
 * refreshed every `announceEveryMs`). Each reconcile sweep (`beginSweep`)
 * then empties the queues of other counts that no live worker takes jobs from
 * (jobs a worker holds are left to it) and the reconciler puts those
 * deliveries in their shard from Postgres, which is the record; once every
 * live process runs the same count, a delivery's job found in another shard
 * of this count is moved to its own. A job in two queues at once is never
 * published twice: the claim in Postgres (a row lock and a lease) lets one
 * through. A count no process has named for `forgetAfterMs`, whose own
 * queues hold no job, is forgotten and its queues' keys removed. (Shard i of
 * one count and shard i of another are different queues, unless their tags
 * happen to be the same; a queue both counts share is never emptied.)
 *
 * Pausing the whole. `pauseAll` pauses every shard and says so in the
 * registry (`paused`), so that shards of a count that comes later are paused
 * too: by each process as it starts, and by every reconcile sweep.
 * `resumeAll`, or resuming any one shard by its name, withdraws it.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig, MAX_PUBLISH_QUEUE_SHARDS } from '@herald/config';
import { RedisRole, bullConnection } from './connection';
import { PublishJobData, QUEUES } from './queue-names';

/** Injection token of the process's Redis role (`producer` in the API, `worker` in the workers). */
export const REDIS_ROLE = Symbol('HERALD_REDIS_ROLE');

/** Where one shard's jobs are: its queue's name and key prefix. */
export interface ShardAddress {
  index: number;
  /** The shard count of the layout it belongs to. */
  count: number;
  /** The queue's name, as `/admin/queues` and bull-board show it: `publish`, or `publish-0`, `publish-1`... */
  name: string;
  /** BullMQ's key prefix of the queue (its keys are `prefix:name:...`). */
  prefix: string;
  /** `prefix:name`, the queue's identity in Redis. */
  qualifiedName: string;
}

export interface PublishShard extends ShardAddress {
  queue: Queue<PublishJobData>;
}

/** What one reconcile sweep found of the shards, and did to other counts' queues. */
export interface ShardSweep {
  /** Every live process runs this process's shard count: strays in this count's shards may be moved. */
  settled: boolean;
  /** Where a delivery's job is looked for: this count's shards, and other counts' queues a live worker takes jobs from. */
  searched: Queue<PublishJobData>[];
  /** Deliveries whose job was just taken out of a queue no worker takes jobs from, with the request that scheduled each. */
  drained: Map<string, string | undefined>;
  /** Deliveries whose job a worker holds in such a queue: left to it this sweep. */
  busy: Set<string>;
  /** This count's shards no live worker takes jobs from (their deliveries wait). */
  unconsumed: string[];
}

export interface ShardTimings {
  /** How often a process says which count (and a worker which queues) it runs with. */
  announceEveryMs: number;
  /** Unsaid for this long, a count or a worker's queue counts as gone. */
  liveForMs: number;
  /** Unsaid for this long, and its queues empty, a count is forgotten and its queues removed. */
  forgetAfterMs: number;
}

export const SHARD_TIMINGS = Symbol('HERALD_SHARD_TIMINGS');

const DEFAULT_TIMINGS: ShardTimings = { announceEveryMs: 10_000, liveForMs: 30_000, forgetAfterMs: 600_000 };

/** Jobs read from a retired queue at a time, and rounds of them a sweep (the rest the next sweep). */
const DRAIN_BATCH = 1000;
const DRAIN_ROUNDS = 20;

/** The registry's field saying publishing as a whole is paused (when, epoch ms). */
const PAUSED_FIELD = 'paused';

/** The job states that hold a job still to run. */
const LIVE_STATES = ['waiting', 'delayed', 'prioritized', 'active', 'waiting-children'] as const;

/** BullMQ's client of its Redis (ioredis, or another adapter). */
type RegistryClient = Awaited<ReturnType<Queue['getBackend']>['client']>;

/** The queues of a layout of `count` shards under `queuePrefix`. */
export function shardLayout(queuePrefix: string, count: number): ShardAddress[] {
  if (count === 1) return [{ index: 0, count, name: QUEUES.publish, prefix: queuePrefix, qualifiedName: `${queuePrefix}:${QUEUES.publish}` }];
  return Array.from({ length: count }, (_, index) => {
    const name = `${QUEUES.publish}-${index}`;
    const prefix = shardPrefix(queuePrefix, index, count);
    return { index, count, name, prefix, qualifiedName: `${prefix}:${name}` };
  });
}

/** Redis Cluster's slot count. */
const SLOTS = 16_384;

/**
 * Shard i of `count`'s key prefix: the prefix's hash tag (what Redis Cluster
 * hashes: from the first `{` to the first `}` after it) with `-publish-i-k`
 * added, k the first number whose tag hashes into the middle half of the
 * i-th `count`-th of the slots, so the shards spread over masters holding
 * even ranges. A prefix with no tag is kept (one server).
 */
export function shardPrefix(queuePrefix: string, index: number, count: number): string {
  const open = queuePrefix.indexOf('{');
  const close = open < 0 ? -1 : queuePrefix.indexOf('}', open + 1);
  if (close <= open + 1) return queuePrefix;
  const width = SLOTS / count;
  const [low, high] = [Math.ceil(width * (index + 0.25)), Math.floor(width * (index + 0.75))];
  const tag = `${queuePrefix.slice(open + 1, close)}-${QUEUES.publish}-${index}`;
  // Each try lands in the range with a chance of 1 / (2 x count): about 2 x count tries, once per process.
  let salt = 0;
  for (; salt < 100_000; salt += 1) {
    const slot = keySlot(`${tag}-${salt}`);
    if (slot >= low && slot <= high) break;
  }
  return `${queuePrefix.slice(0, open + 1)}${tag}-${salt}${queuePrefix.slice(close)}`;
}

/** The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key without one, modulo 16,384. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  const hashed = Buffer.from(close > open + 1 ? key.slice(open + 1, close) : key, 'utf8');
  let crc = 0;
  for (const byte of hashed) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % SLOTS;
}

/** A channel's shard among `count`: FNV-1a (32 bits) of its id, lowercase, modulo the count. Stable across processes and releases. */
export function shardIndexOf(channelId: string, count: number): number {
  if (count === 1) return 0;
  let hash = 0x811c9dc5;
  const id = channelId.toLowerCase();
  for (let index = 0; index < id.length; index += 1) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** The publish queue's shards of this process's layout, with the one function that names a channel's shard. */
@Injectable()
export class PublishShards implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PublishShards.name);
  /** This process's shards, in order. */
  readonly all: PublishShard[];
  /** The shards this process takes jobs from (none in the API). */
  readonly consumed: PublishShard[];
  private readonly timings: ShardTimings;
  private readonly registryKey: string;
  /** Queues of other shard counts, opened when a sweep first needs them. */
  private readonly others = new Map<string, Queue<PublishJobData>>();
  private announcer?: NodeJS.Timeout;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(REDIS_ROLE) private readonly role: RedisRole,
    @Optional() @Inject(SHARD_TIMINGS) timings?: Partial<ShardTimings>,
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
    this.registryKey = `${config.queuePrefix}:publish-shards`;
    this.all = shardLayout(config.queuePrefix, config.publishQueueShards).map((address) => ({ ...address, queue: this.open(address) }));
    this.consumed = role === 'worker' ? config.publishQueueShardsConsumed.map((index) => this.all[index]!) : [];
  }

  get count(): number {
    return this.all.length;
  }

  /** The shard a channel's deliveries go to: the one function every producer, the reconciler and the workers ask. */
  of(channelId: string): PublishShard {
    return this.all[shardIndexOf(channelId, this.all.length)]!;
  }

  onApplicationBootstrap(): void {
    // Paused as a whole before this process (of another count, perhaps) started: its shards are held as soon as Redis answers
    // (not awaited: a process starts while Redis is away), and by every sweep.
    void this.holdIfPausedAsWhole().catch((error: unknown) => this.logger.warn(`publish pause not checked at start: ${String(error)}`));
    void this.announce();
    this.announcer = setInterval(() => void this.announce(), this.timings.announceEveryMs);
    this.announcer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.announcer);
    // A worker that stops no longer takes jobs: its queues may be emptied into their new shards at once.
    // (Another worker taking jobs from the same queues says so again within announceEveryMs.)
    if (this.consumed.length > 0) await this.withdraw().catch(() => undefined);
    await Promise.all([...this.all.map((shard) => shard.queue), ...this.others.values()].map((queue) => queue.close().catch(() => undefined)));
  }

  /** Says in Redis which count this process runs with, and which queues it takes jobs from. Redis away: said again next time. */
  async announce(now = Date.now()): Promise<void> {
    const fields: Record<string, number> = { [`layout:${this.count}`]: now };
    for (const shard of this.consumed) fields[`consumer:${shard.qualifiedName}`] = now;
    try {
      await (await this.registry()).hset(this.registryKey, fields);
    } catch (error) {
      this.logger.debug(`shard layout not announced (Redis unavailable): ${String(error)}`);
    }
  }

  /** Pauses every shard (workers take no new publish job) and records that publishing as a whole is paused. */
  async pauseAll(now = Date.now()): Promise<void> {
    await (await this.registry()).hset(this.registryKey, { [PAUSED_FIELD]: now });
    await Promise.all(this.all.map((shard) => shard.queue.pause()));
  }

  /** Resumes every shard, and withdraws the pause of the whole. */
  async resumeAll(): Promise<void> {
    await this.withdrawPause();
    await Promise.all(this.all.map((shard) => shard.queue.resume()));
  }

  /** Resuming one shard by its name ends the pause of the whole (else the next sweep would pause it again). */
  async withdrawPause(): Promise<void> {
    await (await this.registry()).hdel(this.registryKey, PAUSED_FIELD);
  }

  /** When publishing as a whole is paused, pauses any of this count's shards that is not (a count that came after the pause). */
  async holdIfPausedAsWhole(): Promise<boolean> {
    if ((await (await this.registry()).hexists(this.registryKey, PAUSED_FIELD)) !== 1) return false;
    for (const shard of this.all) if (!(await shard.queue.isPaused())) await shard.queue.pause();
    return true;
  }

  /**
   * The reconciler's first step each sweep: which counts and workers are
   * live, and the other counts' queues no live worker takes jobs from
   * emptied (their deliveries go to their shard from Postgres, in this
   * sweep); counts long gone are forgotten.
   */
  async beginSweep(now = Date.now()): Promise<ShardSweep> {
    const registry = await this.registry();
    const entries = Object.entries((await registry.hgetall(this.registryKey)) ?? {}).map(([field, seen]) => [field, Number(seen)] as const);
    const layouts = new Map<number, number>();
    const consumers = new Set<string>();
    if (entries.some(([field]) => field === PAUSED_FIELD)) await this.holdIfPausedAsWhole();
    for (const [field, seen] of entries) {
      if (field.startsWith('layout:')) layouts.set(Number(field.slice('layout:'.length)), seen);
      else if (field.startsWith('consumer:') && now - seen <= this.timings.liveForMs) consumers.add(field.slice('consumer:'.length));
    }
    layouts.delete(this.count);
    const mine = new Set(this.all.map((shard) => shard.qualifiedName));
    const sweep: ShardSweep = {
      settled: [...layouts.values()].every((seen) => now - seen > this.timings.liveForMs),
      searched: this.all.map((shard) => shard.queue),
      drained: new Map(),
      busy: new Set(),
      unconsumed: this.all.filter((shard) => !consumers.has(shard.qualifiedName) && !this.consumed.includes(shard)).map((shard) => shard.name),
    };
    const retired = new Map<string, ShardAddress>();
    for (const count of layouts.keys()) {
      if (!Number.isInteger(count) || count < 1 || count > MAX_PUBLISH_QUEUE_SHARDS) continue;
      for (const address of shardLayout(this.config.queuePrefix, count)) if (!mine.has(address.qualifiedName)) retired.set(address.qualifiedName, address);
    }
    for (const address of retired.values()) {
      const queue = this.other(address);
      if (consumers.has(address.qualifiedName)) sweep.searched.push(queue);
      else await this.drain(queue, sweep);
    }
    await this.forget(layouts, retired, now);
    return sweep;
  }

  /**
   * Takes every job no worker holds out of a queue no worker takes jobs from
   * (up to DRAIN_BATCH x DRAIN_ROUNDS a sweep; the rest the next); the sweep
   * puts each delivery in its shard.
   */
  private async drain(queue: Queue<PublishJobData>, sweep: ShardSweep): Promise<void> {
    let moved = 0;
    for (let round = 0; round < DRAIN_ROUNDS; round += 1) {
      const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, DRAIN_BATCH - 1)).filter((job) => job.id && !sweep.busy.has(job.id));
      if (jobs.length === 0) break;
      for (let start = 0; start < jobs.length; start += 100) {
        await Promise.all(
          jobs.slice(start, start + 100).map(async (job) => {
            const deliveryId = (job.data as Partial<PublishJobData> | undefined)?.deliveryId;
            const removed = (await queue.remove(job.id!).catch(() => 0)) === 1;
            // Recovery jobs are made again by the sweep from Postgres; only publish jobs carry a request to keep.
            if (removed && deliveryId && job.name === 'publish') sweep.drained.set(deliveryId, (job.data as PublishJobData).requestId);
            if (removed) moved += 1;
            else {
              // Held by a worker (or Redis refused): left, and not looked at again this sweep.
              sweep.busy.add(job.id!);
              if (deliveryId) sweep.busy.add(deliveryId);
            }
          }),
        );
      }
    }
    for (const job of await queue.getJobs(['active'], 0, DRAIN_BATCH - 1)) {
      const deliveryId = (job.data as Partial<PublishJobData> | undefined)?.deliveryId;
      if (deliveryId) sweep.busy.add(deliveryId);
    }
    if (moved > 0) this.logger.log({ msg: 'publish jobs moved out of a retired shard', queue: queue.qualifiedName, jobs: moved });
  }

  /**
   * Counts unsaid for `forgetAfterMs` whose own queues (not shared with a
   * count still named) hold no job: their queues' keys are removed, and the
   * count with them.
   */
  private async forget(layouts: Map<number, number>, retired: Map<string, ShardAddress>, now: number): Promise<void> {
    const stale = [...layouts].filter(([, seen]) => now - seen > this.timings.forgetAfterMs).map(([count]) => count);
    if (stale.length === 0) return;
    const kept = new Set([...layouts.keys()].filter((count) => !stale.includes(count)).flatMap((count) => shardLayout(this.config.queuePrefix, count).map((address) => address.qualifiedName)));
    const registry = await this.registry();
    for (const count of stale) {
      try {
        await this.forgetOne(count, retired, kept, registry);
      } catch (error) {
        // Tried again next sweep; a sweep never fails for it.
        this.logger.warn(`retired publish shard layout ${count} not forgotten yet: ${String(error)}`);
      }
    }
  }

  /** One count forgotten, unless its own queues (not shared with a count still named) hold a job. */
  private async forgetOne(count: number, retired: Map<string, ShardAddress>, kept: Set<string>, registry: RegistryClient): Promise<void> {
    const own = shardLayout(this.config.queuePrefix, count).filter((address) => retired.has(address.qualifiedName) && !kept.has(address.qualifiedName));
    const queues = own.map((address) => this.other(address));
    const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...LIVE_STATES)));
    if (counts.some((byState) => Object.values(byState).some((n) => n > 0))) return;
    for (const queue of queues) {
      await queue.obliterate();
      await queue.close();
      this.others.delete(queue.qualifiedName);
    }
    await registry.hdel(this.registryKey, `layout:${count}`, ...own.map((address) => `consumer:${address.qualifiedName}`));
    this.logger.log({ msg: 'retired publish shard layout forgotten', shards: count, queues: own.map((address) => address.qualifiedName) });
  }

  private async withdraw(): Promise<void> {
    await (await this.registry()).hdel(this.registryKey, ...this.consumed.map((shard) => `consumer:${shard.qualifiedName}`));
  }

  /** The registry's client: shard 0's (on a cluster a cluster client, which reaches the prefix's own slot). */
  private async registry(): Promise<RegistryClient> {
    return this.all[0]!.queue.getBackend().client;
  }

  private other(address: ShardAddress): Queue<PublishJobData> {
    let queue = this.others.get(address.qualifiedName);
    if (!queue) {
      queue = this.open(address);
      this.others.set(address.qualifiedName, queue);
    }
    return queue;
  }

  private open(address: ShardAddress): Queue<PublishJobData> {
    const queue = new Queue<PublishJobData>(address.name, { connection: bullConnection(this.config, this.role), prefix: address.prefix });
    // Redis may come and go; its errors are reported where a command fails, not as events nobody listens to.
    queue.on('error', () => undefined);
    return queue;
  }
}
