import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUES, UnpublishJobData } from './queue-names';

/**
 * The one producer of the unpublish queue: a job per delivery to take down,
 * its id the delivery's (so a delivery has one job at a time). Losing a job
 * is harmless: Postgres says which deliveries are to be unpublished, and
 * the reconciler gives each due one without a live job a new one.
 */
@Injectable()
export class UnpublishQueue {
  private readonly logger = new Logger(UnpublishQueue.name);

  constructor(@InjectQueue(QUEUES.unpublish) private readonly queue: Queue<UnpublishJobData>) {}

  get jobs(): Queue<UnpublishJobData> {
    return this.queue;
  }

  async enqueue(deliveryIds: string[], at: Date = new Date()): Promise<void> {
    if (deliveryIds.length === 0) return;
    const now = Date.now();
    try {
      await this.queue.addBulk(
        deliveryIds.map((id) => ({
          name: 'unpublish',
          data: { deliveryId: id },
          opts: { jobId: id, timestamp: now, delay: Math.max(0, at.getTime() - now), removeOnComplete: true, removeOnFail: { count: 1000 } },
        })),
      );
    } catch (error) {
      this.logger.warn(`Redis unavailable; the reconciler will enqueue ${deliveryIds.length} unpublishes: ${String(error)}`);
    }
  }
}
