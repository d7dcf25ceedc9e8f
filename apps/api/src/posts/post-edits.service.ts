import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry, MediaItem, UrlPolicy } from '@herald/channels';
import { ChannelsRepository, DeliveriesRepository, Delivery, DeliveryTiming, PostStatuses, PostsRepository, inTransaction } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { AccessService, AuthContext } from '../access';
import { Retimed, SlotQueues } from '../channels';
import { Conflict } from '../common/problems';
import { planEdit } from './approval-rules';
import { checkContent, checkMediaUrls, parseVariants } from './content-check';
import { ScheduleDto, UpdatePostDto } from './dto';
import { PostEvents, submitted } from './post-events';
import { PostMedia, storedMedia } from './post-media';
import { PostReader } from './post-reader';
import { PostView } from './post-view';
import { PostingQuotas } from './posting-quotas';
import { PostsService, UNCLAIMED, scheduleValue } from './posts.service';
import { isPerChannel, resolveFixedTime } from './schedule-resolver';

/**
 * `PATCH /v1/posts/:id`: edits what is not yet published, in one
 * transaction under the post's lock; Redis is told after the commit.
 */
@Injectable()
export class PostEditsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly postsService: PostsService,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly channels: ChannelsRepository,
    private readonly postStatuses: PostStatuses,
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

  /**
   * Edits what is not yet published: the content, and with `schedule` the
   * deliveries' times. What the edit does to the deliveries is `planEdit`'s
   * decision: a contributor's edit of a scheduled post (or one that gives
   * it a schedule) submits it for approval again, releasing its slots and
   * jobs.
   */
  async update(auth: AuthContext, id: string, input: UpdatePostDto): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const author = this.postsService.authorOf(auth);
    const now = new Date();
    const fixedTime = input.schedule && !isPerChannel(input.schedule) ? resolveFixedTime(input.schedule, now) : undefined;
    if (input.media) checkMediaUrls(this.urls, input.media);
    const newMedia = input.media ? await this.postMedia.resolve(tenant, input.media) : undefined;
    let targetNetworks: string[] = [];
    let media: MediaItem[] = [];
    const { timed, webhooks } = await inTransaction(this.dataSource, async (tx) => {
      const { post, deliveries } = await this.postsService.lockPost(tenant, id, tx);
      const editable = deliveries.filter((delivery) => UNCLAIMED.includes(delivery.status));
      if (editable.length === 0) throw new Conflict(`Post ${id} has no delivery left to edit (they are published, failed or cancelled)`);
      media = newMedia ?? (await this.postMedia.resolve(tenant, post.media, { importUrls: false }));
      const content = {
        text: input.text ?? post.text,
        media,
        variants: input.variants !== undefined ? parseVariants(input.variants) : post.variants,
      };
      const channels = await this.channels.among(
        tenant,
        editable.map((delivery) => delivery.channelId),
        tx,
      );
      checkContent(this.adapters, channels, content);
      targetNetworks = channels.map((channel) => channel.network);
      await this.posts.updateContent(tenant, id, { ...content, media: storedMedia(content.media) }, auth.actor, input.schedule && scheduleValue(input.schedule), tx);

      const plan = planEdit(
        input.schedule?.mode,
        author.awaitsApproval,
        editable.map((delivery) => delivery.status),
      );
      if (plan === 'content') return { timed: [], webhooks: [] };
      const channelOf = (delivery: Delivery) => channels.find((candidate) => candidate.id === delivery.channelId)!;
      await this.quotas.lock(tenant, this.quotas.capped(channels), tx);
      const timed: Retimed[] = [];
      const wasPending = post.status === 'pending_approval';
      if (plan === 'submit') {
        for (const delivery of editable) {
          const asked = askedTiming(delivery, input.schedule, fixedTime);
          if (!asked) continue;
          // Asked for a queue: the channel must have one (the slot is taken when approved).
          if (input.schedule && isPerChannel(input.schedule)) await this.slotQueues.of(tenant, channelOf(delivery), now, tx).nextFree();
          await this.deliveries.reschedule(tenant, delivery.id, asked, tx);
          if (asked.at) await this.quotas.admitAsked(tenant, channelOf(delivery), asked.at, tx);
          // Waiting for approval, it has no job.
          timed.push({ deliveryId: delivery.id, channelId: delivery.channelId, at: null });
        }
      } else {
        for (const delivery of editable) {
          const channel = channelOf(delivery);
          const { at, moved } = await this.postsService.timeFor(tenant, channel, input.schedule!, fixedTime, now, tx, delivery.id);
          await this.deliveries.reschedule(tenant, delivery.id, { at, mode: input.schedule!.mode, status: at ? 'scheduled' : 'draft' }, tx);
          // Moved into a window that is full: the whole edit is refused (this transaction undoes it).
          if (at) await this.quotas.admitMoved(tenant, channel, at, tx);
          timed.push({ deliveryId: delivery.id, channelId: delivery.channelId, at }, ...moved);
        }
      }
      const [changed] = await this.postStatuses.refresh(tenant, [id], tx);
      const nowPending = (changed?.status ?? post.status) === 'pending_approval';
      let webhooks: string[] = [];
      if (nowPending && !wasPending) {
        // Submitted again: the last decision no longer holds, a new one is awaited.
        await this.posts.setReview(tenant, id, null, tx);
        webhooks = await this.events.record(tenant, [submitted(id, auth.actor)], tx);
      } else if (post.review?.state === 'rejected' && input.schedule && input.schedule.mode !== 'draft') {
        // A rejected draft scheduled by someone whose writes need no approval: the rejection is over.
        await this.posts.setReview(tenant, id, null, tx);
      }
      return { timed, webhooks };
    });
    await this.publishQueue.place(timed, auth.requestId, now);
    await this.events.send(webhooks);
    if (newMedia) await this.postMedia.prepare(tenant, media, targetNetworks);
    return this.reader.read(tenant, id);
  }
}

/**
 * What a delivery waits for approval with: the new schedule (the time it
 * names, for `at`), or, without one, a scheduled delivery's own mode and
 * time (leaving its slot: it takes one again when approved). None for a
 * draft without a new schedule (it stays a draft) or one already waiting.
 */
function askedTiming(delivery: Delivery, schedule: ScheduleDto | undefined, fixedTime: Date | null | undefined): DeliveryTiming | undefined {
  if (schedule) return { at: schedule.mode === 'at' ? (fixedTime ?? null) : null, mode: schedule.mode, status: 'pending_approval' };
  if (delivery.status !== 'scheduled') return undefined;
  return { at: delivery.scheduleMode === 'at' ? delivery.scheduledAt : null, mode: delivery.scheduleMode, status: 'pending_approval' };
}
