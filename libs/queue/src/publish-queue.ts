import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishJobData } from './queue-names';
import { PublishShards, ShardSweep } from './publish-shards';

/** A delivery's (new) time; null when it no longer has one (draft, cancelled). Its channel names its shard. */
export interface Timing {
  deliveryId: string;
  channelId: string;
  at: Date | null;
}

export interface PublishJobRequest {
  deliveryId: string;
  channelId: string;
  /** When the delivery should be published; the job is delayed until then. */
  dueAt: Date;
  requestId?: string;
}

/** A delivery the reconciler found due within the horizon (Postgres's view). */
export interface DueDelivery {
  id: string;
  channelId: string;
  dueAt: Date;
}

/**
 * The one producer of the publish queue's shards. A job's id is its
 * delivery's id and its shard is its channel's (`PublishShards.of`), so adding
 * the same delivery twice is a no-op and the reconciler can re-add whatever
 * Redis lost without creating duplicates.
 */
@Injectable()
export class PublishQueue {
  private readonly logger = new Logger(PublishQueue.name);

  constructor(
    private readonly shards: PublishShards,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  /**
   * Mirrors new delivery times into Redis after Postgres committed them: a job
   * at its time for what is due within the horizon, no job for the rest (the
   * reconciler adds it when it enters the horizon). If Redis cannot be told,
   * the reconciler repairs it within one sweep, so this never fails the caller.
   */
  async place(timings: Timing[], requestId?: string, now: Date = new Date()): Promise<void> {
    const horizon = now.getTime() + this.config.horizonMs;
    const soon = timings.filter((timing): timing is Timing & { at: Date } => timing.at !== null && timing.at.getTime() <= horizon);
    const later = timings.filter((timing) => timing.at === null || timing.at.getTime() > horizon);
    try {
      await this.schedule(soon.map((timing) => ({ deliveryId: timing.deliveryId, channelId: timing.channelId, dueAt: timing.at, requestId })), now);
      await this.unschedule(later);
    } catch (error) {
      this.logger.warn(`Redis unavailable; the reconciler will place ${timings.length} deliveries: ${String(error)}`);
    }
  }

  /**
   * `place` for deliveries created in the transaction that just committed:
   * they cannot have a job yet, so the ones due within the horizon are added
   * in one `addBulk` per shard and nothing is looked up or removed.
   */
  async placeNew(timings: Timing[], requestId?: string, now: Date = new Date()): Promise<void> {
    const horizon = now.getTime() + this.config.horizonMs;
    const soon = timings.filter((timing): timing is Timing & { at: Date } => timing.at !== null && timing.at.getTime() <= horizon);
    try {
      await this.ensure(soon.map((timing) => ({ deliveryId: timing.deliveryId, channelId: timing.channelId, dueAt: timing.at, requestId })), now);
    } catch (error) {
      this.logger.warn(`Redis unavailable; the reconciler will place ${soon.length} new deliveries: ${String(error)}`);
    }
  }

  /** Puts the deliveries in their shards at their due time, replacing finished or delayed jobs of the same id. */
  async schedule(requests: PublishJobRequest[], now: Date = new Date()): Promise<void> {
    await Promise.all(
      this.byShard(requests).map(async ([queue, batch]) => {
        await Promise.all(batch.map((request) => this.removeUnlessHeld(queue, request.deliveryId)));
        await queue.addBulk(batch.map((request) => this.toJob(request, now)));
      }),
    );
  }

  /** Adds jobs only where none exists (never touches an existing job). */
  async ensure(requests: PublishJobRequest[], now: Date = new Date()): Promise<void> {
    await Promise.all(this.byShard(requests).map(([queue, batch]) => queue.addBulk(batch.map((request) => this.toJob(request, now)))));
  }

  /** Jobs that recover claims whose lease expired; one per (delivery, lease), in the delivery's shard. */
  async recover(claims: { deliveryId: string; channelId: string; leaseExpiresAt: Date }[]): Promise<void> {
    await Promise.all(
      this.byShard(claims).map(([queue, batch]) =>
        queue.addBulk(
          batch.map((claim) => ({
            name: 'recover',
            data: { deliveryId: claim.deliveryId },
            // Removed even when it fails, so the next sweep can try again under the same id.
            opts: { jobId: `recover-${claim.deliveryId}-${claim.leaseExpiresAt.getTime()}`, removeOnComplete: true, removeOnFail: true },
          })),
        ),
      ),
    );
  }

  /** Takes deliveries' jobs out of their shards, unless a worker holds one (the worker then finds it stale). */
  async unschedule(deliveries: { deliveryId: string; channelId: string }[]): Promise<void> {
    await Promise.all(this.byShard(deliveries).map(([queue, batch]) => Promise.all(batch.map((delivery) => this.removeUnlessHeld(queue, delivery.deliveryId)))));
  }

  /**
   * The reconciler's pass over deliveries due within the horizon: each gets
   * a job in its shard unless it has a live one in a queue the sweep
   * searched; one just taken out of a retired queue is put in its shard at
   * Postgres's time; once the layout is settled, one found in another shard
   * is moved to its own (taken out there, unless a worker holds it, and added
   * here under the same id). Answers how many were placed.
   */
  async reconcile(rows: DueDelivery[], sweep: ShardSweep, now: Date = new Date()): Promise<number> {
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    const states = await Promise.all(sweep.searched.map((queue) => this.jobStates(queue, ids)));
    // Replaced: a finished job of the same id would swallow the add. Added: none exists, and one the API adds meanwhile is kept.
    const replace: PublishJobRequest[] = [];
    const add: PublishJobRequest[] = [];
    for (const row of rows) {
      if (sweep.busy.has(row.id)) continue;
      const own = this.shards.of(row.channelId).queue;
      const holders = sweep.searched.filter((_, index) => states[index]!.get(row.id) === 'live');
      const request = { deliveryId: row.id, channelId: row.channelId, dueAt: row.dueAt, requestId: sweep.drained.get(row.id) };
      if (sweep.drained.has(row.id)) {
        replace.push(request);
        continue;
      }
      const strays = holders.filter((queue) => queue !== own);
      if (holders.length === 0) {
        if (states[sweep.searched.indexOf(own)]!.get(row.id) === 'finished') replace.push(request);
        else add.push(request);
      } else if (sweep.settled && strays.length > 0) {
        const moved = await Promise.all(strays.map((queue) => this.removeUnlessHeld(queue, row.id)));
        // A stray a worker holds runs where it is; the claim keeps it to one publish.
        if (moved.every(Boolean) && !holders.includes(own)) replace.push(request);
        if (moved.some(Boolean)) this.logger.log({ msg: 'publish job moved to its shard', deliveryId: row.id, shard: this.shards.of(row.channelId).name });
      }
    }
    await this.schedule(replace, now);
    await this.ensure(add, now);
    return replace.length + add.length;
  }

  /** Of these delivery ids, which have a job in the queue still to run (`live`) or done with (`finished`); one pipelined round trip. */
  private async jobStates(queue: Queue<PublishJobData>, ids: string[]): Promise<Map<string, 'live' | 'finished'>> {
    const backend = queue.getBackend();
    const pipeline = (await backend.client).pipeline();
    for (const id of ids) pipeline.runCommand('hmget', [backend.toKey(id), 'timestamp', 'finishedOn']);
    const replies = (await pipeline.exec()) ?? [];
    const states = new Map<string, 'live' | 'finished'>();
    ids.forEach((id, index) => {
      const [error, fields] = replies[index] ?? [null, null];
      if (error) return;
      const [timestamp, finishedOn] = (fields as (string | null)[] | null) ?? [null, null];
      if (timestamp !== null) states.set(id, finishedOn === null ? 'live' : 'finished');
    });
    return states;
  }

  /** Requests grouped by their channel's shard queue. */
  private byShard<T extends { channelId: string }>(items: T[]): [Queue<PublishJobData>, T[]][] {
    const groups = new Map<Queue<PublishJobData>, T[]>();
    for (const item of items) {
      const queue = this.shards.of(item.channelId).queue;
      const group = groups.get(queue);
      if (group) group.push(item);
      else groups.set(queue, [item]);
    }
    return [...groups];
  }

  private toJob(request: PublishJobRequest, now: Date) {
    return {
      name: 'publish',
      data: { deliveryId: request.deliveryId, ...(request.requestId ? { requestId: request.requestId } : {}) },
      opts: {
        jobId: request.deliveryId,
        // timestamp + delay is when BullMQ runs the job: exactly the delivery's due time.
        timestamp: now.getTime(),
        delay: Math.max(0, request.dueAt.getTime() - now.getTime()),
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    };
  }

  /**
   * Removes a job unless a worker holds it (BullMQ's remove refuses a locked
   * job; the worker will see the delivery's new state). True when no job of
   * that id is left in the queue.
   */
  private async removeUnlessHeld(queue: Queue<PublishJobData>, deliveryId: string): Promise<boolean> {
    return (await queue.remove(deliveryId)) === 1;
  }
}
