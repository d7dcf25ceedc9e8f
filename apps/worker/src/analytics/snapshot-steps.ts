/**
 * Where a post's scheduled snapshots stand after one is taken (pure): every
 * scheduled time that has come is served by this snapshot (a worker that
 * was down takes one, not three), the next is the first still ahead, and
 * none left is `done`.
 */
export interface StepAfter {
  step: number;
  nextAt: Date | null;
  ended: 'done' | null;
}

export function stepAfter(publishedAt: Date, intervalsMs: readonly number[], step: number, now: number): StepAfter {
  let next = step;
  while (next < intervalsMs.length && publishedAt.getTime() + intervalsMs[next]! <= now) next += 1;
  if (next >= intervalsMs.length) return { step: next, nextAt: null, ended: 'done' };
  return { step: next, nextAt: new Date(publishedAt.getTime() + intervalsMs[next]!), ended: null };
}

/** Whether a snapshot taken now is a scheduled one (its time has come) or only a refresh asked for. */
export function kindOf(nextAt: Date | null, now: number): 'scheduled' | 'refresh' {
  return nextAt !== null && nextAt.getTime() <= now ? 'scheduled' : 'refresh';
}

/** How long reads wait after a failure that is not a rate limit: longer the more the network is failing, at most an hour. */
export function retryAfterFailureMs(kind: 'transient' | 'rejected' | 'auth'): number {
  return kind === 'transient' ? 5 * 60_000 : 60 * 60_000;
}

/** Reads stop short of the end of a budget that publishing shares (Mastodon's is the account's): this share of it is left for posts. */
export const RESERVED_FOR_PUBLISHING = 0.2;

/** Whether a budget reading leaves too little for publishing: reads wait for its reset. */
export function tooLittleLeft(reading: { remaining: number; limit?: number }): boolean {
  const reserve = reading.limit === undefined ? 1 : Math.max(1, Math.ceil(reading.limit * RESERVED_FOR_PUBLISHING));
  return reading.remaining < reserve;
}
