import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry, MediaItem } from '@herald/channels';
import { Channel, ChannelsRepository, DeliveriesRepository, Delivery, Executor, Post, PostStatuses, PostsRepository, ScheduleValue, Tenant, inTransaction } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { AccessService, AuthContext } from '../access';
import { Retimed, SlotQueues } from '../channels';
import { Conflict, NotFound, UnprocessableRequest } from '../common/problems';
import { UrlPolicy } from '@herald/channels';
import { checkContent, checkMediaUrls, parseVariants } from './content-check';
import { PostEvents, submitted } from './post-events';
import { PostMedia } from './post-media';
import { PostingQuotas, QuotaLedger } from './posting-quotas';
import { CreatePostDto, ScheduleDto } from './dto';
import { KnownChannels } from './known-channels';
import { PostReader } from './post-reader';
import { PostView } from './post-view';
import { NewPost, PostAuthor, PostWriter, awaitsApproval, newPost, timingsOf } from './post-writer';
import { isPerChannel, resolveFixedTime } from './schedule-resolver';

/** A delivery no worker has claimed yet, and that is not settled: the ones an edit or a cancel may change. */
export const UNCLAIMED: Delivery['status'][] = ['draft', 'pending_approval', 'scheduled'];

/**
 * Creating, cancelling and retrying posts (editing: PostEditsService;
 * approving: ApprovalsService), and what they share: the checks, the
 * channels' locks, slots, the post's lock. Postgres is written first,
 * in one transaction; Redis is told afterwards, and if it cannot be told the
 * reconciler puts the work there within one sweep. What a contributor
 * schedules waits for approval (`pending_approval`: no slot, no job; see
 * ApprovalsService): the access module says whose writes need it.
 */
