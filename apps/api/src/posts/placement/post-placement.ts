/**
 * The placement core: every use case that gives a post's deliveries a
 * place (create, bulk, edit, approve, cancel, retry) goes through the same
 * steps, in the same order:
 *
 *   1. lock the channels (PostLocks; or the post first, then its channels)
 *   2. check each channel's rules (checkNewPost: time, channels, content)
 *   3. resolve slots and times (DeliveryTimes)
 *   4. count quotas (PostingQuotas, under their own locks)
 *   5. write, with the audit event and webhook events, in one transaction
 *   6. queue: Redis and the webhooks are told after the commit; if Redis
 *      cannot be told, the reconciler puts the work there within one sweep.
 *
 * `place` is that sequence for one new post; the other use cases call the
 * steps themselves around their own writes.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry } from '@herald/channels';
import { Channel, Tenant, inTransaction } from '@herald/db';
import { PublishQueue, Timing } from '@herald/queue';
import { AccessService, AuthContext } from '../../access';
import { DraftContent, checkContent } from '../content-check';
import { KnownChannels } from '../known-channels';
import { PostEvents, submitted } from '../post-events';
import { PostView } from '../post-view';
import { NewPost, PostAuthor, PostWriter, awaitsApproval, timingsOf } from '../post-writer';
import { PostingQuotas, QuotaLedger } from '../posting-quotas';
import { isPerChannel } from '../schedule-resolver';
import { DeliveryTimes } from './delivery-times';
import { PlacementRequest, checkNewPost } from './placement-check';
import { holdsLink } from '../tracked-links';
import { PostLocks } from './post-locks';

/** What a committed placement leaves for Redis and the webhooks: new deliveries' times, changed ones', the webhook deliveries recorded. */
export interface Placed {
  created?: Timing[];
  moved?: Timing[];
  webhooks?: string[];
}

@Injectable()
export class PostPlacement {
  private readonly knownChannels = new KnownChannels();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly times: DeliveryTimes,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly quotas: PostingQuotas,
    private readonly writer: PostWriter,
    private readonly publishQueue: PublishQueue,
    private readonly events: PostEvents,
    private readonly access: AccessService,
  ) {}

  /** Who writes, for the posts they create: a request without `posts.publish` (a contributor) submits what it schedules for approval. */
  authorOf(auth: AuthContext): PostAuthor {
    return { actor: auth.actor, awaitsApproval: !this.access.may(auth, 'posts.publish'), requestId: auth.requestId, address: auth.address ?? null };
  }

  /** Step 2 for content already placed (an edit, an approval): against each channel's network rules, 422 naming the channel. */
  checkContent(channels: Channel[], content: DraftContent): void {
    checkContent(this.adapters, channels, content);
  }

  /** Step 2 for one new post (see `checkNewPost`). */
  check(input: PlacementRequest, channels: Map<string, Channel>, author: PostAuthor, now: Date): NewPost {
    return checkNewPost(this.adapters, input, channels, author, now);
  }

  /**
   * Places one new post whose media are resolved (`input.media` holds what
   * the library knows of each file): steps 1 to 6, and answers it as written.
   */
  async place(tenant: Tenant, input: PlacementRequest, author: PostAuthor, now: Date): Promise<PostView> {
    // A post submitted for approval is written with its webhook event, in a transaction.
    const submits = author.awaitsApproval && input.schedule.mode !== 'draft';
    if (!isPerChannel(input.schedule) && !submits) {
      const view = await this.placeAtFixedTime(tenant, input, author, now);
      if (view) return view;
    }
    // Taking slots needs the channels' row locks; a post submitted for approval takes none (it only checks there are some).
    const lock = isPerChannel(input.schedule) && !submits ? 'update' : 'share';
    const { view, placed } = await inTransaction(this.dataSource, async (tx) => {
      const channels = await this.locks.lockChannels(tenant, input.channelIds, lock, tx);
      const post = this.check(input, channels, author, now);
      const moved = isPerChannel(input.schedule) ? await this.times.takeSlots(tenant, post, input.schedule, now, tx) : [];
      await this.quotas.lock(tenant, this.quotas.capped(post.deliveries.map((delivery) => delivery.channel)), tx);
      await this.quotas.admit(tenant, post, new QuotaLedger(), tx);
      const [view] = await this.writer.insert(tenant, author.actor, [post], tx, author.address);
      const webhooks = awaitsApproval(post) ? await this.events.record(tenant, [submitted(post.id, author.actor)], tx) : [];
      return { view: view!, placed: { created: timingsOf([post]), moved, webhooks } };
    });
    await this.enqueue(placed, author.requestId, now);
    return view;
  }

  /**
   * Step 6, after the commit: the publish queue learns the deliveries'
   * times (never fails the caller: the reconciler repairs), then the
   * webhook events recorded go out.
   */
  async enqueue(placed: Placed, requestId: string | null | undefined, now?: Date): Promise<void> {
    if (placed.created?.length) await this.publishQueue.placeNew(placed.created, requestId ?? undefined, now);
    if (placed.moved?.length) await this.publishQueue.place(placed.moved, requestId ?? undefined, now);
    await this.events.send(placed.webhooks ?? []);
  }

  /**
   * The fast path for fixed times: checked against what is known of the
   * channels (else a read of them), written in one guarded statement that
   * share-locks the channels (no transaction). Undefined when the locked
   * path must decide: a channel with a posting cap (counted under its
   * lock), or a channel that changed in between.
   */
  private async placeAtFixedTime(tenant: Tenant, input: PlacementRequest, author: PostAuthor, now: Date): Promise<PostView | undefined> {
    const post = await this.checkedAgainstKnown(tenant, input, author, now);
    if (this.quotas.capped(post.deliveries.map((delivery) => delivery.channel)).length > 0) return undefined;
    const [view] = (await this.writer.insertIfChannelsLive(tenant, author.actor, [post], author.address)) ?? [];
    if (!view) {
      this.knownChannels.forget(input.channelIds);
      return undefined;
    }
    await this.enqueue({ created: timingsOf([post]) }, author.requestId, now);
    return view;
  }

  /**
   * `check` against the channels' known facts (see KnownChannels), or against
   * a read of them when some are unknown or the check refuses: a refusal is
   * always decided on fresh rows.
   */
  private async checkedAgainstKnown(tenant: Tenant, input: PlacementRequest, author: PostAuthor, now: Date): Promise<NewPost> {
    // What is known of a channel leaves out its links settings: a post with a link is checked against them (read by LinkShortener, or here).
    const linksSettled = input.channelLinks !== undefined || (input.links?.utm !== undefined && input.links?.shorten !== undefined) || !holdsLink(input);
    const known = linksSettled ? this.knownChannels.lookup(tenant.workspaceId, input.channelIds) : undefined;
    if (known) {
      try {
        return this.check(input, known, author, now);
      } catch {
        // decided below, on a fresh read
      }
    }
    const channels = await this.locks.lockChannels(tenant, input.channelIds, 'none');
    this.knownChannels.learn(channels.values());
    return this.check(input, channels, author, now);
  }
}
