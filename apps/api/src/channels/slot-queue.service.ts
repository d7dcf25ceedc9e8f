import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, Tenant, inTransaction } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { AccessService, AuthContext } from '../access';
import { AuditLog } from '../audit';
import { Conflict, UnprocessableRequest } from '../common/problems';
import { ChannelsService } from './channels.service';
import { SlotQueues } from './slot-queue';

export interface SlotQueueEntry {
  position: number;
  deliveryId: string;
  postId: string;
  text: string;
  scheduledAt: string;
}

/**
 * A channel's slot queue as the API shows and steers it
 * (`/v1/channels/:id/queue`): list it, reorder it, shuffle it. Every
 * re-timing happens under the channel's row lock and is mirrored into Redis
 * after the commit; a claimed delivery is never moved. A reorder or shuffle
 * is in the audit log (`channel.queue_reordered`), in its transaction.
 */
@Injectable()
export class SlotQueueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
    private readonly deliveries: DeliveriesRepository,
    private readonly slotQueues: SlotQueues,
    private readonly publishQueue: PublishQueue,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async list(auth: AuthContext, channelId: string): Promise<{ data: SlotQueueEntry[]; nextCursor: null }> {
    return this.entries(this.access.tenant(auth, 'channels.read'), channelId);
  }

  /** The listed deliveries (exactly the queue, in a new order) take the slots in that order. */
  async reorder(auth: AuthContext, channelId: string, deliveryIds: string[]) {
    return this.rearrange(auth, channelId, false, (current) => {
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

  async shuffle(auth: AuthContext, channelId: string) {
    return this.rearrange(auth, channelId, true, (current) => {
      const order = [...current];
      for (let index = order.length - 1; index > 0; index -= 1) {
        const other = randomInt(index + 1);
        [order[index], order[other]] = [order[other]!, order[index]!];
      }
      return order;
    });
  }

  private async entries(tenant: Tenant, channelId: string): Promise<{ data: SlotQueueEntry[]; nextCursor: null }> {
    await this.channels.find(tenant, channelId);
    const rows = await this.deliveries.queueEntries(tenant, channelId);
    return {
      data: rows.map((row, index) => ({ position: index + 1, deliveryId: row.deliveryId, postId: row.postId, text: row.text, scheduledAt: row.scheduledAt.toISOString() })),
      nextCursor: null,
    };
  }

  private async rearrange(auth: AuthContext, channelId: string, shuffled: boolean, order: (current: string[]) => string[], named: string[] = []) {
    const tenant = this.access.tenant(auth, 'posts.write');
    const now = new Date();
    const moves = await inTransaction(this.dataSource, async (tx) => {
      const channel = await this.channels.find(tenant, channelId, tx);
      if (named.length > 0) {
        const claimed = await this.deliveries.claimedAmong(tenant, channelId, named, tx);
        if (claimed.length > 0) throw new Conflict(`Delivery ${claimed[0]!} is being published right now and cannot move`);
      }
      const queue = this.slotQueues.of(tenant, channel, now, tx);
      const current = (await queue.queued()).map((row) => row.id);
      const moves = await queue.retime(order(current));
      await this.audit.recordAs(auth, 'channel.queue_reordered', { type: 'channel', id: channel.id }, { network: channel.network, handle: channel.handle, shuffled, queued: current.length }, tx);
      return moves;
    });
    await this.publishQueue.place(moves, undefined, now);
    return this.entries(tenant, channelId);
  }
}
