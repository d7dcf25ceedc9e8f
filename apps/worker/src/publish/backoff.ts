/**
 * Exponential backoff with full jitter for transient failures: the n-th
 * retry waits a random time up to base·2^(n-1), capped at `cap`, and at
 * least a tenth of it, so a burst of failures does not come back as a burst
 * of retries (AWS's "full jitter", with a floor so a retry is never instant).
 */
export function transientRetryDelayMs(attempt: number, base = 2000, cap = 5 * 60_000, random: () => number = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(ceiling * (0.1 + random() * 0.9));
}
