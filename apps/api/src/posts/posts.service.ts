import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ChannelAdapterRegistry } from '@herald/channels';
import { Channel, Delivery, Post, Statement, refreshPostStatuses, runStatement } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { Conflict, NotFound, UnprocessableRequest } from '../common/problems';
import { ChannelQueue, Retimed, writeTimes } from '../channels/channel-queue';
import { UrlPolicy } from '../common/url-safety';
import { checkContent, checkMediaUrls, parseVariants } from './content-check';
import { CreatePostDto, ScheduleDto, UpdatePostDto } from './dto';
import { PostReader } from './post-reader';
import { PostView } from './post-view';
import { NewPost, insertIfChannelsLive, insertPosts, newPost, timingsOf } from './post-writer';
import { isPerChannel, resolveFixedTime } from './schedule-resolver';
import { KnownChannels } from './known-channels';

/** The workspace's live channels among some ids, in id order, under each kind of lock (see `lockChannels`). */
const CHANNELS_LOCKED = Object.fromEntries(
  (['update', 'share', 'none'] as const).map((lock) => [
    lock,
    new Statement(
      `SELECT id, network, handle, timezone, posting_schedule, status FROM channels
        WHERE id = ANY($1::uuid[]) AND workspace_id = $2 AND deleted_at IS NULL
        ORDER BY id ${lock === 'none' ? '' : `FOR ${lock.toUpperCase()}`}`,
    ),
  ]),
) as Record<'update' | 'share' | 'none', Statement>;

/**
 * Creating, editing, cancelling and retrying posts. Postgres is written first,
 * in one transaction; Redis is told afterwards, and if it cannot be told the
 * reconciler puts the work there within one sweep.
 */
