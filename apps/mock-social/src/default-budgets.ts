/**
 * The rate limits each network documents, which the mock applies to every
 * account when no test rule (`PUT /_mock/ratelimits`) names it: their
 * headers go on every answer, as the real networks send them, and a spent
 * one is the network's 429. Each budget is a fixed window per account (per
 * instance on Mastodon) over the calls it counts, a call taking `points`
 * (1 unless told). A call counted by several budgets takes from each, and
 * its headers tell the one closest to running out (Mastodon's and the PDS's
 * rule). LinkedIn sends no rate-limit headers; Meta's and the networks
 * beside the seven have no default here (their usage headers appear under
 * a test's rule). Sources: X `x-api/fundamentals/rate-limits.mdx` (per
 * user, per endpoint, 15 minutes); Mastodon `content/en/api/rate-limits.md`;
 * Bluesky's PDS `packages/pds/src/rate-limits.ts` and its `uploadBlob` (the
 * global limit is per IP there, per account here).
 */

export interface DefaultBudget {
  network: 'x' | 'mastodon' | 'bluesky';
  /** The budget's name: its endpoint on X, the bucket elsewhere. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** The calls it counts, `METHOD /route` (the route as the mock declares it) to the points each takes; `*` counts every call. */
  calls: Record<string, number>;
}

const X_WINDOW = 900;
const x = (call: string, limit: number): DefaultBudget => ({ network: 'x', name: call, limit, windowSeconds: X_WINDOW, calls: { [call]: 1 } });

export const DEFAULT_BUDGETS: readonly DefaultBudget[] = [
  x('POST /2/tweets', 100),
  x('DELETE /2/tweets/:id', 50),
  x('GET /2/tweets/:id', 900),
  x('GET /2/tweets', 5000),
  x('GET /2/users/me', 75),
  x('GET /2/users/:id/tweets', 900),
  x('POST /2/media/upload', 500),
  x('GET /2/media/upload', 1000),
  x('POST /2/media/upload/initialize', 1875),
  x('POST /2/media/upload/:id/append', 1875),
  x('POST /2/media/upload/:id/finalize', 1875),
  x('POST /2/media/metadata', 500),
  { network: 'mastodon', name: 'account', limit: 300, windowSeconds: 300, calls: { '*': 1 } },
  { network: 'mastodon', name: 'uploading', limit: 30, windowSeconds: 1800, calls: { 'POST /api/v1/media': 1, 'POST /api/v2/media': 1 } },
  { network: 'mastodon', name: 'deletion', limit: 30, windowSeconds: 1800, calls: { 'DELETE /api/v1/statuses/:id': 1 } },
  { network: 'bluesky', name: 'global', limit: 3000, windowSeconds: 300, calls: { '*': 1 } },
  { network: 'bluesky', name: 'repo-write-hour', limit: 5000, windowSeconds: 3600, calls: { 'POST /xrpc/com.atproto.repo.createRecord': 3, 'POST /xrpc/com.atproto.repo.deleteRecord': 1 } },
  { network: 'bluesky', name: 'repo-write-day', limit: 35000, windowSeconds: 86400, calls: { 'POST /xrpc/com.atproto.repo.createRecord': 3, 'POST /xrpc/com.atproto.repo.deleteRecord': 1 } },
  { network: 'bluesky', name: 'blob-upload', limit: 1000, windowSeconds: 86400, calls: { 'POST /xrpc/com.atproto.repo.uploadBlob': 1 } },
];

/** The points this call takes from the budget (0: it does not count it). */
export function pointsOf(budget: DefaultBudget, call: { method: string; route: string }): number {
  return budget.calls[`${call.method} ${call.route}`] ?? budget.calls['*'] ?? 0;
}
