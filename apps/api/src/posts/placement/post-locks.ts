/**
 * The locks every write of a post takes first: the channels it places
 * deliveries on (in id order), or the post and its deliveries (post first).
 * Taken in the same order by every use case, so two writers never wait on
 * each other in a circle.
 */
import { Injectable } from '@nestjs/common';
import { Channel, ChannelsRepository, DeliveriesRepository, Delivery, Executor, Post, PostsRepository, Tenant, inScope } from '@herald/db';
import { Conflict, NotFound } from '../../common/problems';

/** A delivery no worker has claimed yet, and that is not settled: the ones an edit or a cancel may change. */
export const UNCLAIMED: Delivery['status'][] = ['draft', 'pending_approval', 'scheduled'];

/** How a channel is locked: `update` to take its slots, `share` so it cannot vanish, `none` for a plain read. */
export type ChannelLock = 'update' | 'share' | 'none';

@Injectable()
export class PostLocks {
  constructor(
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly channels: ChannelsRepository,
  ) {}

  /**
   * The workspace's live channels among `ids`, locked (unless `none`) for the
   * transaction in id order: queue modes take each channel's row lock (two posts must not
   * take one slot); fixed times only share-lock them, so posts to the same
   * channels are created in parallel while the channels cannot vanish.
   * Absent ids are simply missing from the map (the check answers 404), and so
   * are those outside the channels a tenant is limited to (see liveAmong).
   */
  async lockChannels(tenant: Tenant, ids: string[], lock: ChannelLock, tx?: Executor): Promise<Map<string, Channel>> {
    const sorted = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
    const rows = await this.channels.liveAmong(tenant, sorted, lock, tx);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The post and its deliveries, locked (post first); 404 if absent, 409 while one is being published. */
  async lockPost(tenant: Tenant, id: string, tx: Executor): Promise<{ post: Post; deliveries: Delivery[] }> {
    const post = await this.posts.find(tenant, id, { lock: true, on: tx });
    if (!post) throw new NotFound('Post', id);
    const deliveries = await this.deliveries.ofPostLocked(tenant, id, tx);
    keepToScope(tenant, id, deliveries);
    const claimed = deliveries.find((delivery) => delivery.status === 'publishing');
    if (claimed) throw new Conflict(`Delivery ${claimed.id} is being published right now; try again once it finishes`);
    return { post, deliveries };
  }

  /** The post's deliveries that await approval, locked with the post; 404 if absent, 409 if none awaits. */
  async lockPending(tenant: Tenant, id: string, tx: Executor): Promise<Delivery[]> {
    const { post, deliveries } = await this.lockPost(tenant, id, tx);
    const pending = deliveries.filter((delivery) => delivery.status === 'pending_approval');
    if (pending.length === 0) throw new Conflict(`Post ${id} is not awaiting approval (it is ${post.status})`);
    return pending;
  }
}

/** A post that goes to a channel outside the ones a tenant is limited to is, for it, not there (404). */
export function keepToScope(tenant: Tenant, postId: string, deliveries: Pick<Delivery, 'channelId'>[]): void {
  if (deliveries.some((delivery) => !inScope(tenant, delivery.channelId))) throw new NotFound('Post', postId);
}
