/**
 * `PATCH /v1/posts/:id`: edits what is not yet published, in one
 * transaction under the post's lock (then its channels' quota locks);
 * Redis is told after the commit. Recorded in the audit log as
 * `post.edited` (content) and `post.rescheduled` (a new schedule).
 */
import { parseNetworkOptions } from '../../common/network-options';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MediaItem, UrlPolicy } from '@herald/channels';
import { ChannelsRepository, Delivery, DeliveryTiming, PostStatuses, PostsRepository, inTransaction } from '@herald/db';
import { AccessService } from '../../access';
import { AuditLog } from '../../audit';
import { Retimed } from '../../channels';
import { Conflict, MalformedRequest, NotFound, UnprocessableRequest } from '../../common/problems';
import { planEdit } from '../approval-rules';
import { DraftContent, checkMediaUrls, parseVariants } from '../content-check';
import { ScheduleDto, UpdatePostDto, normaliseTags } from '../dto';
import { PostEvents, submitted } from '../post-events';
import { PostMedia, storedMedia } from '../post-media';
import { PostReader } from '../post-reader';
import { PostView } from '../post-view';
import { isPerChannel, resolveFixedTime } from '../schedule-resolver';
import { DeliveryRetiming } from '../placement/delivery-retiming';
import { scheduleValue } from '../placement/placement-check';
import { PostLocks, UNCLAIMED } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { EditPostCommand } from './commands';

