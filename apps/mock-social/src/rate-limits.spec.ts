import { RateLimits } from './rate-limits';

const T = Date.parse('2025-03-01T12:00:00.000Z');
const ann = { network: 'mastodon', instance: 'one', handle: 'ann' };

describe('rate-limit budgets', () => {
  it('count down a fixed window that starts at the first call, refuse when spent, and start again after the reset', () => {
    const limits = new RateLimits();
    limits.set({ network: 'mastodon', limit: 2, windowSeconds: 10 }, T);
    expect(limits.take(ann, T + 5000)).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtMs: T + 15_000, windowSeconds: 10, retryAfterSeconds: 10 });
    expect(limits.take(ann, T + 6000)).toMatchObject({ allowed: true, remaining: 0, resetAtMs: T + 15_000 });
    expect(limits.take(ann, T + 14_500)).toEqual({ allowed: false, limit: 2, remaining: 0, resetAtMs: T + 15_000, windowSeconds: 10, retryAfterSeconds: 1 });
    expect(limits.take(ann, T + 15_000)).toMatchObject({ allowed: true, remaining: 1, resetAtMs: T + 25_000 });
  });

  it('give each account, and each Mastodon instance, a window of its own', () => {
    const limits = new RateLimits();
    limits.set({ network: 'mastodon', limit: 1, windowSeconds: 60 }, T);
    expect(limits.take(ann, T)!.allowed).toBe(true);
    expect(limits.take(ann, T)!.allowed).toBe(false);
    expect(limits.take({ ...ann, instance: 'two' }, T)!.allowed).toBe(true);
    expect(limits.take({ ...ann, handle: 'bob' }, T)!.allowed).toBe(true);
    expect(limits.take({ network: 'x', handle: 'ann' }, T)).toBeUndefined();
  });

  it('start as told: one call left, reset 3 s after the rule is set', () => {
    const limits = new RateLimits();
    limits.set({ network: 'mastodon', instance: 'two', limit: 300, windowSeconds: 300, remaining: 1, resetInSeconds: 3 }, T);
    const two = { ...ann, instance: 'two' };
    expect(limits.take(two, T + 100)).toEqual({ allowed: true, limit: 300, remaining: 0, resetAtMs: T + 3000, windowSeconds: 300, retryAfterSeconds: 3 });
    expect(limits.take(two, T + 200)).toMatchObject({ allowed: false, remaining: 0, resetAtMs: T + 3000 });
    expect(limits.take(two, T + 3000)).toMatchObject({ allowed: true, remaining: 299, resetAtMs: T + 303_000 });
    // An account whose first call comes after that reset starts a whole window.
    expect(limits.take({ ...two, handle: 'late' }, T + 4000)).toMatchObject({ allowed: true, remaining: 299, resetAtMs: T + 304_000 });
  });

  it('answer with the most specific rule; setting the same scope again replaces the rule and its windows', () => {
    const limits = new RateLimits();
    limits.set({ network: 'x', limit: 100, windowSeconds: 900 }, T);
    limits.set({ network: 'x', handle: 'ann', limit: 5, windowSeconds: 60 }, T);
    expect(limits.take({ network: 'x', handle: 'ann' }, T)).toMatchObject({ limit: 5, remaining: 4 });
    expect(limits.take({ network: 'x', handle: 'bob' }, T)).toMatchObject({ limit: 100, remaining: 99 });
    limits.set({ network: 'x', handle: 'ann', limit: 5, windowSeconds: 60, remaining: 0 }, T);
    expect(limits.take({ network: 'x', handle: 'ann' }, T)).toMatchObject({ allowed: false, remaining: 0 });
    expect(limits.list(T)).toEqual([
      expect.objectContaining({ network: 'x', limit: 100, windows: [{ handle: 'bob', remaining: 99, resetAt: new Date(T + 900_000).toISOString() }] }),
      expect.objectContaining({ network: 'x', handle: 'ann', remaining: 0, windows: [{ handle: 'ann', remaining: 0, resetAt: new Date(T + 60_000).toISOString() }] }),
    ]);
    limits.clear();
    expect(limits.take({ network: 'x', handle: 'ann' }, T)).toBeUndefined();
  });
});
