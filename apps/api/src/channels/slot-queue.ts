/**
 * A channel's slot queue (Buffer's "queue"): the weekly slots of its posting
 * schedule in its zone, and the deliveries that hold them. Callers hold the
 * channel's row lock in the transaction they pass (so two posts cannot take
 * one slot). Not to be confused with the BullMQ queues, which are Redis's.
 */
import { Injectable } from '@nestjs/common';
import { Channel, DeliveriesRepository, Executor, Tenant } from '@herald/db';
import { PostingSchedule, assignSlots, nextFreeSlot } from '@herald/scheduling';
import { UnprocessableRequest } from '../common/problems';

/** A delivery whose time the slot queue changed (its channel names its publish shard). */
export interface Retimed {
  deliveryId: string;
  channelId: string;
  /** Null when it became a draft. */
  at: Date | null;
}

export class SlotQueue {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly tenant: Tenant,
    private readonly channel: Channel,
    private readonly now: Date,
    private readonly tx: Executor,
  ) {}

  /** The queued deliveries (mode `queue` or `next`, not yet claimed), front first, row-locked. */
  queued(): Promise<{ id: string; scheduledAt: Date }[]> {
    return this.deliveries.queued(this.tenant, this.channel.id, { lock: true, on: this.tx });
  }

  /**
   * Gives the queued deliveries, in this order, the channel's next free slots
   * (from now, in its current zone and schedule) and writes the new times.
   */
  async retime(orderedIds: string[]): Promise<{ deliveryId: string; channelId: string; at: Date }[]> {
    if (orderedIds.length === 0) return [];
    const fixed = await this.deliveries.takenTimes(this.tenant, this.channel.id, this.now, true, this.tx);
    const slots = assignSlots(this.schedule(), this.channel.timezone, this.now, orderedIds.length, fixed);
    if (slots.length < orderedIds.length) throw this.noSchedule();
    const moves = orderedIds.map((deliveryId, index) => ({ deliveryId, channelId: this.channel.id, at: slots[index]! }));
    await this.deliveries.retime(this.tenant, moves, this.tx);
    return moves;
  }

  /** The channel's next free slot (mode `queue`). */
  async nextFree(): Promise<Date> {
    const taken = await this.deliveries.takenTimes(this.tenant, this.channel.id, this.now, false, this.tx);
    const slot = nextFreeSlot(this.schedule(), this.channel.timezone, this.now, taken);
    if (!slot) throw this.noSchedule();
    return slot;
  }

  /**
   * The front of the queue (mode `next`): the first slot goes to the new
   * delivery and every queued delivery behind it moves down one slot.
   */
  async front(): Promise<{ at: Date; moved: { deliveryId: string; channelId: string; at: Date }[] }> {
    const queued = await this.deliveries.queued(this.tenant, this.channel.id, { lock: false, on: this.tx });
    const fixed = await this.deliveries.takenTimes(this.tenant, this.channel.id, this.now, true, this.tx);
    const slots = assignSlots(this.schedule(), this.channel.timezone, this.now, queued.length + 1, fixed);
    if (slots.length === 0) throw this.noSchedule();
    return { at: slots[0]!, moved: queued.map((row, index) => ({ deliveryId: row.id, channelId: this.channel.id, at: slots[index + 1]! })) };
  }

  /** New times for deliveries the caller moved (a post sent to the front pushes the rest down). */
  async write(moves: { deliveryId: string; at: Date }[]): Promise<void> {
    await this.deliveries.retime(this.tenant, moves, this.tx);
  }

  private schedule(): PostingSchedule {
    return this.channel.postingSchedule as PostingSchedule;
  }

  private noSchedule(): UnprocessableRequest {
    return new UnprocessableRequest(`Channel ${this.channel.id} has no posting schedule: add slots before using the queue`, [
      { path: 'schedule.mode', message: `channel ${this.channel.id} has no posting schedule` },
    ]);
  }
}

/** Makes a channel's SlotQueue for one transaction. */
@Injectable()
export class SlotQueues {
  constructor(private readonly deliveries: DeliveriesRepository) {}

  of(tenant: Tenant, channel: Channel, now: Date, tx: Executor): SlotQueue {
    return new SlotQueue(this.deliveries, tenant, channel, now, tx);
  }
}
