/**
 * The evergreen queue (PRODUCT.md section 13): a channel whose queue
 * recycles (`evergreenMinRepeatDays`) gets its published evergreen posts
 * back at the end of its queue, as a new post (`recycledFrom` its original)
 * in the channel's next free slot, never within the minimum days of the
 * post's last time there. Where the network refuses a text the account just
 * posted (X), the copy takes the post's other text for the channel (its
 * variant, or its main text) when that differs from the text last sent
 * there; when none differs the post is skipped on that channel and says so
 * (`evergreenSkips`). Run by each reconcile sweep, per channel under its row
 * lock (the slot queue's lock), so two workers never recycle one post twice.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NETWORK_RULES, isNetwork } from '@herald/channels';
import { Channel, ChannelsRepository, DeliveriesRepository, PostsRepository, SYSTEM, inTransaction, tenantOf } from '@herald/db';
import { PostingSchedule, nextFreeSlot } from '@herald/scheduling';

const DAY_MS = 86_400_000;
/** Channels looked at per sweep, and posts recycled per channel per sweep. */
const CHANNELS_PER_SWEEP = 500;
const POSTS_PER_CHANNEL = 5;

export interface RecycleReport {
  recycled: number;
  skipped: number;
}

@Injectable()
export class EvergreenRecycler {
  private readonly logger = new Logger(EvergreenRecycler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsRepository,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async recycleDue(now: Date = new Date()): Promise<RecycleReport> {
    const report = { recycled: 0, skipped: 0 };
    for (const channel of await this.channels.recycling(SYSTEM, CHANNELS_PER_SWEEP)) {
      const done = await this.recycleOn(channel, now);
      report.recycled += done.recycled;
      report.skipped += done.skipped;
    }
    return report;
  }

  private recycleOn(channel: Channel, now: Date): Promise<RecycleReport> {
    const tenant = tenantOf(channel.workspaceId);
    return inTransaction(this.dataSource, async (tx) => {
      const report = { recycled: 0, skipped: 0 };
      // The slot queue's lock; the minimum days as the sweep read them.
      const [locked] = await this.channels.liveAmong(tenant, [channel.id], 'update', tx);
      if (!locked || locked.status !== 'active' || !channel.evergreenMinRepeatDays) return report;
      const due = await this.posts.evergreenDue(tenant, locked.id, new Date(now.getTime() - channel.evergreenMinRepeatDays * DAY_MS), POSTS_PER_CHANNEL, tx);
      if (due.length === 0) return report;
      const refusesDuplicates = isNetwork(locked.network) && NETWORK_RULES[locked.network].refusesDuplicates === true;
      const taken = await this.deliveries.takenTimes(tenant, locked.id, now, false, tx);
      for (const post of due) {
        const text = recycledText(post, locked.id, refusesDuplicates);
        if (text === undefined) {
          await this.posts.skipEvergreen(tenant, post.id, locked.id, { at: now.toISOString(), reason: 'duplicate_text' }, tx);
          this.logger.log({ msg: 'evergreen post skipped: the network refuses the same text again and no variant differs', postId: post.id, channelId: locked.id });
          report.skipped += 1;
          continue;
        }
        const slot = nextFreeSlot(locked.postingSchedule as PostingSchedule, locked.timezone, now, taken);
        if (!slot) return report; // no posting schedule: nothing to recycle into
        taken.push(slot);
        const id = randomUUID();
        const at = slot.toISOString();
        const actor = post.createdBy ?? { kind: 'api_key' as const, id: locked.id };
        const written = await this.posts.insertWithDeliveries(
          tenant,
          actor,
          [
            {
              id,
              text,
              media: post.media,
              variants: {},
              status: 'scheduled',
              request_id: null,
              schedule: { mode: 'queue' },
              sort_at: at,
              tags: post.tags,
              network_options: post.networkOptions,
              recycled_from: post.id,
              audit: { status: 'scheduled', mode: 'queue', channelIds: [locked.id], recycledFrom: post.id },
            },
          ],
          [{ id: randomUUID(), post_id: id, channel_id: locked.id, status: 'scheduled', schedule_mode: 'queue', scheduled_at: at }],
          tx,
        );
        if (written) report.recycled += 1;
      }
      return report;
    });
  }
}

/**
 * The text a recycled copy takes on a channel: the post's own for it (its
 * variant, else its text); where the network refuses a repeat, the first of
 * its texts that differs from the one last sent there, or none.
 */
export function recycledText(post: { text: string; variants: Record<string, string>; lastText: string | null }, channelId: string, refusesDuplicates: boolean): string | undefined {
  const own = post.variants[channelId] ?? post.text;
  if (!refusesDuplicates) return own;
  return [own, post.text].find((text) => text !== post.lastText);
}
