import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { ChannelAdapterRegistry } from '@herald/channels';
import { Channel, Delivery, Post, ScheduleModeValue, refreshPostStatuses } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { Conflict, NotFound, UnprocessableRequest } from '../common/problems';
import { ChannelQueue, Retimed, writeTimes } from '../channels/channel-queue';
import { UrlPolicy } from '../common/url-safety';
import { checkContent, checkMediaUrls, parseVariants } from './content-check';
import { CreatePostDto, ScheduleDto, UpdatePostDto } from './dto';
import { PostReader } from './post-reader';
import { PostView } from './post-view';
import { resolveFixedTime } from './schedule-resolver';

/**
 * Creating, editing, cancelling and retrying posts. Postgres is written first,
 * in one transaction; Redis is told afterwards, and if it cannot be told the
 * reconciler puts the work there within one sweep.
 */
@Injectable()
export class PostsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly publishQueue: PublishQueue,
    private readonly reader: PostReader,
    private readonly urls: UrlPolicy,
  ) {}

  async create(workspaceId: string, input: CreatePostDto, requestId?: string): Promise<PostView> {
    const now = new Date();
    const { postId, timed } = await this.dataSource.transaction((manager) => this.insert(manager, workspaceId, input, requestId, now));
    await this.publishQueue.place(timed, requestId, now);
    return this.reader.get(workspaceId, postId);
  }

  /**
   * Checks one post against every rule and writes it with its deliveries, in
   * the caller's transaction; throws a Problem (and writes nothing the caller
   * keeps) when it breaks one. Redis is the caller's to tell, after commit.
   */
  async insert(manager: EntityManager, workspaceId: string, input: CreatePostDto, requestId: string | undefined, now: Date) {
    const content = { text: input.text, media: input.media ?? [], variants: parseVariants(input.variants) };
    checkMediaUrls(this.urls, content.media);
    const fixedTime = isPerChannel(input.schedule) ? undefined : resolveFixedTime(input.schedule, now);
    const channels = await this.targetChannels(manager, workspaceId, input.channelIds, isPerChannel(input.schedule));
    checkContent(this.adapters, channels, content);
    const post = await manager.save(manager.create(Post, { workspaceId, ...content, status: 'draft', requestId: requestId ?? null }));
    const timed: Retimed[] = [];
    for (const channel of channels) {
      const { at, moved } = await this.timeFor(manager, channel, input.schedule, fixedTime, now);
      const delivery = await manager.save(manager.create(Delivery, newDelivery(post, channel, input.schedule.mode, at)));
      if (at) timed.push({ deliveryId: delivery.id, at });
      timed.push(...(await this.applyRetiming(manager, moved)));
    }
    await refreshPostStatuses(manager, [post.id]);
    return { postId: post.id, timed };
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

  /**
   * The post's channels. Queue modes take each channel's row lock (two posts
   * must not take one slot); fixed times only share-lock them, so posts to the
   * same channels are created in parallel while the channels cannot vanish.
   */
  private async targetChannels(manager: EntityManager, workspaceId: string, ids: string[], forQueue: boolean): Promise<Channel[]> {
    const sorted = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
    const channels = await manager.find(Channel, {
      where: { id: In(sorted), workspaceId, deletedAt: IsNull() },
      order: { id: 'ASC' },
      lock: { mode: forQueue ? 'pessimistic_write' : 'pessimistic_read' },
    });
    const missing = sorted.find((id) => !channels.some((channel) => channel.id === id));
    if (missing) throw new NotFound('Channel', missing);
    const disconnected = channels.find((channel) => channel.status === 'disconnected');
    if (disconnected) {
      throw new UnprocessableRequest(`Channel ${disconnected.id} is disconnected: reconnect it first`, [
        { path: 'channelIds', message: `channel ${disconnected.id} is disconnected` },
      ]);
    }
    return sorted.map((id) => channels.find((channel) => channel.id === id)!);
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

function isPerChannel(schedule: ScheduleDto): boolean {
  return schedule.mode === 'queue' || schedule.mode === 'next';
}

function newDelivery(post: Post, channel: Channel, mode: ScheduleModeValue, at: Date | null): Partial<Delivery> {
  return {
    postId: post.id,
    workspaceId: post.workspaceId,
    channelId: channel.id,
    status: at ? 'scheduled' : 'draft',
    scheduleMode: mode,
    scheduledAt: at,
    dueAt: at,
    attemptCount: 0,
  };
}
