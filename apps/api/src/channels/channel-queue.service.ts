import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PublishQueue } from '@herald/queue';
import { Conflict, UnprocessableRequest } from '../common/problems';
import { ChannelQueue } from './channel-queue';
import { ChannelsService } from './channels.service';

export interface QueueEntry {
  position: number;
  deliveryId: string;
  postId: string;
  text: string;
  scheduledAt: string;
}

/**
 * A channel's Buffer queue as the API shows and steers it: list it, reorder
 * it, shuffle it. Every re-timing happens under the channel's row lock and is
 * mirrored into Redis after the commit; a claimed delivery is never moved.
 */
@Injectable()
export class ChannelQueueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
    private readonly publishQueue: PublishQueue,
  ) {}

  async list(workspaceId: string, channelId: string): Promise<{ data: QueueEntry[]; nextCursor: null }> {
    await this.channels.get(workspaceId, channelId);
    const rows: { delivery_id: string; post_id: string; text: string; variant: string | null; scheduled_at: Date }[] = await this.dataSource.query(
      `SELECT d.id AS delivery_id, d.post_id, p.text, p.variants ->> d.channel_id::text AS variant, d.scheduled_at
         FROM deliveries d JOIN posts p ON p.id = d.post_id
        WHERE d.channel_id = $1 AND d.status = 'scheduled' AND d.schedule_mode IN ('queue', 'next')
        ORDER BY d.scheduled_at, d.id`,
      [channelId],
    );
    return {
      data: rows.map((row, index) => ({
        position: index + 1,
        deliveryId: row.delivery_id,
        postId: row.post_id,
        text: row.variant ?? row.text,
        scheduledAt: row.scheduled_at.toISOString(),
      })),
      nextCursor: null,
    };
  }

  /** The listed deliveries (exactly the queue, in a new order) take the slots in that order. */
  async reorder(workspaceId: string, channelId: string, deliveryIds: string[]) {
    return this.rearrange(workspaceId, channelId, (current) => {
      const wanted = deliveryIds.map((id) => id.toLowerCase());
      const same = wanted.length === current.length && new Set(wanted).size === wanted.length && wanted.every((id) => current.includes(id));
      if (!same) {
        throw new UnprocessableRequest('deliveryIds must list every queued delivery of the channel exactly once', [
          { path: 'deliveryIds', message: `must be a permutation of the ${current.length} queued deliveries (GET the queue first)` },
        ]);
      }
      return wanted;
    }, deliveryIds);
  }

  async shuffle(workspaceId: string, channelId: string) {
    return this.rearrange(workspaceId, channelId, (current) => {
      const order = [...current];
      for (let index = order.length - 1; index > 0; index -= 1) {
        const other = randomInt(index + 1);
        [order[index], order[other]] = [order[other]!, order[index]!];
      }
      return order;
    });
  }

  private async rearrange(workspaceId: string, channelId: string, order: (current: string[]) => string[], named: string[] = []) {
    const now = new Date();
    const moves = await this.dataSource.transaction(async (manager) => {
      const channel = await this.channels.find(manager, workspaceId, channelId, true);
      if (named.length > 0) await this.refuseClaimed(manager, channelId, named);
      const queue = new ChannelQueue(manager, channel, now);
      const current = (await queue.queued()).map((row) => row.id);
      return queue.retime(order(current));
    });
    await this.publishQueue.place(moves, undefined, now);
    return this.list(workspaceId, channelId);
  }

  private async refuseClaimed(manager: EntityManager, channelId: string, ids: string[]): Promise<void> {
    const claimed: { id: string }[] = await manager.query(
      `SELECT id FROM deliveries WHERE channel_id = $1 AND id = ANY($2::uuid[]) AND status = 'publishing'`,
      [channelId, ids],
    );
    if (claimed.length > 0) throw new Conflict(`Delivery ${claimed[0]!.id} is being published right now and cannot move`);
  }
}
