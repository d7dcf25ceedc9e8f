/**
 * `POST /v1/posts/:id/reject`: sends what a contributor submitted back to
 * draft with the reviewer's note, kept and shown on the post until it is
 * submitted again. One transaction under the post's lock.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, PostStatuses, PostsRepository, inTransaction } from '@herald/db';
import { AccessService } from '../../access';
import { AuditLog } from '../../audit';
import { PostEvents, rejected } from '../post-events';
import { PostReader } from '../post-reader';
import { PostView } from '../post-view';
import { PostLocks } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { RejectPostCommand } from './commands';

@Injectable()
export class RejectPostUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly placement: PostPlacement,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly postStatuses: PostStatuses,
    private readonly events: PostEvents,
    private readonly reader: PostReader,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  /** A post not awaiting approval is a 409. */
  async execute({ auth, postId: id, note }: RejectPostCommand): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.approve');
    const webhooks = await inTransaction(this.dataSource, async (tx) => {
      const pending = await this.locks.lockPending(tenant, id, tx);
      // Waiting, they held no slot and no job: a draft has neither either.
      for (const delivery of pending) await this.deliveries.reschedule(tenant, delivery.id, { at: null, mode: 'draft', status: 'draft' }, tx);
      await this.postStatuses.refresh(tenant, [id], tx);
      await this.posts.setReview(tenant, id, { state: 'rejected', note, by: auth.actor }, tx);
      await this.audit.recordAs(auth, 'post.rejected', { type: 'post', id }, { note }, tx);
      return this.events.record(tenant, [rejected(id, auth.actor, note)], tx);
    });
    await this.placement.enqueue({ webhooks }, auth.requestId);
    return this.reader.read(tenant, id);
  }
}
