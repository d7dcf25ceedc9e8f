import { transientRetryDelayMs } from './backoff';

describe('transientRetryDelayMs', () => {
  it('draws from a ceiling that doubles per attempt, from a tenth of it up to all of it (full jitter with a floor)', () => {
    expect(transientRetryDelayMs(1, 2000, 300_000, () => 0)).toBe(200);
    expect(transientRetryDelayMs(1, 2000, 300_000, () => 0.999999)).toBeCloseTo(2000, -1);
    expect(transientRetryDelayMs(3, 2000, 300_000, () => 0)).toBe(800);
    expect(transientRetryDelayMs(4, 2000, 300_000, () => 0.5)).toBe(16000 * 0.55);
  });

  it('is capped at the maximum delay, however many attempts (no overflow at attempt 1,000)', () => {
    expect(transientRetryDelayMs(30, 2000, 300_000, () => 0.999999)).toBeLessThanOrEqual(300_000);
    expect(transientRetryDelayMs(1000, 2000, 60_000, () => 0.999999)).toBeCloseTo(60_000, -1);
    expect(Number.isFinite(transientRetryDelayMs(1000, 2000, 60_000, () => 0))).toBe(true);
  });

  it('spreads a burst of retries over the whole band', () => {
    const delays = Array.from({ length: 1000 }, () => transientRetryDelayMs(5, 1000, 300_000));
    const buckets = [0, 0, 0, 0];
    for (const delay of delays) buckets[Math.min(3, Math.floor(delay / 4000))]! += 1;
    // Ceiling 16 s, floor 1.6 s: every quarter of the band gets a share.
    expect(Math.min(...buckets)).toBeGreaterThan(100);
  });
});
