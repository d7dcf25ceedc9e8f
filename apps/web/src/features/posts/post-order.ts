/**
 * The posts list in the order people plan by: what goes out next first
 * (soonest first), then what went out or was meant to, newest first; drafts
 * without a time by when they were written. Pure, with a unit spec.
 */
interface Orderable {
  createdAt: string;
  deliveries: { status: string; scheduledAt: string | null; publishedAt: string | null }[];
}

const WAITING = new Set(['scheduled', 'publishing', 'pending_approval']);

/** When the post goes out next (a time still ahead), or undefined. */
export function nextOut(post: Orderable, now: number): number | undefined {
  const times = post.deliveries
    .filter((delivery) => WAITING.has(delivery.status) && delivery.scheduledAt)
    .map((delivery) => new Date(delivery.scheduledAt!).getTime())
    .filter((time) => time >= now);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The latest time the post went or was due to go out, else when it was written. */
function lastTime(post: Orderable): number {
  const times = post.deliveries.map((delivery) => delivery.publishedAt ?? delivery.scheduledAt).filter((time): time is string => time !== null);
  return times.length > 0 ? Math.max(...times.map((time) => new Date(time).getTime())) : new Date(post.createdAt).getTime();
}

export function byWhenTheyGo<T extends Orderable>(posts: T[], now = Date.now()): T[] {
  const upcoming = posts.filter((post) => nextOut(post, now) !== undefined).sort((a, b) => nextOut(a, now)! - nextOut(b, now)!);
  const rest = posts.filter((post) => nextOut(post, now) === undefined).sort((a, b) => lastTime(b) - lastTime(a));
  return [...upcoming, ...rest];
}
