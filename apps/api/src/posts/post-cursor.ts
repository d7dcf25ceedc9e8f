/**
 * Where a page of posts ends, for the next one: the last post's time (its
 * earliest delivery's, or none), its creation and its id. Opaque to
 * clients, like every cursor.
 */
import { ListedPost, PostPosition } from '@herald/db';
import { Page } from '../common/pagination';
import { MalformedRequest } from '../common/problems';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodePostCursor(post: ListedPost): string {
  return Buffer.from(JSON.stringify([post.sortAt?.toISOString() ?? null, post.createdAt.toISOString(), post.id])).toString('base64url');
}

export function decodePostCursor(cursor: string | undefined): PostPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    const time = at === null ? null : new Date(String(at));
    const created = new Date(String(createdAt));
    if (typeof id !== 'string' || !UUID.test(id) || Number.isNaN(created.getTime()) || (time !== null && Number.isNaN(time.getTime()))) throw new Error('bad cursor');
    return { at: time, createdAt: created, id };
  } catch {
    throw new MalformedRequest('cursor is not one this API returned', [{ path: 'cursor', message: 'is invalid' }]);
  }
}

/** A page from `limit + 1` posts as the repository orders them. */
export function toPostPage<T>(rows: ListedPost[], limit: number, map: (row: ListedPost) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { data: pageRows.map(map), nextCursor: hasMore && last ? encodePostCursor(last) : null };
}
