/** A post's status, derived from its deliveries' statuses. */
/** `missed`: not published because it came later than its channel's `staleAfterSeconds` allows. */
/** `pending_approval`: a contributor's, waiting for an owner, admin or editor to approve it (no slot, no job). */
/** `deleted`: published, then taken back down through the network's API (unpublish). */
export type DeliveryStatus = 'draft' | 'pending_approval' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'cancelled' | 'missed' | 'deleted';
export type PostStatus = DeliveryStatus | 'partially_published';

/**
 * The first that holds:
 * - `publishing`: a delivery is being published, or the post is under way:
 *   some delivery is published and another is still scheduled (a post out on
 *   one channel never says just "scheduled");
 * - `scheduled`, `pending_approval`, `draft`: some delivery is (in that order);
 * - `cancelled`: every delivery was cancelled;
 * - of the settled rest (cancelled ones aside): `published` if all were,
 *   `failed` if none was, else `partially_published` (some failed or were
 *   missed, some published: a final state, as `post.failed` says);
 *   `deleted` when some delivery was unpublished and none is still out, a
 *   delivery unpublished otherwise counting for nothing (the post is as
 *   its other channels have it).
 */
export function derivePostStatus(statuses: DeliveryStatus[]): PostStatus {
  if (statuses.length === 0) return 'draft';
  if (statuses.includes('publishing')) return 'publishing';
  if (statuses.includes('scheduled')) return statuses.includes('published') ? 'publishing' : 'scheduled';
  if (statuses.includes('pending_approval')) return 'pending_approval';
  if (statuses.includes('draft')) return 'draft';
  const left = statuses.filter((status) => status !== 'cancelled');
  if (left.length === 0) return 'cancelled';
  if (left.includes('deleted') && !left.includes('published')) return 'deleted';
  const settled = left.filter((status) => status !== 'deleted');
  const published = settled.filter((status) => status === 'published').length;
  if (published === settled.length) return 'published';
  if (published === 0) return 'failed';
  return 'partially_published';
}
