import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishJobData, PublishShard, PublishShards, bullConnection } from '@herald/queue';
import { DueTimeWaker } from './due-time-waker';
import { PublishOutcome, PublisherService } from './publisher.service';

/**
 * A short BullMQ lock (renewed every half of it while a job runs) so that the
 * jobs a crashed worker had taken, but not yet claimed in Postgres, go back
 * to the queue within seconds instead of BullMQ's default half minute.
 */
const JOB_LOCK_MS = 5000;

/**
 * The BullMQ workers of the publish queue: one per shard this process takes
 * jobs from (every shard, or PUBLISH_QUEUE_SHARDS_CONSUMED), each with its
 * due-time waker. WORKER_CONCURRENCY is the process's, shared out among its
 * shards.
 *
 * BullMQ glue only: hands the delivery id to the publisher and turns its
 * outcome into the job's fate. "Later" moves the job back to delayed (no
 * BullMQ attempt spent: Postgres counts attempts); "failed" is recorded
 * already, so BullMQ must not retry it.
 */
@Injectable()
export class PublishWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PublishWorkers.name);
  private readonly workers: Worker<PublishJobData, PublishOutcome>[] = [];
  private readonly wakers: DueTimeWaker[] = [];

  constructor(
    private readonly publisher: PublisherService,
    private readonly shards: PublishShards,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  onApplicationBootstrap(): void {
    const concurrency = Math.max(1, Math.ceil(this.config.workerConcurrency / this.shards.consumed.length));
    for (const shard of this.shards.consumed) this.start(shard, concurrency);
    this.logger.log({ msg: 'taking publish jobs', shards: this.shards.consumed.map((shard) => shard.name), of: this.shards.count, concurrency });
  }

  /** Before Redis and Postgres close: each worker stops taking jobs and lets the ones in flight finish. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const waker of this.wakers) waker.stop();
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  async process(job: Job<PublishJobData>, token?: string): Promise<PublishOutcome> {
    const outcome = await this.publisher.publish(job.data.deliveryId);
    if (outcome.kind === 'later') {
      await job.moveToDelayed(outcome.at.getTime(), token);
      throw new DelayedError();
    }
    if (outcome.kind === 'failed') throw new UnrecoverableError(`${outcome.code}: ${outcome.message}`);
    return outcome;
  }

  private start(shard: PublishShard, concurrency: number): void {
    const worker = new Worker<PublishJobData, PublishOutcome>(shard.name, (job, token) => this.process(job, token), {
      connection: bullConnection(this.config, 'worker'),
      prefix: shard.prefix,
      concurrency,
      lockDuration: JOB_LOCK_MS,
      stalledInterval: JOB_LOCK_MS,
      maxStalledCount: 5,
    });
    // Redis going away (a failover) is reported here; the worker reconnects by itself.
    worker.on('error', (error) => this.logger.warn({ msg: 'publish worker error', shard: shard.name, error: error.message }));
    this.workers.push(worker);
    const waker = new DueTimeWaker(shard.queue);
    waker.start();
    this.wakers.push(waker);
  }
}