@Injectable()
export class PostsService {
  private readonly knownChannels = new KnownChannels();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly publishQueue: PublishQueue,
    private readonly reader: PostReader,
    private readonly urls: UrlPolicy,
  ) {}

  async create(workspaceId: string, input: CreatePostDto, requestId?: string): Promise<PostView> {
    const now = new Date();
    if (!isPerChannel(input.schedule)) {
      // Fixed times: check against what is known of the channels (else read them), and write in one guarded
      // statement; if a channel changed in between, or the check refuses, the locked path below decides.
      const post = await this.checkedAgainstKnown(workspaceId, input, requestId, now);
      const [view] = (await insertIfChannelsLive(this.dataSource.manager, [post])) ?? [];
      if (view) {
        await this.publishQueue.placeNew(timingsOf([post]), requestId, now);
        return view;
      }
      this.knownChannels.forget(input.channelIds);
    }
    const { view, created, moved } = await this.dataSource.transaction(async (manager) => {
      const channels = await this.lockChannels(manager, workspaceId, input.channelIds, isPerChannel(input.schedule) ? 'update' : 'share');
      const post = this.check(workspaceId, input, channels, requestId, now);
      const moved = isPerChannel(input.schedule) ? await this.takeSlots(manager, post, input.schedule, now) : [];
      const [view] = await insertPosts(manager, [post]);
      return { view: view!, created: timingsOf([post]), moved };
    });
    await this.publishQueue.placeNew(created, requestId, now);
    await this.publishQueue.place(moved, requestId, now);
    return view;
  }

  /**
   * `check` against the channels' known facts (see KnownChannels), or against
   * a read of them when some are unknown or the check refuses: a refusal is
   * always decided on fresh rows.
   */
  private async checkedAgainstKnown(workspaceId: string, input: CreatePostDto, requestId: string | undefined, now: Date): Promise<NewPost> {
    const known = this.knownChannels.lookup(workspaceId, input.channelIds);
    if (known) {
      try {
        return this.check(workspaceId, input, known, requestId, now);
      } catch {
        // decided below, on a fresh read
      }
    }
    const channels = await this.lockChannels(this.dataSource.manager, workspaceId, input.channelIds, 'none');
    this.knownChannels.learn(channels.values());
    return this.check(workspaceId, input, channels, requestId, now);
  }

  /**
   * Checks one post against every rule, without I/O, and gives it its ids and
   * (for fixed-time modes) its time; throws the Problem it breaks. `channels`
   * are the workspace's channels the caller locked for it.
   */
  check(workspaceId: string, input: CreatePostDto, channels: Map<string, Channel>, requestId: string | undefined, now: Date): NewPost {
    const content = { text: input.text, media: input.media ?? [], variants: parseVariants(input.variants) };
    checkMediaUrls(this.urls, content.media);
    const fixedTime = isPerChannel(input.schedule) ? undefined : resolveFixedTime(input.schedule, now);
    const targets = pickChannels(channels, input.channelIds);
    checkContent(this.adapters, targets, content);
    const post = newPost(workspaceId, content, input.schedule.mode, targets, requestId ?? null);
    if (fixedTime !== undefined) for (const delivery of post.deliveries) delivery.at = fixedTime;
    return post;
  }

  /**
   * A queued post's deliveries take their channels' next free slots (`queue`)
   * or the front of their queues (`next`, moving the rest down one slot, which
   * is written here). Returns the deliveries it moved. Needs the channels'
   * row locks (see `lockChannels`).
   */
  async takeSlots(manager: EntityManager, post: NewPost, schedule: ScheduleDto, now: Date): Promise<Retimed[]> {
    const moved: Retimed[] = [];
    for (const delivery of post.deliveries) {
      const slot = await this.timeFor(manager, delivery.channel, schedule, undefined, now);
      delivery.at = slot.at;
      moved.push(...(await this.applyRetiming(manager, slot.moved)));
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
  async lockChannels(manager: EntityManager, workspaceId: string, ids: string[], lock: 'update' | 'share' | 'none'): Promise<Map<string, Channel>> {
    const sorted = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
    const rows = await runStatement<ChannelRow>(manager, CHANNELS_LOCKED[lock], [sorted, workspaceId]);
    return new Map(rows.map((row) => [row.id, toChannel(row, workspaceId)]));
  }

  async update(workspaceId: string, id: string, input: UpdatePostDto, requestId?: string): Promise<PostView> {
    const now = new Date();
    const fixedTime = input.schedule && !isPerChannel(input.schedule) ? resolveFixedTime(input.schedule, now) : undefined;
    if (input.media) checkMediaUrls(this.urls, input.media);
    const timed = await this.dataSource.transaction(async (manager) => {
      const { post, deliveries } = await this.lockPost(manager, workspaceId, id);
      const editable = deliveries.filter((delivery) => delivery.status === 'draft' || delivery.status === 'scheduled');
      if (editable.length === 0) throw new Conflict(`Post ${id} has no delivery left to edit (they are published, failed or cancelled)`);
      const content = {
        text: input.text ?? post.text,
        media: input.media ?? post.media,
        variants: input.variants !== undefined ? parseVariants(input.variants) : post.variants,
      };
      const channels = await manager.find(Channel, { where: { id: In(editable.map((delivery) => delivery.channelId)) } });
      checkContent(this.adapters, channels, content);
      Object.assign(post, content);
      await manager.save(post);

      const timed: Retimed[] = [];
      if (input.schedule) {
        for (const delivery of editable) {
          const channel = channels.find((candidate) => candidate.id === delivery.channelId)!;
          const { at, moved } = await this.timeFor(manager, channel, input.schedule, fixedTime, now, delivery.id);
          await manager.query(
            `UPDATE deliveries SET scheduled_at = $2, due_at = $2, schedule_mode = $3, status = $4, updated_at = now() WHERE id = $1`,
            [delivery.id, at, input.schedule.mode, at ? 'scheduled' : 'draft'],
          );
          timed.push({ deliveryId: delivery.id, at });
          timed.push(...(await this.applyRetiming(manager, moved)));
        }
        await refreshPostStatuses(manager, [post.id]);
      }
      return timed;
    });
    await this.publishQueue.place(timed, requestId, now);
    return this.reader.get(workspaceId, id);
  }

  /** Cancels every delivery not yet claimed; a claimed one makes the whole call a 409, changing nothing. */
  async cancel(workspaceId: string, id: string): Promise<PostView> {
    const cancelled = await this.dataSource.transaction(async (manager) => {
      const { deliveries } = await this.lockPost(manager, workspaceId, id);
      const cancellable = deliveries.filter((delivery) => delivery.status === 'draft' || delivery.status === 'scheduled');
      if (cancellable.length === 0 && deliveries.some((delivery) => delivery.status !== 'cancelled')) {
        throw new Conflict(`Post ${id} has nothing left to cancel: its deliveries are published or failed`);
      }
      await manager.query(
        `UPDATE deliveries SET status = 'cancelled', due_at = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [cancellable.map((delivery) => delivery.id)],
      );
      await refreshPostStatuses(manager, [id]);
      return cancellable.map((delivery) => delivery.id);
    });
    await this.publishQueue.place(cancelled.map((deliveryId) => ({ deliveryId, at: null })));
    return this.reader.get(workspaceId, id);
  }

  /** Requeues failed deliveries now; published ones are never sent again. */
  async retry(workspaceId: string, id: string, requestId?: string): Promise<PostView> {
    const now = new Date();
    const timed = await this.dataSource.transaction(async (manager) => {
      const { deliveries } = await this.lockPost(manager, workspaceId, id);
      const failed = deliveries.filter((delivery) => delivery.status === 'failed');
      if (failed.length === 0) throw new Conflict(`Post ${id} has no failed delivery to retry`);
      const channels = await manager.find(Channel, { where: { id: In(failed.map((delivery) => delivery.channelId)) } });
      const disconnected = channels.filter((channel) => channel.status === 'disconnected' || channel.deletedAt);
      if (disconnected.length > 0) {
        throw new UnprocessableRequest(`Reconnect channel ${disconnected[0]!.id} before retrying`, [
          { path: 'channelId', message: `channel ${disconnected[0]!.id} is ${disconnected[0]!.deletedAt ? 'removed' : 'disconnected'}` },
        ]);
      }
      await manager.query(
        `UPDATE deliveries SET status = 'scheduled', due_at = $2, attempt_count = 0, last_error_code = NULL,
                last_error_message = NULL, claimed_at = NULL, lease_expires_at = NULL, updated_at = now()
          WHERE id = ANY($1::uuid[])`,
        [failed.map((delivery) => delivery.id), now],
      );
      await refreshPostStatuses(manager, [id]);
      return failed.map((delivery) => ({ deliveryId: delivery.id, at: now }));
    });
    await this.publishQueue.place(timed, requestId, now);
    return this.reader.get(workspaceId, id);
  }

  private async timeFor(
    manager: EntityManager,
    channel: Channel,
    schedule: ScheduleDto,
    fixedTime: Date | null | undefined,
    now: Date,
    excludeDeliveryId?: string,
  ): Promise<{ at: Date | null; moved: { deliveryId: string; at: Date }[] }> {
    if (fixedTime !== undefined) return { at: fixedTime, moved: [] };
    if (excludeDeliveryId) {
      // The delivery being re-timed must not hold the slot it is leaving.
      await manager.query(`UPDATE deliveries SET status = 'draft', scheduled_at = NULL WHERE id = $1`, [excludeDeliveryId]);
    }
    const queue = new ChannelQueue(manager, channel, now);
    if (schedule.mode === 'queue') return { at: await queue.nextFree(), moved: [] };
    return queue.front();
  }

  private async applyRetiming(manager: EntityManager, moved: { deliveryId: string; at: Date }[]): Promise<Retimed[]> {
    await writeTimes(manager, moved);
    return moved;
  }

  private async lockPost(manager: EntityManager, workspaceId: string, id: string): Promise<{ post: Post; deliveries: Delivery[] }> {
    const post = await manager.findOne(Post, { where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
    if (!post) throw new NotFound('Post', id);
    const deliveries = await manager.find(Delivery, { where: { postId: id }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    const claimed = deliveries.find((delivery) => delivery.status === 'publishing');
    if (claimed) throw new Conflict(`Delivery ${claimed.id} is being published right now; try again once it finishes`);
    return { post, deliveries };
  }
}

/** The channels a post names, in its order; a missing one is a 404, a disconnected one a 422. */
function pickChannels(channels: Map<string, Channel>, ids: string[]): Channel[] {
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

interface ChannelRow {
  id: string;
  network: string;
  handle: string;
  timezone: string;
  posting_schedule: Channel['postingSchedule'];
  status: Channel['status'];
}

/** The fields of a channel that creating a post reads (never its token). */
function toChannel(row: ChannelRow, workspaceId: string): Channel {
  return Object.assign(new Channel(), {
    id: row.id,
    workspaceId,
    network: row.network,
    handle: row.handle,
    timezone: row.timezone,
    postingSchedule: row.posting_schedule,
    status: row.status,
  });
}
