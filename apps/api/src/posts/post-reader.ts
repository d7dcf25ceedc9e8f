import { Injectable } from '@nestjs/common';
import { Attempt, AttemptsRepository, DeliveriesRepository, DeliveryWithNetwork, PostsRepository, Tenant } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { NotFound } from '../common/problems';
import { ListPostsQuery } from './dto';
import { PostView, actorNames, toPostView } from './post-view';

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
    const attempts = await this.attempts.ofDeliveries(
      tenant,
      deliveries.map((delivery) => delivery.id),
    );
    const byDelivery = new Map<string, Attempt[]>();
    for (const attempt of attempts) byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
    const names = actorNames(await this.posts.actorsOf(tenant, [post.id]));
    return toPostView(post, deliveries, names, byDelivery);
  }

  /**
   * A page of posts, newest first, with their deliveries: three plain
   * queries (the page by keyset, its deliveries, the names of who acted on
   * them), so a page costs the same on the first post and the millionth.
   */
  async list(auth: AuthContext, query: ListPostsQuery): Promise<Page<PostView>> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const limit = query.limit ?? 50;
    const posts = await this.posts.page(tenant, {
      status: query.status,
      after: decodeCursor(query.cursor),
      channelId: query.channelId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
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
    return toPage(posts, limit, (post) => toPostView(post, byPost.get(post.id) ?? [], names));
  }
}
