import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishJobData, QUEUES } from './queue-names';

/** A delivery's (new) time; null when it no longer has one (draft, cancelled). */
export interface Timing {
  deliveryId: string;
  at: Date | null;
}

export interface PublishJobRequest {
  deliveryId: string;
  /** When the delivery should be published; the job is delayed until then. */
  dueAt: Date;
  requestId?: string;
}

/**
 * The one producer of the publish queue. A job's id is its delivery's id, so
 * adding the same delivery twice is a no-op and the reconciler can re-add
 * whatever Redis lost without creating duplicates.
 */
@Injectable()
export class PublishQueue {
  private readonly logger = new Logger(PublishQueue.name);

  constructor(
    @InjectQueue(QUEUES.publish) private readonly queue: Queue<PublishJobData>,
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
    const soon = timings.filter((timing): timing is { deliveryId: string; at: Date } => timing.at !== null && timing.at.getTime() <= horizon);
    const later = timings.filter((timing) => timing.at === null || timing.at.getTime() > horizon);
    try {
      await this.schedule(soon.map((timing) => ({ deliveryId: timing.deliveryId, dueAt: timing.at, requestId })), now);
      await this.unschedule(later.map((timing) => timing.deliveryId));
    } catch (error) {
      this.logger.warn(`Redis unavailable; the reconciler will place ${timings.length} deliveries: ${String(error)}`);
    }
  }

  /**
   * `place` for deliveries created in the transaction that just committed:
   * they cannot have a job yet, so the ones due within the horizon are added
   * in one `addBulk` and nothing is looked up or removed.
   */
  async placeNew(timings: Timing[], requestId?: string, now: Date = new Date()): Promise<void> {
    const horizon = now.getTime() + this.config.horizonMs;
    const soon = timings.filter((timing): timing is { deliveryId: string; at: Date } => timing.at !== null && timing.at.getTime() <= horizon);
    try {
      await this.ensure(soon.map((timing) => ({ deliveryId: timing.deliveryId, dueAt: timing.at, requestId })), now);
    } catch (error) {
      this.logger.warn(`Redis unavailable; the reconciler will place ${soon.length} new deliveries: ${String(error)}`);
    }
  }

  /** Puts the deliveries in Redis at their due time, replacing finished or delayed jobs of the same id. */
  async schedule(requests: PublishJobRequest[], now: Date = new Date()): Promise<void> {
    if (requests.length === 0) return;
    await Promise.all(requests.map((request) => this.removeUnlessActive(request.deliveryId)));
    await this.queue.addBulk(requests.map((request) => this.toJob(request, now)));
  }

  /** Adds jobs only where none exists (the reconciler's path: never touches an existing job). */
  async ensure(requests: PublishJobRequest[], now: Date = new Date()): Promise<void> {
    if (requests.length === 0) return;
    await this.queue.addBulk(requests.map((request) => this.toJob(request, now)));
  }

  /** Jobs that recover claims whose lease expired; one per (delivery, lease). */
  async recover(claims: { deliveryId: string; leaseExpiresAt: Date }[]): Promise<void> {
    if (claims.length === 0) return;
    await this.queue.addBulk(
      claims.map((claim) => ({
        name: 'recover',
        data: { deliveryId: claim.deliveryId },
        // Removed even when it fails, so the next sweep can try again under the same id.
        opts: { jobId: `recover-${claim.deliveryId}-${claim.leaseExpiresAt.getTime()}`, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }

  /** Takes a delivery's job out of Redis, unless a worker holds it (the worker then finds it stale). */
  async unschedule(deliveryIds: string[]): Promise<void> {
    await Promise.all(deliveryIds.map((id) => this.removeUnlessActive(id)));
  }

  async job(deliveryId: string): Promise<Job<PublishJobData> | undefined> {
    return (await this.queue.getJob(deliveryId)) ?? undefined;
  }

  private toJob(request: PublishJobRequest, now: Date) {
    return {
      name: 'publish',
      data: { deliveryId: request.deliveryId, requestId: request.requestId },
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

  private async removeUnlessActive(deliveryId: string): Promise<void> {
    const job = await this.queue.getJob(deliveryId);
    if (!job) return;
    const state = await job.getState();
    if (state === 'active') return;
    try {
      await job.remove();
    } catch {
      // Taken by a worker between getState and remove: the worker will see the delivery's new state.
    }
  }
}
