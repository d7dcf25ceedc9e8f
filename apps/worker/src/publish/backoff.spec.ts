import { transientRetryDelayMs } from './backoff';

describe('transientRetryDelayMs', () => {
  it('doubles per attempt within the jitter band', () => {
    expect(transientRetryDelayMs(1, 2000, () => 0)).toBe(1000);
    expect(transientRetryDelayMs(1, 2000, () => 0.999999)).toBeCloseTo(2000, -1);
    expect(transientRetryDelayMs(3, 2000, () => 0)).toBe(4000);
    expect(transientRetryDelayMs(4, 2000, () => 0.5)).toBe(12000);
  });

  it('is capped at five minutes', () => {
    expect(transientRetryDelayMs(30, 2000, () => 0.999999)).toBeLessThanOrEqual(300_000);
  });
});
