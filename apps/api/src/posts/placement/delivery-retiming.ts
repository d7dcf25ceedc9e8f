/**
 * Steps 3 to 5 of the placement core for deliveries that already exist (an
 * edit, an approval): a new time (fixed, or a slot of the channel's queue),
 * written, and counted against the channel's posting quotas in the same
 * transaction; or, for one submitted for approval, the time asked kept
 * without a slot or a job. The caller holds the post's lock, and takes the
 * quota locks first (`lockQuotas`).
 */
import { Injectable } from '@nestjs/common';
import { Channel, DeliveriesRepository, Delivery, DeliveryTiming, Executor, Tenant } from '@herald/db';
import { Retimed } from '../../channels';
import { DraftContent } from '../content-check';
import { ScheduleDto } from '../dto';
import { PostingQuotas } from '../posting-quotas';
import { DeliveryTimes } from './delivery-times';

@Injectable()
export class DeliveryRetiming {
  constructor(
    private readonly times: DeliveryTimes,
    private readonly deliveries: DeliveriesRepository,
    private readonly quotas: PostingQuotas,
  ) {}

  /** The quota locks of the capped channels among `channels`, before any delivery is counted. */
  async lockQuotas(tenant: Tenant, channels: Iterable<Channel>, tx: Executor): Promise<void> {
    await this.quotas.lock(tenant, this.quotas.capped(channels), tx);
  }

  /**
   * Gives `delivery` its time under `schedule` (see DeliveryTimes.timeFor),
   * as `status` (by default scheduled, a draft when it has no time), counted
   * against the channel's caps (a full window refuses the whole transaction).
   * Answers its new timing and the deliveries a `next` moved down.
   */
  async retime(
    tenant: Tenant,
    channel: Channel,
    delivery: Delivery,
    schedule: Pick<ScheduleDto, 'mode'>,
    fixedTime: Date | null | undefined,
    now: Date,
    tx: Executor,
    options: { leavesSlot?: boolean } = {},
  ): Promise<Retimed[]> {
    const { at, moved } = await this.times.timeFor(tenant, channel, schedule, fixedTime, now, tx, options.leavesSlot ? delivery.id : undefined);
    await this.deliveries.reschedule(tenant, delivery.id, { at, mode: schedule.mode, status: at ? 'scheduled' : 'draft' }, tx);
    if (at) await this.quotas.admitMoved(tenant, channel, at, tx);
    return [{ deliveryId: delivery.id, channelId: delivery.channelId, at }, ...moved];
  }

  /**
   * Submits `delivery` for approval with the time `asked` (no slot, no job:
   * a queue asked for must exist; a time asked counts against the caps, as
   * the posts `content` makes). Answers its timing: none, so its job leaves
   * the queue.
   */
  async submit(
    tenant: Tenant,
    channel: Channel,
    delivery: Delivery,
    asked: DeliveryTiming,
    queueAsked: boolean,
    content: Pick<DraftContent, 'parts' | 'firstComment'>,
    now: Date,
    tx: Executor,
  ): Promise<Retimed> {
    if (queueAsked) await this.times.requireQueue(tenant, channel, now, tx);
    await this.deliveries.reschedule(tenant, delivery.id, asked, tx);
    if (asked.at) await this.quotas.admitAsked(tenant, channel, asked.at, content, tx);
    return { deliveryId: delivery.id, channelId: delivery.channelId, at: null };
  }
}
