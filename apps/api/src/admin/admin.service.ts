import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DeliveriesRepository, SYSTEM, ScheduleCounts } from '@herald/db';
import { CircuitView, JOB_STATES, NetworkCircuits, PublishShards, QUEUES } from '@herald/queue';
import { Conflict, NotFound } from '../common/problems';


export interface QueueState {
  name: string;
  /** A publish shard's place among the shards (PUBLISH_QUEUE_SHARDS); absent on the other queues. */
  shard?: { index: number; of: number };
  paused: boolean;
  counts: Record<(typeof JOB_STATES)[number] | 'paused', number>;
  workers: { id: string; name: string; addr: string; age: number }[];
  /** On the publish queue as a whole with more than one shard: each shard's own state. */
  shards?: QueueState[];
}

export type ScheduleState = ScheduleCounts;

/** A delivery counts as overdue once it is this late: past "within a second", with room for a busy burst. */
const OVERDUE_AFTER_SECONDS = 5;

/**
 * What operators see of the queues: BullMQ's counts and workers, and the
 * schedule as Postgres knows it. Each publish shard is a queue of its own
 * here (`publish` with one shard; `publish-0`, `publish-1`... with more),
 * paused, resumed and retried by its name; `publish` names them all (its
 * pause and resume act on every shard, and the overview shows the whole).
 */
@Injectable()
export class AdminService {
  private readonly queues: Map<string, Queue>;

  constructor(
    @InjectQueue(QUEUES.reconcile) reconcile: Queue,
    @InjectQueue(QUEUES.webhooks) webhooks: Queue,
    @InjectQueue(QUEUES.unpublish) unpublish: Queue,
    private readonly shards: PublishShards,
    private readonly deliveries: DeliveriesRepository,
    private readonly circuits: NetworkCircuits,
  ) {
    this.queues = new Map<string, Queue>([...shards.all.map((shard) => [shard.name, shard.queue] as [string, Queue]), [QUEUES.reconcile, reconcile], [QUEUES.webhooks, webhooks], [QUEUES.unpublish, unpublish]]);
  }

  /** The queues, the schedule, and each network host's circuit breaker (state, since when, failures). */
  async overview(): Promise<{ queues: QueueState[]; publish: QueueState; schedule: ScheduleState; networks: CircuitView[] }> {
    const [queues, schedule, networks] = await Promise.all([
      Promise.all([...this.queues.values()].map((queue) => this.stateOf(queue))),
      this.schedule(),
      this.circuits.list(),
    ]);
    const shardStates = queues.filter((state) => this.shards.all.some((shard) => shard.name === state.name));
    return { queues, publish: this.wholeOf(shardStates), schedule, networks };
  }

  /** Pauses a queue; `publish` pauses every shard of the publish queue (and shards of a count that comes later). */
  async pause(name: string): Promise<QueueState> {
    if (name === QUEUES.publish) {
      await this.shards.pauseAll();
      return this.publishState();
    }
    const queue = this.queue(name);
    await queue.pause();
    return this.stateOf(queue);
  }

  /** Resumes a queue; `publish` resumes every shard. Resuming one shard ends a pause of the whole. */
  async resume(name: string): Promise<QueueState> {
    if (name === QUEUES.publish) {
      await this.shards.resumeAll();
      return this.publishState();
    }
    const queue = this.queue(name);
    if (this.shards.all.some((shard) => shard.queue === queue)) await this.shards.withdrawPause();
    await queue.resume();
    return this.stateOf(queue);
  }

  /** A page of jobs in one state, each with its delivery as Postgres knows it (status, attempts, last error). */
  async jobs(name: string, state: string, limit: number) {
    const queue = this.queue(name);
    const jobs = await queue.getJobs([state as (typeof JOB_STATES)[number]], 0, limit - 1, state !== 'completed' && state !== 'failed');
    const deliveryIds = jobs.map((job) => (job.data as { deliveryId?: string }).deliveryId).filter((id): id is string => typeof id === 'string');
    const rows = await this.deliveries.byIds(SYSTEM, deliveryIds);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      data: jobs.map((job) => {
        const delivery = byId.get((job.data as { deliveryId?: string }).deliveryId ?? '');
        return {
          id: job.id,
          name: job.name,
          state,
          createdAt: new Date(job.timestamp).toISOString(),
          runAt: new Date(job.timestamp + (job.delay ?? 0)).toISOString(),
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason ?? null,
          delivery: delivery
            ? {
                id: delivery.id,
                postId: delivery.postId,
                status: delivery.status,
                scheduledAt: delivery.scheduledAt?.toISOString() ?? null,
                attemptCount: delivery.attemptCount,
                lastError: delivery.lastErrorCode ? { code: delivery.lastErrorCode, message: delivery.lastErrorMessage } : null,
              }
            : null,
        };
      }),
      nextCursor: null,
    };
  }

  /** Runs a failed job again (BullMQ's retry); the delivery's own state decides what happens. */
  async retryJob(name: string, jobId: string): Promise<{ id: string; state: string }> {
    const job = await this.queue(name).getJob(jobId);
    if (!job) throw new NotFound('Job', jobId);
    const state = await job.getState();
    if (state !== 'failed') throw new Conflict(`Job ${jobId} is ${state}; only failed jobs can be retried`);
    await job.retry('failed');
    return { id: jobId, state: await job.getState() };
  }

  async retryFailed(name: string): Promise<{ retried: number }> {
    const queue = this.queue(name);
    const failed = await queue.getJobCountByTypes('failed');
    await queue.retryJobs({ state: 'failed', count: 1000 });
    return { retried: failed };
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new NotFound('Queue', name);
    return queue;
  }

  private async publishState(): Promise<QueueState> {
    return this.wholeOf(await Promise.all(this.shards.all.map((shard) => this.stateOf(shard.queue))));
  }

  /**
   * The publish queue as a whole: with one shard, that queue; with more,
   * paused only when every shard is (a post goes out through any shard that
   * is not), the shards' counts summed, their workers, and each shard.
   */
  private wholeOf(shards: QueueState[]): QueueState {
    if (shards.length === 1) return shards[0]!;
    const counts = Object.fromEntries(Object.keys(shards[0]!.counts).map((state) => [state, shards.reduce((sum, shard) => sum + shard.counts[state as keyof QueueState['counts']], 0)]));
    return {
      name: QUEUES.publish,
      paused: shards.every((shard) => shard.paused),
      counts: counts as QueueState['counts'],
      workers: shards.flatMap((shard) => shard.workers),
      shards,
    };
  }

  private async stateOf(queue: Queue): Promise<QueueState> {
    const [counts, paused, workers] = await Promise.all([queue.getJobCounts(...JOB_STATES), queue.isPaused(), queue.getWorkers()]);
    const shard = this.shards.all.find((candidate) => candidate.queue === queue);
    return {
      name: queue.name,
      ...(shard ? { shard: { index: shard.index, of: shard.count } } : {}),
      paused,
      counts: {
        ...(Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Omit<QueueState['counts'], 'paused'>),
        paused: paused ? (counts.waiting ?? 0) : 0,
      },
      workers: workers.map((worker) => ({
        id: String(worker.id ?? ''),
        name: String(worker.name ?? ''),
        addr: String(worker.addr ?? ''),
        age: Number(worker.age ?? 0),
      })),
    };
  }

  private schedule(): Promise<ScheduleState> {
    return this.deliveries.scheduleState(SYSTEM, OVERDUE_AFTER_SECONDS);
  }
}
