/** `DELETE /v1/posts/:id`: cancels every delivery not yet claimed; a claimed one makes the whole call a 409, changing nothing. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, PostStatuses, inTransaction } from '@herald/db';
import { AccessService } from '../../access';
import { AuditLog } from '../../audit';
import { Conflict } from '../../common/problems';
import { PostReader } from '../post-reader';
import { PostView } from '../post-view';
import { PostLocks, UNCLAIMED } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { PostCommand } from './commands';

@Injectable()
export class CancelPostUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly deliveries: DeliveriesRepository,
    private readonly postStatuses: PostStatuses,
    private readonly placement: PostPlacement,
    private readonly reader: PostReader,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async execute({ auth, postId: id }: PostCommand): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const cancelled = await inTransaction(this.dataSource, async (tx) => {
      const { deliveries } = await this.locks.lockPost(tenant, id, tx);
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
      if (cancellable.length > 0) {
        await this.audit.recordAs(auth, 'post.cancelled', { type: 'post', id }, { channelIds: cancellable.map((delivery) => delivery.channelId) }, tx);
      }
      return cancellable.map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channelId, at: null }));
    });
    // Their jobs leave the queue (a time of null).
    await this.placement.enqueue({ moved: cancelled }, null);
    return this.reader.read(tenant, id);
  }
}