@Injectable()
export class PostsService {
  private readonly knownChannels = new KnownChannels();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly channels: ChannelsRepository,
    private readonly postStatuses: PostStatuses,
    private readonly writer: PostWriter,
    private readonly slotQueues: SlotQueues,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly publishQueue: PublishQueue,
    private readonly reader: PostReader,
    private readonly urls: UrlPolicy,
    private readonly access: AccessService,
    private readonly quotas: PostingQuotas,
    private readonly postMedia: PostMedia,
    private readonly events: PostEvents,
  ) {}

  /** Who writes, for the posts they create: a request without `posts.publish` (a contributor) submits what it schedules for approval. */
  authorOf(auth: AuthContext): PostAuthor {
    return { actor: auth.actor, awaitsApproval: !this.access.may(auth, 'posts.publish'), requestId: auth.requestId };
  }

  async create(auth: AuthContext, input: CreatePostDto): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    if (input.media) checkMediaUrls(this.urls, input.media);
    input.media = await this.postMedia.resolve(tenant, input.media);
    const now = new Date();
    const view = await this.createResolved(tenant, input, this.authorOf(auth), now);
    await this.postMedia.prepare(tenant, input.media, view.deliveries.map((delivery) => delivery.network));
    return view;
  }

  /** `create` once the post's media are resolved (`input.media` holds what the library knows of each file). */
  private async createResolved(tenant: Tenant, input: CreatePostDto, author: PostAuthor, now: Date): Promise<PostView> {
    // A post submitted for approval is written with its webhook event, in a transaction.
    const submits = author.awaitsApproval && input.schedule.mode !== 'draft';
    if (!isPerChannel(input.schedule) && !submits) {
      // Fixed times: check against what is known of the channels (else read them), and write in one guarded
      // statement; if a channel changed in between, or the check refuses, the locked path below decides.
      const post = await this.checkedAgainstKnown(tenant, input, author, now);
      // A channel with a posting cap is counted under its lock, below.
      if (this.quotas.capped(post.deliveries.map((delivery) => delivery.channel)).length === 0) {
        const [view] = (await this.writer.insertIfChannelsLive(tenant, author.actor, [post])) ?? [];
        if (view) {
          await this.publishQueue.placeNew(timingsOf([post]), author.requestId ?? undefined, now);
          return view;
        }
        this.knownChannels.forget(input.channelIds);
      }
    }
    // Taking slots needs the channels' row locks; a post submitted for approval takes none (it only checks there are some).
    const lock = isPerChannel(input.schedule) && !submits ? 'update' : 'share';
    const { view, created, moved, webhooks } = await inTransaction(this.dataSource, async (tx) => {
      const channels = await this.lockChannels(tenant, input.channelIds, lock, tx);
      const post = this.check(input, channels, author, now);
      const moved = isPerChannel(input.schedule) ? await this.takeSlots(tenant, post, input.schedule, now, tx) : [];
      await this.quotas.lock(tenant, this.quotas.capped(post.deliveries.map((delivery) => delivery.channel)), tx);
      await this.quotas.admit(tenant, post, new QuotaLedger(), tx);
      const [view] = await this.writer.insert(tenant, author.actor, [post], tx);
      const webhooks = awaitsApproval(post) ? await this.events.record(tenant, [submitted(post.id, author.actor)], tx) : [];
      return { view: view!, created: timingsOf([post]), moved, webhooks };
    });
    await this.publishQueue.placeNew(created, author.requestId ?? undefined, now);
    await this.publishQueue.place(moved, author.requestId ?? undefined, now);
    await this.events.send(webhooks);
    return view;
  }

  /**
   * `check` against the channels' known facts (see KnownChannels), or against
   * a read of them when some are unknown or the check refuses: a refusal is
   * always decided on fresh rows.
   */
  private async checkedAgainstKnown(tenant: Tenant, input: CreatePostDto, author: PostAuthor, now: Date): Promise<NewPost> {
    const known = this.knownChannels.lookup(tenant.workspaceId, input.channelIds);
    if (known) {
      try {
        return this.check(input, known, author, now);
      } catch {
        // decided below, on a fresh read
      }
    }
    const channels = await this.lockChannels(tenant, input.channelIds, 'none');
    this.knownChannels.learn(channels.values());
    return this.check(input, channels, author, now);
  }

  /**
   * Checks one post against every rule, without I/O, and gives it its ids,
   * its deliveries' status (see `newPost`) and, for fixed-time modes, its
   * time (for one awaiting approval, the time asked by `at`); throws the
   * Problem it breaks. `channels` are the workspace's channels the caller
   * read (and locked) for it.
   */
  check(input: CreatePostDto, channels: Map<string, Channel>, author: PostAuthor, now: Date): NewPost {
    const content = { text: input.text, media: (input.media ?? []) as MediaItem[], variants: parseVariants(input.variants) };
    const fixedTime = isPerChannel(input.schedule) ? undefined : resolveFixedTime(input.schedule, now);
    const targets = pickChannels(channels, input.channelIds);
    checkContent(this.adapters, targets, content);
    const post = newPost(content, scheduleValue(input.schedule), targets, author);
    if (fixedTime === undefined) return post;
    for (const delivery of post.deliveries) {
      delivery.at = delivery.status === 'pending_approval' && input.schedule.mode !== 'at' ? null : fixedTime;
    }
    return post;
  }

  /**
   * A queued post's deliveries take their channels' next free slots (`queue`)
   * or the front of their queues (`next`, moving the rest down one slot, which
   * is written here). Returns the deliveries it moved. Needs the channels'
   * row locks (see `lockChannels`). A delivery awaiting approval takes no
   * slot: its channel must only have a queue (it takes its slot when approved).
   */
  async takeSlots(tenant: Tenant, post: NewPost, schedule: ScheduleDto, now: Date, tx: Executor): Promise<Retimed[]> {
    const moved: Retimed[] = [];
    for (const delivery of post.deliveries) {
      if (delivery.status === 'pending_approval') {
        await this.slotQueues.of(tenant, delivery.channel, now, tx).nextFree();
        continue;
      }
      const slot = await this.timeFor(tenant, delivery.channel, schedule, undefined, now, tx);
      delivery.at = slot.at;
      moved.push(...slot.moved);
    }
    return moved;
  }

  /**
   * The workspace's live channels among `ids`, locked (unless `none`) for the
   * transaction in id order: queue modes take each channel's row lock (two posts must not
   * take one slot); fixed times only share-lock them, so posts to the same
   * channels are created in parallel while the channels cannot vanish.
   * Absent ids are simply missing from the map (`check` answers 404).
   */
  async lockChannels(tenant: Tenant, ids: string[], lock: 'update' | 'share' | 'none', tx?: Executor): Promise<Map<string, Channel>> {
    const sorted = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
    const rows = await this.channels.liveAmong(tenant, sorted, lock, tx);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Cancels every delivery not yet claimed; a claimed one makes the whole call a 409, changing nothing. */
  async cancel(auth: AuthContext, id: string): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const cancelled = await inTransaction(this.dataSource, async (tx) => {
      const { deliveries } = await this.lockPost(tenant, id, tx);
      const cancellable = deliveries.filter((delivery) => UNCLAIMED.includes(delivery.status));
      if (cancellable.length === 0 && deliveries.some((delivery) => delivery.status !== 'cancelled')) {
        throw new Conflict(`Post ${id} has nothing left to cancel: its deliveries are published or failed`);
      }
      await this.deliveries.cancel(
        tenant,
        cancellable.map((delivery) => delivery.id),
        tx,
      );
      await this.postStatuses.refresh(tenant, [id], tx);
      return cancellable.map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channelId, at: null }));
    });
    await this.publishQueue.place(cancelled);
    return this.reader.read(tenant, id);
  }

  /** Requeues failed deliveries now; published ones are never sent again. */
  async retry(auth: AuthContext, id: string): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const now = new Date();
    const timed = await inTransaction(this.dataSource, async (tx) => {
      const { deliveries } = await this.lockPost(tenant, id, tx);
      const failed = deliveries.filter((delivery) => delivery.status === 'failed');
      if (failed.length === 0) throw new Conflict(`Post ${id} has no failed delivery to retry`);
      const channels = await this.channels.among(
        tenant,
        failed.map((delivery) => delivery.channelId),
        tx,
      );
      const unusable = channels.find((channel) => channel.status === 'disconnected' || channel.deletedAt);
      if (unusable) {
        throw new UnprocessableRequest(`Reconnect channel ${unusable.id} before retrying`, [
          { path: 'channelId', message: `channel ${unusable.id} is ${unusable.deletedAt ? 'removed' : 'disconnected'}` },
        ]);
      }
      await this.deliveries.requeueFailed(
        tenant,
        failed.map((delivery) => delivery.id),
        now,
        tx,
      );
      await this.postStatuses.refresh(tenant, [id], tx);
      return failed.map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channelId, at: now }));
    });
    await this.publishQueue.place(timed, auth.requestId, now);
    return this.reader.read(tenant, id);
  }

  /**
   * A delivery's time under a schedule: the fixed time, or (queue modes) a
   * slot of its channel's slot queue, with the deliveries `next` pushed down
   * (already written). Needs the channel's row lock for the queue modes.
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

  /** The post and its deliveries, locked (post first); 404 if absent, 409 while one is being published. */
  async lockPost(tenant: Tenant, id: string, tx: Executor): Promise<{ post: Post; deliveries: Delivery[] }> {
    const post = await this.posts.find(tenant, id, { lock: true, on: tx });
    if (!post) throw new NotFound('Post', id);
    const deliveries = await this.deliveries.ofPostLocked(tenant, id, tx);
    const claimed = deliveries.find((delivery) => delivery.status === 'publishing');
    if (claimed) throw new Conflict(`Delivery ${claimed.id} is being published right now; try again once it finishes`);
    return { post, deliveries };
  }
}

/** The schedule as asked, as the post keeps it (the fields given, nothing else). */
export function scheduleValue(schedule: ScheduleDto): ScheduleValue {
  return {
    mode: schedule.mode,
    ...(schedule.at !== undefined ? { at: schedule.at } : {}),
    ...(schedule.localTime !== undefined ? { localTime: schedule.localTime } : {}),
    ...(schedule.timezone !== undefined ? { timezone: schedule.timezone } : {}),
  };
}

/** The channels a post names, in its order; a missing one is a 404, a disconnected one a 422. */
export function pickChannels(channels: Map<string, Channel>, ids: string[]): Channel[] {
  const targets: Channel[] = [];
  // A UUID may arrive in either case; each channel gets one delivery.
  for (const id of new Set(ids.map((value) => value.toLowerCase()))) {
    const channel = channels.get(id);
    if (!channel) throw new NotFound('Channel', id);
    if (channel.status === 'disconnected') {
      throw new UnprocessableRequest(`Channel ${id} is disconnected: reconnect it first`, [{ path: 'channelIds', message: `channel ${id} is disconnected` }]);
    }
    targets.push(channel);
  }
  return targets;
}
