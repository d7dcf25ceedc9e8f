/**
 * The placement core's third step: each delivery's time, fixed by the
 * schedule or taken from its channel's slot queue (`queue`: the next free
 * slot; `next`: the front, moving the rest down one slot). Needs the
 * channels' row locks for the queue modes (see PostLocks).
 */
import { Injectable } from '@nestjs/common';
import { Channel, DeliveriesRepository, Executor, Tenant } from '@herald/db';
import { Retimed, SlotQueues } from '../../channels';
import { ScheduleDto } from '../dto';
import { NewPost } from '../post-writer';

@Injectable()
export class DeliveryTimes {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly slotQueues: SlotQueues,
  ) {}

  /**
   * A queued post's deliveries take their channels' next free slots (`queue`)
   * or the front of their queues (`next`, moving the rest down one slot, which
   * is written here). Returns the deliveries it moved. A delivery awaiting
   * approval takes no slot: its channel must only have a queue (it takes its
   * slot when approved).
   */
  async takeSlots(tenant: Tenant, post: NewPost, schedule: ScheduleDto, now: Date, tx: Executor): Promise<Retimed[]> {
    const moved: Retimed[] = [];
    for (const delivery of post.deliveries) {
      if (delivery.status === 'pending_approval') {
        await this.requireQueue(tenant, delivery.channel, now, tx);
        continue;
      }
      const slot = await this.timeFor(tenant, delivery.channel, schedule, undefined, now, tx);
      delivery.at = slot.at;
      moved.push(...slot.moved);
    }
    return moved;
  }

  /** 422 unless the channel has a posting schedule (a delivery asked for its queue takes a slot later). */
  async requireQueue(tenant: Tenant, channel: Channel, now: Date, tx: Executor): Promise<void> {
    await this.slotQueues.of(tenant, channel, now, tx).nextFree();
  }

  /**
   * A delivery's time under a schedule: the fixed time, or (queue modes) a
   * slot of its channel's slot queue, with the deliveries `next` pushed down
   * (already written).
   */
  async timeFor(
    tenant: Tenant,
    channel: Channel,
    schedule: Pick<ScheduleDto, 'mode'>,
    fixedTime: Date | null | undefined,
    now: Date,
    tx: Executor,
    excludeDeliveryId?: string,
  ): Promise<{ at: Date | null; moved: Retimed[] }> {
    if (fixedTime !== undefined) return { at: fixedTime, moved: [] };
    // The delivery being re-timed must not hold the slot it is leaving.
    if (excludeDeliveryId) await this.deliveries.releaseSlot(tenant, excludeDeliveryId, tx);
    const queue = this.slotQueues.of(tenant, channel, now, tx);
    if (schedule.mode === 'queue') return { at: await queue.nextFree(), moved: [] };
    const front = await queue.front();
    await queue.write(front.moved);
    return front;
  }
}
