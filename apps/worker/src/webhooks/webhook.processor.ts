import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { QUEUES, WebhookJobData } from '@herald/queue';
import { WebhookOutcome, WebhookSender } from './webhook-sender.service';

/** BullMQ glue for webhooks: Postgres keeps the attempts; a retry moves the job back to delayed. */
@Processor(QUEUES.webhooks, { concurrency: 8 })
export class WebhookProcessor extends WorkerHost {
  constructor(private readonly sender: WebhookSender) {
    super();
  }

  async process(job: Job<WebhookJobData>, token?: string): Promise<WebhookOutcome> {
    const outcome = await this.sender.deliver(job.data.webhookDeliveryId);
    if (outcome.kind === 'later') {
      await job.moveToDelayed(outcome.at.getTime(), token);
      throw new DelayedError();
    }
    if (outcome.kind === 'failed') throw new UnrecoverableError(outcome.reason);
    return outcome;
  }
}
