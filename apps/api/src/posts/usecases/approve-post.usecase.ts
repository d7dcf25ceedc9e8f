/**
 * `POST /v1/posts/:id/approve`: schedules what a contributor submitted
 * (`pending_approval`), by an owner, admin or editor (`posts.approve`). One
 * transaction under the post's lock, then its channels': the deliveries'
 * new times, the post's review, the audit and webhook events; Redis is told
 * after the commit.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, Delivery, Executor, PostStatuses, PostsRepository, Tenant, inTransaction } from '@herald/db';
import { AccessService } from '../../access';
import { AuditLog } from '../../audit';
import { Retimed } from '../../channels';
import { ApprovedDelivery, approvalMove, approvalNotice, modeAfter } from '../approval-rules';
import { PostEvents, approved } from '../post-events';
import { PostMedia } from '../post-media';
import { PostReader } from '../post-reader';
import { PostView } from '../post-view';
import { DeliveryRetiming } from '../placement/delivery-retiming';
import { pickChannels } from '../placement/placement-check';
import { PostLocks } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { PostCommand } from './commands';

/** An approval's answer: the post, and what was done that was not what was asked (a time that had passed), if anything. */
export type ApprovedPostView = PostView & { notice: string | null };

@Injectable()
export class ApprovePostUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly retiming: DeliveryRetiming,
    private readonly placement: PostPlacement,
    private readonly posts: PostsRepository,
    private readonly postStatuses: PostStatuses,
    private readonly postMedia: PostMedia,
    private readonly events: PostEvents,
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
  async execute({ auth, postId: id }: PostCommand): Promise<ApprovedPostView> {
    const tenant = this.access.tenant(auth, 'posts.approve');
    const now = new Date();
    const { timed, webhooks, notice } = await inTransaction(this.dataSource, async (tx) => {
      const pending = await this.locks.lockPending(tenant, id, tx);
      const channels = await this.checkedChannels(tenant, id, pending, tx);
      await this.retiming.lockQuotas(tenant, channels.values(), tx);
      const timed: Retimed[] = [];
      const done: ApprovedDelivery[] = [];
      for (const delivery of pending) {
        const channel = channels.get(delivery.channelId)!;
        const move = approvalMove(delivery.scheduleMode, delivery.scheduledAt, hasSlots(channel), now);
        const fixedTime = move === 'as_asked' ? delivery.scheduledAt! : move === 'now' ? now : undefined;
        // Approved into a window that is full: the approval is refused (this transaction undoes it).
        const retimed = await this.retiming.retime(tenant, channel, delivery, { mode: modeAfter(move) }, fixedTime, now, tx);
        timed.push(...retimed);
        done.push({ channel, askedMode: delivery.scheduleMode, askedAt: delivery.scheduledAt, move, at: retimed[0]!.at! });
      }
      const [changed] = await this.postStatuses.refresh(tenant, [id], tx);
      await this.posts.setReview(tenant, id, { state: 'approved', note: null, by: auth.actor }, tx);
      const notice = approvalNotice(done);
      await this.audit.recordAs(auth, 'post.approved', { type: 'post', id }, { notice }, tx);
      const webhooks = await this.events.record(tenant, [approved(id, changed?.status ?? 'scheduled', auth.actor, notice)], tx);
      return { timed, webhooks, notice };
    });
    await this.placement.enqueue({ moved: timed, webhooks }, auth.requestId, now);
    return { ...(await this.reader.read(tenant, id)), notice };
  }

  /**
   * The channels of the deliveries to approve, row-locked (slots may be
   * taken), with the post's content checked against them again: 422 for a
   * channel disconnected since, or content its network no longer takes.
   */
  private async checkedChannels(tenant: Tenant, id: string, pending: Delivery[], tx: Executor): Promise<Map<string, Channel>> {
    const ids = pending.map((delivery) => delivery.channelId);
    const channels = await this.locks.lockChannels(tenant, ids, 'update', tx);
    // A removed channel's deliveries were cancelled with it; a disconnected one is a 422, as on create.
    const targets = pickChannels(channels, ids);
    const post = (await this.posts.find(tenant, id, { on: tx }))!;
    this.placement.checkContent(targets, await this.postMedia.storedContent(tenant, post));
    return channels;
  }
}

function hasSlots(channel: Channel): boolean {
  return (channel.postingSchedule?.slots.length ?? 0) > 0;
}
