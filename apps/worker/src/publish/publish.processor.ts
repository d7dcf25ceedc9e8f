import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishJobData, QUEUES } from '@herald/queue';
import { PublishOutcome, PublisherService } from './publisher.service';

/**
 * BullMQ glue only: hands the delivery id to the publisher and turns its
 * outcome into the job's fate. "Later" moves the job back to delayed (no
 * BullMQ attempt spent: Postgres counts attempts); "failed" is recorded
 * already, so BullMQ must not retry it.
 */
/**
 * A short BullMQ lock (renewed every half of it while a job runs) so that the
 * jobs a crashed worker had taken, but not yet claimed in Postgres, go back
 * to the queue within seconds instead of BullMQ's default half minute.
 */
const JOB_LOCK_MS = 5000;

@Processor(QUEUES.publish, { lockDuration: JOB_LOCK_MS, stalledInterval: JOB_LOCK_MS, maxStalledCount: 5 })
export class PublishProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly publisher: PublisherService,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
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
}
