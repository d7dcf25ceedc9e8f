/**
 * The placement core's steps 1 to 4 for one new post, in a transaction
 * that is always rolled back (a dry run: `POST /v1/posts/validate`). Each
 * channel is placed on its own, so every channel answers what a real
 * create would do to it: its time (its slot queue's next free slot, or the
 * front of it), its status, the room its posting caps leave, or the
 * problem the create would answer. Nothing is written, no quota is taken,
 * nothing is queued.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry } from '@herald/channels';
import { Channel, Executor, Tenant, inTransaction } from '@herald/db';
import { Problem } from '../../common/problems';
import { parseVariants } from '../content-check';
import { NewPost, PostAuthor } from '../post-writer';
import { PostingQuotas, QuotaLedger, QuotaRoom } from '../posting-quotas';
import { isPerChannel, resolveFixedTime } from '../schedule-resolver';
import { DeliveryTimes } from './delivery-times';
import { PlacementRequest, checkNewPost } from './placement-check';
import { PostLocks } from './post-locks';

/** What placing the post would do on one channel: its delivery as it would be written, or the problem. */
export interface ChannelRehearsal {
  channelId: string;
  channel?: Channel;
  delivery?: NewPost['deliveries'][number];
  /** The content as the channel would get it (its links tracked where UTM is asked). */
  content?: NewPost['content'];
  quota: QuotaRoom[];
  problem?: Problem;
}

export interface Rehearsal {
  /** A problem of the whole post (its time, its shape), answered before any channel is looked at. */
  problem?: Problem;
  channels: ChannelRehearsal[];
}

/** Thrown to roll the rehearsal's transaction back, carrying what it found. */
class RolledBack extends Error {
  constructor(readonly rehearsal: Rehearsal) {
    super('dry run');
  }
}

@Injectable()
export class PlacementRehearsal {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly times: DeliveryTimes,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly quotas: PostingQuotas,
  ) {}

  /** `input.media` resolved as a create would (without importing URLs). */
  async rehearse(tenant: Tenant, input: PlacementRequest, author: PostAuthor, now: Date): Promise<Rehearsal> {
    try {
      // The post-wide checks a create makes before its channels: its time and its variants' shape.
      if (!isPerChannel(input.schedule)) resolveFixedTime(input.schedule, now);
      parseVariants(input.variants);
    } catch (error) {
      if (error instanceof Problem) return { problem: error, channels: [] };
      throw error;
    }
    try {
      await inTransaction(this.dataSource, async (tx) => {
        throw new RolledBack(await this.placeEach(tenant, input, author, now, tx));
      });
    } catch (error) {
      if (error instanceof RolledBack) return error.rehearsal;
      throw error;
    }
    throw new Error('unreachable: a rehearsal always rolls back');
  }

  /** Steps 1 to 4 of `PostPlacement.place`, with the same locks, once per channel. */
  private async placeEach(tenant: Tenant, input: PlacementRequest, author: PostAuthor, now: Date, tx: Executor): Promise<Rehearsal> {
    const submits = author.awaitsApproval && input.schedule.mode !== 'draft';
    const lock = isPerChannel(input.schedule) && !submits ? 'update' : 'share';
    const channels = await this.locks.lockChannels(tenant, input.channelIds, lock, tx);
    const ids = [...new Set(input.channelIds.map((id) => id.toLowerCase()))];
    const strays = Object.keys(input.variants ?? {}).filter((id) => !ids.includes(id));
    const ledger = new QuotaLedger();
    const results: ChannelRehearsal[] = [];
    for (const channelId of ids) {
      const variant = input.variants?.[channelId];
      // A variant naming no channel of the post is every channel's problem, as the create's one 422 names it.
      const variants = Object.fromEntries([...(variant !== undefined ? [[channelId, variant]] : []), ...strays.map((id) => [id, input.variants![id]])]);
      const alone: PlacementRequest = { ...input, channelIds: [channelId], variants };
      results.push(await this.placeOne(tenant, alone, channels, author, now, ledger, tx));
    }
    return { channels: results };
  }

  private async placeOne(
    tenant: Tenant,
    input: PlacementRequest,
    channels: Map<string, Channel>,
    author: PostAuthor,
    now: Date,
    ledger: QuotaLedger,
    tx: Executor,
  ): Promise<ChannelRehearsal> {
    const channelId = input.channelIds[0]!;
    const channel = channels.get(channelId);
    try {
      const post = checkNewPost(this.adapters, input, channels, author, now);
      if (isPerChannel(input.schedule)) await this.times.takeSlots(tenant, post, input.schedule, now, tx);
      await this.quotas.lock(tenant, this.quotas.capped(post.deliveries.map((delivery) => delivery.channel)), tx);
      await this.quotas.admit(tenant, post, ledger, tx);
      const delivery = post.deliveries[0]!;
      const quota = delivery.at ? await this.quotas.roomAt(tenant, delivery.channel, delivery.at, post.content, tx) : [];
      return { channelId, channel, delivery, content: post.content, quota };
    } catch (error) {
      if (error instanceof Problem) return { channelId, ...(channel ? { channel } : {}), quota: [], problem: error };
      throw error;
    }
  }
}
