import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Attempt, Delivery, Post } from '@herald/db';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { NotFound } from '../common/problems';
import { ListPostsQuery } from './dto';
import { DeliveryWithNetwork, PostView, toPostView } from './post-view';

/** Reads posts as the API shows them: one post with its attempts, or a filtered page. */
@Injectable()
export class PostReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(workspaceId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<PostView> {
    const post = await manager.findOne(Post, { where: { id, workspaceId } });
    if (!post) throw new NotFound('Post', id);
    const deliveries = await this.deliveriesOf(manager, [post.id]);
    const attempts = await manager.find(Attempt, {
      where: { deliveryId: In(deliveries.map((delivery) => delivery.id)) },
      order: { startedAt: 'ASC', number: 'ASC' },
    });
    const byDelivery = new Map<string, Attempt[]>();
    for (const attempt of attempts) byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
    return toPostView(post, deliveries, byDelivery);
  }

  async list(workspaceId: string, query: ListPostsQuery): Promise<Page<PostView>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    const builder = this.dataSource.manager
      .createQueryBuilder(Post, 'p')
      .where('p.workspace_id = :workspaceId', { workspaceId })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .take(limit + 1);
    if (query.status) builder.andWhere('p.status = :status', { status: query.status });
    if (after) builder.andWhere('(p.created_at, p.id) < (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
    if (query.channelId || query.from || query.to) {
      const conditions = ['d.post_id = p.id'];
      if (query.channelId) conditions.push('d.channel_id = :channelId');
      if (query.from) conditions.push('d.scheduled_at >= :from');
      if (query.to) conditions.push('d.scheduled_at < :to');
      builder.andWhere(`EXISTS (SELECT 1 FROM deliveries d WHERE ${conditions.join(' AND ')})`, {
        channelId: query.channelId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      });
    }
    const posts = await builder.getMany();
    const deliveries = await this.deliveriesOf(this.dataSource.manager, posts.map((post) => post.id));
    const byPost = new Map<string, DeliveryWithNetwork[]>();
    for (const delivery of deliveries) byPost.set(delivery.postId, [...(byPost.get(delivery.postId) ?? []), delivery]);
    return toPage(posts, limit, (post) => toPostView(post, byPost.get(post.id) ?? []));
  }

  private async deliveriesOf(manager: EntityManager, postIds: string[]): Promise<DeliveryWithNetwork[]> {
    if (postIds.length === 0) return [];
    const { entities, raw } = await manager
      .createQueryBuilder(Delivery, 'd')
      .innerJoin('channels', 'c', 'c.id = d.channel_id')
      .addSelect('c.network', 'network')
      .where('d.post_id IN (:...postIds)', { postIds })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getRawAndEntities<{ network: string; d_id: string }>();
    const networkById = new Map(raw.map((row) => [row.d_id, row.network]));
    return entities.map((delivery) => Object.assign(delivery, { network: networkById.get(delivery.id) ?? 'unknown' }));
  }
}
