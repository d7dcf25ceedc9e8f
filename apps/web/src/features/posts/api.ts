/** Posts as queries: one post with its deliveries and attempts, and pages of the workspace's posts. */
import type { operations } from '@herald/api-client';
import { queryOptions } from '@tanstack/react-query';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import type { PostView } from '../../api/views';
import { refreshInterval } from './live';

export const postQuery = (id: string) =>
  queryOptions({
    queryKey: ['posts', id],
    queryFn: () => call(herald.GET('/v1/posts/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => refreshInterval(query.state.data?.deliveries),
  });

export type PostStatus = NonNullable<NonNullable<operations['listPosts']['parameters']['query']>['status']>;

const POST_STATUSES: readonly string[] = ['draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'partially_published', 'deleted'] satisfies PostStatus[];

export function isPostStatus(value: unknown): value is PostStatus {
  return typeof value === 'string' && POST_STATUSES.includes(value);
}

export interface PostFilter {
  status?: PostStatus;
  /** Only posts carrying this tag (any case). */
  tag?: string;
  /** Only the occurrences of this recurring series. */
  seriesId?: string;
  from?: string;
  to?: string;
}

/** Every post matching the filter (page by page, up to `max`). */
export async function allPosts(filter: PostFilter, max = 2000): Promise<PostView[]> {
  const posts: PostView[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      herald.GET('/v1/posts', {
        params: { query: { limit: 100, ...(filter.status ? { status: filter.status } : {}), ...(filter.tag ? { tag: filter.tag } : {}), ...(filter.seriesId ? { seriesId: filter.seriesId } : {}), ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}), ...(cursor ? { cursor } : {}) } },
      }),
    );
    posts.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && posts.length < max);
  return posts;
}

export const postsQuery = (filter: PostFilter) =>
  queryOptions({
    queryKey: ['posts', 'list', filter],
    queryFn: () => allPosts(filter, 200),
    refetchInterval: (query) => refreshInterval(query.state.data?.flatMap((post) => post.deliveries)),
  });
