import { Injectable } from '@nestjs/common';
import { Attempt, AttemptsRepository, DeliveriesRepository, DeliveryPart, DeliveryWithNetwork, Post, PostsRepository, Tenant } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { Page } from '../common/pagination';
import { NotFound } from '../common/problems';
import { ListPostsQuery } from './dto';
import { decodePostCursor, toPostPage } from './post-cursor';
import { PostView, actorNames, toPostView } from './post-view';
import { keepToScope } from './placement/post-locks';

/** Reads posts as the API shows them: one post with its attempts, or a filtered page. */
@Injectable()
export class PostReader {
  constructor(
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly attempts: AttemptsRepository,
    private readonly access: AccessService,
  ) {}

  get(auth: AuthContext, id: string): Promise<PostView> {
    return this.read(this.access.tenant(auth, 'posts.read'), id);
  }

  /** One post with its deliveries and every attempt. */
  async read(tenant: Tenant, id: string): Promise<PostView> {
    const post = await this.posts.find(tenant, id);
    if (!post) throw new NotFound('Post', id);
    const deliveries = await this.deliveries.ofPosts(tenant, [post.id]);
    keepToScope(tenant, id, deliveries);
    const attempts = await this.attempts.ofDeliveries(
      tenant,
      deliveries.map((delivery) => delivery.id),
    );
    const byDelivery = new Map<string, Attempt[]>();
    for (const attempt of attempts) byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
    const names = actorNames(await this.posts.actorsOf(tenant, [post.id]));
    return toPostView(post, deliveries, names, byDelivery, await this.stepsOf(tenant, [post], deliveries));
  }

  /**
   * A page of posts by when they go out (the latest time first; posts with
   * no time, drafts, after them, newest first), with their deliveries: three
   * plain queries (the page by keyset, its deliveries, the names of who
   * acted on them).
   */
  async list(auth: AuthContext, query: ListPostsQuery): Promise<Page<PostView>> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const limit = query.limit ?? 50;
    const posts = await this.posts.page(tenant, {
      status: query.status,
      after: decodePostCursor(query.cursor),
      channelId: query.channelId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      tag: query.tag?.trim().toLowerCase(),
      seriesId: query.seriesId,
      limit,
    });
    const deliveries = await this.deliveries.ofPosts(
      tenant,
      posts.map((post) => post.id),
    );
    const byPost = new Map<string, DeliveryWithNetwork[]>();
    for (const delivery of deliveries) byPost.set(delivery.postId, [...(byPost.get(delivery.postId) ?? []), delivery]);
    const names = actorNames(
      await this.posts.actorsOf(
        tenant,
        posts.map((post) => post.id),
      ),
    );
    const steps = await this.stepsOf(tenant, posts, deliveries);
    return toPostPage(posts, limit, (post) => toPostView(post, byPost.get(post.id) ?? [], names, undefined, steps));
  }

  /** The parts and first comments recorded for the deliveries of threads and commented posts (no query when there are none). */
  private async stepsOf(tenant: Tenant, posts: Post[], deliveries: DeliveryWithNetwork[]): Promise<Map<string, DeliveryPart[]>> {
    const stepped = new Set(posts.filter((post) => post.parts || post.firstComment).map((post) => post.id));
    const ids = deliveries.filter((delivery) => stepped.has(delivery.postId)).map((delivery) => delivery.id);
    const byDelivery = new Map<string, DeliveryPart[]>();
    if (ids.length === 0) return byDelivery;
    for (const row of await this.deliveries.partsOf(tenant, ids)) byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row]);
    return byDelivery;
  }
}
