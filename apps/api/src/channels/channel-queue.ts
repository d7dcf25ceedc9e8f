import { EntityManager } from 'typeorm';
import { Channel } from '@herald/db';
import { PostingSchedule, assignSlots, nextFreeSlot } from '@herald/scheduling';
import { UnprocessableRequest } from '../common/problems';

/** A delivery whose time the queue changed. */
export interface Retimed {
  deliveryId: string;
  /** Null when it became a draft. */
  at: Date | null;
}

/**
 * The Buffer queue of one channel: its slots in its zone, and the deliveries
 * that hold them. Callers hold the channel's row lock (so two posts cannot
 * take one slot).
 */
export class ChannelQueue {
  constructor(
    private readonly manager: EntityManager,
    private readonly channel: Channel,
    private readonly now: Date,
  ) {}

  /** The queued deliveries (mode `queue` or `next`, not yet claimed), front first. */
  async queued(): Promise<{ id: string; scheduled_at: Date }[]> {
    return this.manager.query(
      `SELECT id, scheduled_at FROM deliveries
        WHERE channel_id = $1 AND status = 'scheduled' AND schedule_mode IN ('queue', 'next')
        ORDER BY scheduled_at, id FOR UPDATE`,
      [this.channel.id],
    );
  }

  /**
   * Gives the queued deliveries, in this order, the channel's next free slots
   * (from now, in its current zone and schedule) and writes the new times.
   */
  async retime(orderedIds: string[]): Promise<{ deliveryId: string; at: Date }[]> {
    if (orderedIds.length === 0) return [];
    const fixed = await this.takenTimes(true);
    const slots = assignSlots(this.schedule(), this.channel.timezone, this.now, orderedIds.length, fixed);
    if (slots.length < orderedIds.length) throw this.noSchedule();
    const moves = orderedIds.map((deliveryId, index) => ({ deliveryId, at: slots[index]! }));
    await writeTimes(this.manager, moves);
    return moves;
  }

  /** The channel's next free slot (mode `queue`). */
  async nextFree(): Promise<Date> {
    const taken = await this.takenTimes();
    const slot = nextFreeSlot(this.schedule(), this.channel.timezone, this.now, taken);
    if (!slot) throw this.noSchedule();
    return slot;
  }

  /**
   * The front of the queue (mode `next`): the first slot goes to the new
   * delivery and every queued delivery behind it moves down one slot.
   */
  async front(): Promise<{ at: Date; moved: { deliveryId: string; at: Date }[] }> {
    const queued: { id: string }[] = await this.manager.query(
      `SELECT id FROM deliveries WHERE channel_id = $1 AND status = 'scheduled' AND schedule_mode IN ('queue', 'next')
        ORDER BY scheduled_at, id`,
      [this.channel.id],
    );
    const fixed = await this.takenTimes(true);
    const slots = assignSlots(this.schedule(), this.channel.timezone, this.now, queued.length + 1, fixed);
    if (slots.length === 0) throw this.noSchedule();
    return { at: slots[0]!, moved: queued.map((row, index) => ({ deliveryId: row.id, at: slots[index + 1]! })) };
  }

  private schedule(): PostingSchedule {
    return this.channel.postingSchedule as PostingSchedule;
  }

  /** Times already held on this channel; with `fixedOnly`, only those the queue may not move. */
  private async takenTimes(fixedOnly = false): Promise<Date[]> {
    const rows: { scheduled_at: Date }[] = await this.manager.query(
      `SELECT scheduled_at FROM deliveries
        WHERE channel_id = $1 AND scheduled_at > $2 AND status IN ('scheduled', 'publishing')
          ${fixedOnly ? `AND NOT (status = 'scheduled' AND schedule_mode IN ('queue', 'next'))` : ''}`,
      [this.channel.id, this.now],
    );
    return rows.map((row) => row.scheduled_at);
  }

  private noSchedule(): UnprocessableRequest {
    return new UnprocessableRequest(`Channel ${this.channel.id} has no posting schedule: add slots before using the queue`, [
      { path: 'schedule.mode', message: `channel ${this.channel.id} has no posting schedule` },
    ]);
  }
}

/** New times for many deliveries in one statement. */
export async function writeTimes(manager: EntityManager, moves: { deliveryId: string; at: Date }[]): Promise<void> {
  if (moves.length === 0) return;
  await manager.query(
    `UPDATE deliveries AS d SET scheduled_at = m.at, due_at = m.at, updated_at = now()
       FROM unnest($1::uuid[], $2::timestamptz[]) AS m(id, at)
      WHERE d.id = m.id`,
    [moves.map((move) => move.deliveryId), moves.map((move) => move.at)],
  );
}