@Injectable()
export class EditPostUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly retiming: DeliveryRetiming,
    private readonly placement: PostPlacement,
    private readonly posts: PostsRepository,
    private readonly channels: ChannelsRepository,
    private readonly postStatuses: PostStatuses,
    private readonly reader: PostReader,
    private readonly urls: UrlPolicy,
    private readonly access: AccessService,
    private readonly postMedia: PostMedia,
    private readonly events: PostEvents,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Edits what is not yet published: the content, and with `schedule` the
   * deliveries' times. What the edit does to the deliveries is `planEdit`'s
   * decision: a contributor's edit of a scheduled post (or one that gives
   * it a schedule) submits it for approval again, releasing its slots and
   * jobs.
   */
  async execute({ auth, postId: id, input }: EditPostCommand): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const labels = { tags: normaliseTags(input.tags), evergreen: input.evergreen };
    if (onlyLabels(input)) {
      // Tags and the evergreen mark may change whatever the post's state (a published post is tagged for analytics).
      await inTransaction(this.dataSource, async (tx) => {
        if (!(await this.posts.setLabels(tenant, id, labels, tx))) throw new NotFound('Post', id);
        await this.audit.recordAs(auth, 'post.edited', { type: 'post', id }, { fields: editedFields(input) }, tx);
      });
      return this.reader.read(tenant, id);
    }
    const author = this.placement.authorOf(auth);
    const now = new Date();
    const fixedTime = input.schedule && !isPerChannel(input.schedule) ? resolveFixedTime(input.schedule, now) : undefined;
    if (input.parts && (input.text !== undefined || input.media !== undefined)) {
      throw new MalformedRequest('An edit gives text and media, or parts, not both', [{ path: 'parts', message: 'give text and media, or parts, not both' }]);
    }
    if (input.media) checkMediaUrls(this.urls, input.media);
    const newMedia = input.media ? await this.postMedia.resolve(tenant, input.media) : undefined;
    const newParts = input.parts ? await this.postMedia.resolveParts(tenant, input.parts, this.urls) : undefined;
    let targetNetworks: string[] = [];
    let media: MediaItem[] = [];
    let allMedia: MediaItem[] = [];
    const { timed, webhooks } = await inTransaction(this.dataSource, async (tx) => {
      const { post, deliveries } = await this.locks.lockPost(tenant, id, tx);
      const editable = deliveries.filter((delivery) => UNCLAIMED.includes(delivery.status));
      // A failed delivery's content may be mended before a retry (a thread resumes from the part that was refused); not its time.
      const mendable = input.schedule === undefined ? deliveries.filter((delivery) => delivery.status === 'failed') : [];
      if (editable.length === 0 && mendable.length === 0) throw new Conflict(`Post ${id} has no delivery left to edit (they are published, failed or cancelled)`);
      if (post.parts && (input.text !== undefined || input.media !== undefined)) {
        throw new UnprocessableRequest(`Post ${id} is a thread: its parts are edited, not its text or media`, [{ path: 'text', message: 'the post has several parts: edit them with parts' }]);
      }
      // New media replace the old ones unread (a post given media here has one part); new parts replace all of them.
      const stored: DraftContent = newMedia
        ? { text: post.text, media: newMedia, variants: post.variants, ...(post.firstComment ? { firstComment: post.firstComment } : {}) }
        : await this.postMedia.storedContent(tenant, post);
      const firstComment = input.firstComment === null ? undefined : (input.firstComment ?? stored.firstComment);
      const threaded = newParts ? { text: newParts[0]!.text, media: newParts[0]!.media, parts: newParts.length > 1 ? newParts : undefined } : undefined;
      media = threaded ? threaded.media : stored.media;
      const content: DraftContent = {
        text: threaded ? threaded.text : (input.text ?? post.text),
        media,
        variants: input.variants !== undefined ? parseVariants(input.variants) : post.variants,
        ...((threaded ? threaded.parts : stored.parts) ? { parts: threaded ? threaded.parts : stored.parts } : {}),
        ...(firstComment ? { firstComment: { text: firstComment.text } } : {}),
        networkOptions: input.networkOptions !== undefined ? parseNetworkOptions(input.networkOptions) : (post.networkOptions ?? {}),
      };
      const channels = await this.channels.among(
        tenant,
        [...editable, ...mendable].map((delivery) => delivery.channelId),
        tx,
      );
      this.placement.checkContent(channels, content);
      targetNetworks = channels.map((channel) => channel.network);
      allMedia = content.parts ? content.parts.flatMap((part) => part.media) : content.media;
      await this.posts.updateContent(
        tenant,
        id,
        {
          text: content.text,
          media: storedMedia(content.media),
          variants: content.variants,
          parts: content.parts?.map((part) => ({ text: part.text, media: storedMedia(part.media), ...(part.variants ? { variants: part.variants } : {}) })) ?? null,
          firstComment: content.firstComment ?? null,
          networkOptions: content.networkOptions ?? {},
        },
        auth.actor,
        input.schedule && scheduleValue(input.schedule),
        tx,
      );
      if (labels.tags !== undefined || labels.evergreen !== undefined) await this.posts.setLabels(tenant, id, labels, tx);
      const edited = editedFields(input);
      if (edited.length > 0) await this.audit.recordAs(auth, 'post.edited', { type: 'post', id }, { fields: edited }, tx);

      if (editable.length === 0) return { timed: [], webhooks: [] };
      const plan = planEdit(
        input.schedule?.mode,
        author.awaitsApproval,
        editable.map((delivery) => delivery.status),
      );
      if (plan === 'content') return { timed: [], webhooks: [] };
      const channelOf = (delivery: Delivery) => channels.find((candidate) => candidate.id === delivery.channelId)!;
      await this.retiming.lockQuotas(tenant, channels, tx);
      const timed: Retimed[] = [];
      const wasPending = post.status === 'pending_approval';
      if (plan === 'submit') {
        // Asked for a queue: the channel must have one (the slot is taken when approved). Waiting for approval, it has no job.
        const queueAsked = input.schedule !== undefined && isPerChannel(input.schedule);
        for (const delivery of editable) {
          const asked = askedTiming(delivery, input.schedule, fixedTime);
          if (asked) timed.push(await this.retiming.submit(tenant, channelOf(delivery), delivery, asked, queueAsked, content, now, tx));
        }
      } else {
        // Moved into a window that is full: the whole edit is refused (this transaction undoes it).
        for (const delivery of editable) timed.push(...(await this.retiming.retime(tenant, channelOf(delivery), delivery, input.schedule!, fixedTime, now, tx, { leavesSlot: true })));
      }
      const [changed] = await this.postStatuses.refresh(tenant, [id], tx);
      const status = changed?.status ?? post.status;
      if (input.schedule) await this.audit.recordAs(auth, 'post.rescheduled', { type: 'post', id }, { mode: input.schedule.mode, status }, tx);
      let webhooks: string[] = [];
      if (status === 'pending_approval' && !wasPending) {
        // Submitted again: the last decision no longer holds, a new one is awaited.
        await this.posts.setReview(tenant, id, null, tx);
        webhooks = await this.events.record(tenant, [submitted(id, auth.actor)], tx);
      } else if (post.review?.state === 'rejected' && input.schedule && input.schedule.mode !== 'draft') {
        // A rejected draft scheduled by someone whose writes need no approval: the rejection is over.
        await this.posts.setReview(tenant, id, null, tx);
      }
      return { timed, webhooks };
    });
    await this.placement.enqueue({ moved: timed, webhooks }, auth.requestId, now);
    if (newMedia || newParts) await this.postMedia.prepare(tenant, allMedia, targetNetworks);
    return this.reader.read(tenant, id);
  }
}

/** The content fields an edit names (for the audit log: which, never what). */
function editedFields(input: UpdatePostDto): string[] {
  return (['text', 'media', 'variants', 'parts', 'firstComment', 'networkOptions', 'tags', 'evergreen'] as const).filter((field) => input[field] !== undefined);
}

/** An edit of tags and/or the evergreen mark alone. */
function onlyLabels(input: UpdatePostDto): boolean {
  return (input.tags !== undefined || input.evergreen !== undefined) && (['text', 'media', 'variants', 'parts', 'firstComment', 'networkOptions', 'schedule'] as const).every((field) => input[field] === undefined);
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
