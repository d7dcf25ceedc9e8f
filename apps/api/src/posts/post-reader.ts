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

  /**
   * A page of posts, newest first, with their deliveries: two plain queries
   * (the page by keyset, then its deliveries), so a page costs the same on
   * the first post and the millionth.
   */
  async list(workspaceId: string, query: ListPostsQuery): Promise<Page<PostView>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    const conditions = ['p.workspace_id = $1'];
    const values: unknown[] = [workspaceId];
    const bind = (value: unknown) => `$${values.push(value)}`;
    if (query.status) conditions.push(`p.status = ${bind(query.status)}`);
    if (after) conditions.push(`(p.created_at, p.id) < (${bind(after.createdAt)}, ${bind(after.id)})`);
    if (query.channelId || query.from || query.to) {
      const deliveryConditions = ['d.post_id = p.id'];
      if (query.channelId) deliveryConditions.push(`d.channel_id = ${bind(query.channelId)}`);
      if (query.from) deliveryConditions.push(`d.scheduled_at >= ${bind(new Date(query.from))}`);
      if (query.to) deliveryConditions.push(`d.scheduled_at < ${bind(new Date(query.to))}`);
      conditions.push(`EXISTS (SELECT 1 FROM deliveries d WHERE ${deliveryConditions.join(' AND ')})`);
    }
    const rows: PostRow[] = await this.dataSource.query(
      `SELECT p.id, p.workspace_id, p.text, p.media, p.variants, p.status, p.request_id, p.created_at, p.updated_at
         FROM posts p WHERE ${conditions.join(' AND ')}
        ORDER BY p.created_at DESC, p.id DESC LIMIT ${bind(limit + 1)}`,
      values,
    );
    const posts = rows.map(toPost);
    const deliveries = await this.deliveriesOf(this.dataSource.manager, posts.map((post) => post.id));
    const byPost = new Map<string, DeliveryWithNetwork[]>();
    for (const delivery of deliveries) byPost.set(delivery.postId, [...(byPost.get(delivery.postId) ?? []), delivery]);
    return toPage(posts, limit, (post) => toPostView(post, byPost.get(post.id) ?? []));
  }

  private async deliveriesOf(manager: EntityManager, postIds: string[]): Promise<DeliveryWithNetwork[]> {
    if (postIds.length === 0) return [];
    const rows: DeliveryRow[] = await manager.query(
      // The network by scalar subquery, not a join: joined, a planner without statistics may start from the
      // channels and read every delivery they have.
      `SELECT d.*, (SELECT c.network FROM channels c WHERE c.id = d.channel_id) AS network FROM deliveries d
        WHERE d.post_id = ANY($1::uuid[]) ORDER BY d.created_at, d.id`,
      [postIds],
    );
    return rows.map(toDelivery);
  }
}

interface PostRow {
  id: string;
  workspace_id: string;
  text: string;
  media: Post['media'];
  variants: Post['variants'];
  status: string;
  request_id: string | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  post_id: string;
  workspace_id: string;
  channel_id: string;
  network: string;
  status: Delivery['status'];
  schedule_mode: Delivery['scheduleMode'];
  scheduled_at: Date | null;
  due_at: Date | null;
  claimed_at: Date | null;
  lease_expires_at: Date | null;
  attempt_count: number;
  published_at: Date | null;
  external_id: string | null;
  external_url: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  created_at: Date;
  updated_at: Date;
}

function toPost(row: PostRow): Post {
  return Object.assign(new Post(), {
    id: row.id,
    workspaceId: row.workspace_id,
    text: row.text,
    media: row.media,
    variants: row.variants,
    status: row.status,
    requestId: row.request_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function toDelivery(row: DeliveryRow): DeliveryWithNetwork {
  return Object.assign(new Delivery(), {
    id: row.id,
    postId: row.post_id,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    status: row.status,
    scheduleMode: row.schedule_mode,
    scheduledAt: row.scheduled_at,
    dueAt: row.due_at,
    claimedAt: row.claimed_at,
    leaseExpiresAt: row.lease_expires_at,
    attemptCount: row.attempt_count,
    publishedAt: row.published_at,
    externalId: row.external_id,
    externalUrl: row.external_url,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    network: row.network,
  });
}
