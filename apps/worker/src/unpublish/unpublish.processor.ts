import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { QUEUES, UnpublishJobData } from '@herald/queue';
import { UnpublishOutcome, UnpublisherService } from './unpublisher.service';

/**
 * BullMQ glue for unpublish: Postgres keeps the state and the attempts; a
 * retry moves the job back to delayed (no BullMQ attempt spent). A delete
 * given up is recorded already: the job completes.
 */
@Processor(QUEUES.unpublish, { concurrency: 4 })
export class UnpublishProcessor extends WorkerHost {
  constructor(private readonly unpublisher: UnpublisherService) {
    super();
  }

  async process(job: Job<UnpublishJobData>, token?: string): Promise<UnpublishOutcome> {
    const outcome = await this.unpublisher.run(job.data.deliveryId);
    if (outcome.kind === 'later') {
      await job.moveToDelayed(outcome.at.getTime(), token);
      throw new DelayedError();
    }
    return outcome;
  }
}
