import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUES, WebhookJobData } from './queue-names';

/** The one producer of the webhooks queue. Losing a job is harmless: the reconciler re-adds pending deliveries. */
@Injectable()
export class WebhookQueue {
  private readonly logger = new Logger(WebhookQueue.name);

  constructor(@InjectQueue(QUEUES.webhooks) private readonly queue: Queue<WebhookJobData>) {}

  async enqueue(webhookDeliveryIds: string[], at: Date = new Date()): Promise<void> {
    if (webhookDeliveryIds.length === 0) return;
    const now = Date.now();
    try {
      await this.queue.addBulk(
        webhookDeliveryIds.map((id) => ({
          name: 'deliver',
          data: { webhookDeliveryId: id },
          opts: { jobId: id, timestamp: now, delay: Math.max(0, at.getTime() - now), removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
        })),
      );
    } catch (error) {
      this.logger.warn(`Redis unavailable; the reconciler will enqueue ${webhookDeliveryIds.length} webhook deliveries: ${String(error)}`);
    }
  }
}
