import { EntityManager } from 'typeorm';
import { DeliveryStatus, derivePostStatus } from '@herald/scheduling';

/**
 * Re-derives the status of posts from their deliveries. Locks the post rows
 * first, so two deliveries of one post finishing at once cannot leave it with a
 * status computed from a stale snapshot. Call inside the transaction that
 * changed the deliveries. Returns the posts whose status changed.
 */
export async function refreshPostStatuses(manager: EntityManager, postIds: string[]): Promise<{ id: string; workspaceId: string; status: string }[]> {
  const ids = [...new Set(postIds)].sort();
  if (ids.length === 0) return [];
  await manager.query(`SELECT id FROM posts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  const rows: { post_id: string; status: DeliveryStatus }[] = await manager.query(
    `SELECT post_id, status FROM deliveries WHERE post_id = ANY($1::uuid[])`,
    [ids],
  );
  const byPost = new Map<string, DeliveryStatus[]>(ids.map((id) => [id, []]));
  for (const row of rows) byPost.get(row.post_id)?.push(row.status);
  const statuses = ids.map((id) => derivePostStatus(byPost.get(id) ?? []));
  const changed: { id: string; workspace_id: string; status: string }[] = await manager.query(
    `UPDATE posts AS p SET status = s.status, updated_at = date_trunc('milliseconds', now())
       FROM unnest($1::uuid[], $2::text[]) AS s(id, status)
      WHERE p.id = s.id AND p.status IS DISTINCT FROM s.status
      RETURNING p.id, p.workspace_id, p.status`,
    [ids, statuses],
  );
  // The pg driver answers an UPDATE ... RETURNING as [rows, count].
  const updated = (Array.isArray(changed[0]) ? changed[0] : changed) as unknown as { id: string; workspace_id: string; status: string }[];
  return updated.map((row) => ({ id: row.id, workspaceId: row.workspace_id, status: row.status }));
}

/**
 * Locks the posts first: every transaction that changes deliveries and then a
 * post's status takes the post's lock before any delivery's, so the API and
 * the workers never wait on each other in opposite orders (a deadlock).
 */
export async function lockPosts(manager: EntityManager, postIds: string[]): Promise<void> {
  const ids = [...new Set(postIds)].sort();
  if (ids.length > 0) await manager.query(`SELECT id FROM posts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
}
