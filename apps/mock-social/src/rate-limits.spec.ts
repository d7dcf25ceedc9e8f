import { RateLimits } from './rate-limits';

const T = Date.parse('2025-03-01T12:00:00.000Z');
const ann = { network: 'mastodon', instance: 'one', handle: 'ann' };

describe('rate-limit budgets', () => {
  it('count down a fixed window that starts at the first call, refuse when spent, and start again after the reset', () => {
    const limits = new RateLimits();
    limits.set({ network: 'mastodon', limit: 2, windowSeconds: 10 }, T);
    expect(limits.take(ann, T + 5000)).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtMs: T + 15_000, windowSeconds: 10, retryAfterSeconds: 10, source: 'rule' });
    expect(limits.take(ann, T + 6000)).toMatchObject({ allowed: true, remaining: 0, resetAtMs: T + 15_000 });
    expect(limits.take(ann, T + 14_500)).toEqual({ allowed: false, limit: 2, remaining: 0, resetAtMs: T + 15_000, windowSeconds: 10, retryAfterSeconds: 1, source: 'rule' });
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
    expect(limits.take(two, T + 100)).toEqual({ allowed: true, limit: 300, remaining: 0, resetAtMs: T + 3000, windowSeconds: 300, retryAfterSeconds: 3, source: 'rule' });
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

  describe("the networks' documented defaults", () => {
    const tweet = { method: 'POST', route: '/2/tweets' };
    const me = { method: 'GET', route: '/2/users/me' };
    const xena = { network: 'x', handle: 'xena' };

    it('X: a window of its own per endpoint and account, as documented (100 posts, 75 reads of /2/users/me per 15 minutes)', () => {
      const limits = new RateLimits();
      expect(limits.take(xena, T, tweet)).toEqual({ allowed: true, limit: 100, remaining: 99, resetAtMs: T + 900_000, windowSeconds: 900, retryAfterSeconds: 900, source: 'default' });
      expect(limits.take(xena, T, me)).toMatchObject({ limit: 75, remaining: 74 });
      expect(limits.take(xena, T, tweet)).toMatchObject({ remaining: 98 });
      expect(limits.take({ ...xena, handle: 'yan' }, T, tweet)).toMatchObject({ remaining: 99 });
      for (let n = 0; n < 98; n += 1) limits.take(xena, T + 1000, tweet);
      expect(limits.take(xena, T + 2000, tweet)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 898 });
      expect(limits.take(xena, T + 900_000, tweet)).toMatchObject({ allowed: true, remaining: 99, resetAtMs: T + 1_800_000 });
      // A route no default counts: no budget, no headers.
      expect(limits.take(xena, T, { method: 'POST', route: '/2/oauth2/token' })).toBeUndefined();
    });

    it('Bluesky: a write takes 3 points from the write budgets, and the headers tell the budget closest to running out', () => {
      const limits = new RateLimits();
      const bea = { network: 'bluesky', handle: 'bea.bsky.social' };
      const create = { method: 'POST', route: '/xrpc/com.atproto.repo.createRecord' };
      expect(limits.take(bea, T, create)).toMatchObject({ limit: 3000, remaining: 2999, windowSeconds: 300 });
      limits.setScale(0.001);
      // Scaled: global 3, writes 5 an hour; two creates leave no write points for a third.
      expect(limits.take(bea, T, create)).toMatchObject({ allowed: true, limit: 3, remaining: 2, windowSeconds: 300 });
      expect(limits.take(bea, T, create)).toMatchObject({ allowed: false, limit: 5, remaining: 0, windowSeconds: 3600 });
      expect(limits.take(bea, T, { method: 'GET', route: '/xrpc/com.atproto.repo.getRecord' })).toMatchObject({ allowed: true, limit: 3, remaining: 1 });
    });

    it('Mastodon: every call of the account counts, uploads and deletions have their own tighter budgets', () => {
      const limits = new RateLimits();
      const upload = { method: 'POST', route: '/api/v2/media' };
      expect(limits.take(ann, T, { method: 'GET', route: '/api/v1/accounts/verify_credentials' })).toMatchObject({ limit: 300, remaining: 299, windowSeconds: 300 });
      expect(limits.take(ann, T, upload)).toMatchObject({ limit: 30, remaining: 29, windowSeconds: 1800 });
      expect(limits.take({ ...ann, instance: 'two' }, T, upload)).toMatchObject({ remaining: 29 });
    });

    it('a test rule replaces them for the accounts it names; scale 0 lifts them; clear brings back the configured scale', () => {
      const limits = new RateLimits(1000);
      expect(limits.take(xena, T, tweet)).toMatchObject({ limit: 100_000, remaining: 99_999 });
      limits.set({ network: 'x', handle: 'xena', limit: 3, windowSeconds: 60 }, T);
      expect(limits.take(xena, T, tweet)).toMatchObject({ limit: 3, remaining: 2, source: 'rule' });
      limits.setScale(0);
      expect(limits.take({ ...xena, handle: 'yan' }, T, tweet)).toBeUndefined();
      expect(limits.defaults()).toEqual({ scale: 0, data: [] });
      limits.clear();
      expect(limits.defaults().scale).toBe(1000);
      expect(limits.take(xena, T, tweet)).toMatchObject({ limit: 100_000, remaining: 99_999, source: 'default' });
    });
  });
});
