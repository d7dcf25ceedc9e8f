/** A post's status, derived from its deliveries' statuses. */
/** `missed`: not published because it came later than its channel's `staleAfterSeconds` allows. */
/** `pending_approval`: a contributor's, waiting for an owner, admin or editor to approve it (no slot, no job). */
export type DeliveryStatus = 'draft' | 'pending_approval' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'cancelled' | 'missed';
export type PostStatus = DeliveryStatus | 'partially_published';

export function derivePostStatus(statuses: DeliveryStatus[]): PostStatus {
  if (statuses.length === 0) return 'draft';
  if (statuses.includes('publishing')) return 'publishing';
  if (statuses.includes('scheduled')) return 'scheduled';
  if (statuses.includes('pending_approval')) return 'pending_approval';
  if (statuses.includes('draft')) return 'draft';
  const settled = statuses.filter((status) => status !== 'cancelled');
  if (settled.length === 0) return 'cancelled';
  const published = settled.filter((status) => status === 'published').length;
  if (published === settled.length) return 'published';
  if (published === 0) return 'failed';
  return 'partially_published';
}
