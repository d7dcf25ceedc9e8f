/**
 * A post's status is derived from its deliveries (`derivePostStatus`); this
 * keeps the stored one in step after the API changes deliveries. It locks the
 * posts first, so two changes to one post's deliveries cannot leave it with
 * a status derived from a stale snapshot, and so every writer takes a post's
 * lock before its deliveries' (the order that keeps the API and the workers
 * from deadlocking). Three statements, each a repository's.
 */
import { Injectable } from '@nestjs/common';
import { derivePostStatus } from '@herald/scheduling';
import { Tenant } from '../access/scope';
import { DeliveriesRepository } from './deliveries.repository';
import { PostsRepository } from './posts.repository';
import { Executor } from './repository';

@Injectable()
export class PostStatuses {
  constructor(
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  /** Locks the posts (before their deliveries: the order every writer keeps); answers the ids it locked. */
  async lock(tenant: Tenant, postIds: string[], on: Executor): Promise<string[]> {
    if (postIds.length === 0) return [];
    return (await this.posts.lock(tenant, postIds, on)).map((post) => post.id);
  }

  /** Re-derives the posts' statuses inside the transaction that changed their deliveries; answers those that changed. */
  async refresh(tenant: Tenant, postIds: string[], on: Executor): Promise<{ id: string; status: string }[]> {
    const ids = [...new Set(postIds)].sort();
    if (ids.length === 0) return [];
    await this.posts.lock(tenant, ids, on);
    const statuses = new Map<string, Parameters<typeof derivePostStatus>[0]>(ids.map((id) => [id, []]));
    for (const { postId, status } of await this.deliveries.statusesOfPosts(tenant, ids, on)) statuses.get(postId)?.push(status);
    return this.posts.setStatuses(
      tenant,
      ids.map((id) => ({ id, status: derivePostStatus(statuses.get(id) ?? []) })),
      on,
    );
  }
}
