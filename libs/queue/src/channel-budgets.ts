/**
 * A channel's rate-limit budget as its network last reported it: when an
 * answer says none is left (`X-RateLimit-Remaining: 0` and its kin, or a
 * 429), the channel's next calls wait for the reset instead of being sent
 * and refused. Shared by every worker (Redis); the key lapses at the reset.
 * Kept under the queue prefix itself, in the circuit breaker's slot (its
 * admission reads the budget in the same script), whatever the channel's
 * publish shard.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { QUEUES } from './queue-names';

@Injectable()
export class ChannelBudgets {
  private readonly prefix: string;

  constructor(
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    this.prefix = `${config.queuePrefix}:budget:`;
  }

  /** Where the channel's reset is kept (read by the circuit breaker's admission, in the same round trip). */
  keyOf(channelId: string): string {
    return this.prefix + channelId;
  }

  /** The channel has nothing left to spend until `resetAt`. A later reset already known wins. */
  async spent(channelId: string, resetAt: Date): Promise<void> {
    const ms = resetAt.getTime() - Date.now();
    if (ms <= 0) return;
    const client = await this.queue.getBackend().client;
    const key = this.prefix + channelId;
    const known = Number(await client.get(key));
    if (known >= resetAt.getTime()) return;
    await client.set(key, String(resetAt.getTime()), { PX: ms + 1000 });
  }

  /**
   * The budget of the channel's metrics reads (analytics), apart from its
   * publishing one: a read refused or nearly out of budget makes the next
   * reads wait, never a publish.
   */
  async readsSpent(channelId: string, resetAt: Date): Promise<void> {
    const ms = resetAt.getTime() - Date.now();
    if (ms <= 0) return;
    const client = await this.queue.getBackend().client;
    const key = this.readsKeyOf(channelId);
    if (Number(await client.get(key)) >= resetAt.getTime()) return;
    await client.set(key, String(resetAt.getTime()), { PX: ms + 1000 });
  }

  /** Until when the channel's metrics reads wait (null: they may go). */
  async readsWaitUntil(channelId: string): Promise<Date | null> {
    const client = await this.queue.getBackend().client;
    const until = Number(await client.get(this.readsKeyOf(channelId)));
    return until > Date.now() ? new Date(until) : null;
  }

  private readsKeyOf(channelId: string): string {
    return `${this.prefix}reads:${channelId}`;
  }
}
