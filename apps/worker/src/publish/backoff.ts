/**
 * Exponential backoff with jitter for transient failures: the n-th retry
 * waits base·2^(n-1), capped, then scaled by a random factor in [0.5, 1) so a
 * burst of failures does not come back as a burst of retries.
 */
export function transientRetryDelayMs(attempt: number, base = 2000, random: () => number = Math.random): number {
  const cap = 5 * 60_000;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() * 0.5));
}
