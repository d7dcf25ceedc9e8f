/**
 * Approving and rejecting what a contributor submitted (`pending_approval`),
 * by an owner, admin or editor (`posts.approve`). Each decision is one
 * transaction under the post's lock (and, for an approval, its channels'):
 * the deliveries' new state, the post's review, and the webhook event; Redis
 * is told after the commit.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelAdapterRegistry } from '@herald/channels';
import { Channel, DeliveriesRepository, Delivery, Executor, PostStatuses, PostsRepository, Tenant, inTransaction } from '@herald/db';
import { PublishQueue } from '@herald/queue';
import { AccessService, AuthContext } from '../access';
import { Retimed } from '../channels';
import { AuditLog } from '../audit';
import { Conflict } from '../common/problems';
import { ApprovedDelivery, approvalMove, approvalNotice, modeAfter } from './approval-rules';
import { checkContent } from './content-check';
import { PostEvents, approved, rejected } from './post-events';
import { PostMedia } from './post-media';
import { PostReader } from './post-reader';
import { PostView } from './post-view';
import { PostingQuotas } from './posting-quotas';
import { PostsService, pickChannels } from './posts.service';

/** An approval's answer: the post, and what was done that was not what was asked (a time that had passed), if anything. */
export type ApprovedPostView = PostView & { notice: string | null };

@Injectable()
export class ApprovalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly postsService: PostsService,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly postStatuses: PostStatuses,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly quotas: PostingQuotas,
    private readonly postMedia: PostMedia,
    private readonly events: PostEvents,
    private readonly publishQueue: PublishQueue,
    private readonly reader: PostReader,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Schedules the post's deliveries that await approval as they were asked
   * (see `approvalMove`: an `at` still to come keeps its time; one that has
   * passed, or `now`, takes its channel's next free slot, or is published
   * now on a channel without a posting schedule; `queue` and `next` take
   * their slots now). The content rules and posting quotas are checked
   * again (422, as on create); a post not awaiting approval is a 409.
   */
  async approve(auth: AuthContext, id: string): Promise<ApprovedPostView> {
    const tenant = this.access.tenant(auth, 'posts.approve');
    const now = new Date();
    const { timed, webhooks, notice } = await inTransaction(this.dataSource, async (tx) => {
      const pending = await this.pendingOf(tenant, id, tx);
      const channels = await this.checkedChannels(tenant, id, pending, tx);
      await this.quotas.lock(tenant, this.quotas.capped(channels.values()), tx);
      const timed: Retimed[] = [];
      const done: ApprovedDelivery[] = [];
      for (const delivery of pending) {
        const channel = channels.get(delivery.channelId)!;
        const move = approvalMove(delivery.scheduleMode, delivery.scheduledAt, hasSlots(channel), now);
        const fixedTime = move === 'as_asked' ? delivery.scheduledAt! : move === 'now' ? now : undefined;
        const mode = modeAfter(move);
        const { at, moved } = await this.postsService.timeFor(tenant, channel, { mode }, fixedTime, now, tx);
        await this.deliveries.reschedule(tenant, delivery.id, { at, mode, status: 'scheduled' }, tx);
        // Approved into a window that is full: the approval is refused (this transaction undoes it).
        await this.quotas.admitMoved(tenant, channel, at!, tx);
        timed.push({ deliveryId: delivery.id, channelId: delivery.channelId, at }, ...moved);
        done.push({ channel, askedMode: delivery.scheduleMode, askedAt: delivery.scheduledAt, move, at: at! });
      }
      const [changed] = await this.postStatuses.refresh(tenant, [id], tx);
      await this.posts.setReview(tenant, id, { state: 'approved', note: null, by: auth.actor }, tx);
      const notice = approvalNotice(done);
      await this.audit.recordAs(auth, 'post.approved', { type: 'post', id }, { notice }, tx);
      const webhooks = await this.events.record(tenant, [approved(id, changed?.status ?? 'scheduled', auth.actor, notice)], tx);
      return { timed, webhooks, notice };
    });
    await this.publishQueue.place(timed, auth.requestId, now);
    await this.events.send(webhooks);
    return { ...(await this.reader.read(tenant, id)), notice };
  }

  /** Sends the post back to draft with the reviewer's note, kept and shown on the post until it is submitted again; a post not awaiting approval is a 409. */
  async reject(auth: AuthContext, id: string, note: string): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.approve');
    const webhooks = await inTransaction(this.dataSource, async (tx) => {
      const pending = await this.pendingOf(tenant, id, tx);
      // Waiting, they held no slot and no job: a draft has neither either.
      for (const delivery of pending) await this.deliveries.reschedule(tenant, delivery.id, { at: null, mode: 'draft', status: 'draft' }, tx);
      await this.postStatuses.refresh(tenant, [id], tx);
      await this.posts.setReview(tenant, id, { state: 'rejected', note, by: auth.actor }, tx);
      await this.audit.recordAs(auth, 'post.rejected', { type: 'post', id }, { note }, tx);
      return this.events.record(tenant, [rejected(id, auth.actor, note)], tx);
    });
    await this.events.send(webhooks);
    return this.reader.read(tenant, id);
  }

  /** The post's deliveries that await approval, locked with the post; 404 if absent, 409 if none awaits. */
  private async pendingOf(tenant: Tenant, id: string, tx: Executor): Promise<Delivery[]> {
    const { post, deliveries } = await this.postsService.lockPost(tenant, id, tx);
    const pending = deliveries.filter((delivery) => delivery.status === 'pending_approval');
    if (pending.length === 0) throw new Conflict(`Post ${id} is not awaiting approval (it is ${post.status})`);
    return pending;
  }

  /**
   * The channels of the deliveries to approve, row-locked (slots may be
   * taken), with the post's content checked against them again: 422 for a
   * channel disconnected since, or content its network no longer takes.
   */
  private async checkedChannels(tenant: Tenant, id: string, pending: Delivery[], tx: Executor): Promise<Map<string, Channel>> {
    const ids = pending.map((delivery) => delivery.channelId);
    const channels = await this.postsService.lockChannels(tenant, ids, 'update', tx);
    // A removed channel's deliveries were cancelled with it; a disconnected one is a 422, as on create.
    const targets = pickChannels(channels, ids);
    const post = (await this.posts.find(tenant, id, { on: tx }))!;
    const media = await this.postMedia.resolve(tenant, post.media, { importUrls: false });
    checkContent(this.adapters, targets, { text: post.text, media, variants: post.variants });
    return channels;
  }
}

function hasSlots(channel: Channel): boolean {
  return (channel.postingSchedule?.slots.length ?? 0) > 0;
}
