/** `POST /v1/posts/:id/retry`: requeues the failed deliveries now; published ones are never sent again. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelsRepository, DeliveriesRepository, PostStatuses, inTransaction } from '@herald/db';
import { AccessService } from '../../access';
import { AuditLog } from '../../audit';
import { Conflict, UnprocessableRequest } from '../../common/problems';
import { PostReader } from '../post-reader';
import { PostView } from '../post-view';
import { PostLocks } from '../placement/post-locks';
import { PostPlacement } from '../placement/post-placement';
import { PostCommand } from './commands';

@Injectable()
export class RetryPostUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: PostLocks,
    private readonly deliveries: DeliveriesRepository,
    private readonly channels: ChannelsRepository,
    private readonly postStatuses: PostStatuses,
    private readonly placement: PostPlacement,
    private readonly reader: PostReader,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async execute({ auth, postId: id }: PostCommand): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const now = new Date();
    const timed = await inTransaction(this.dataSource, async (tx) => {
      const { deliveries } = await this.locks.lockPost(tenant, id, tx);
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
      await this.audit.recordAs(auth, 'post.retried', { type: 'post', id }, { channelIds: failed.map((delivery) => delivery.channelId) }, tx);
      return failed.map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channelId, at: now }));
    });
    await this.placement.enqueue({ moved: timed }, auth.requestId, now);
    return this.reader.read(tenant, id);
  }
}
