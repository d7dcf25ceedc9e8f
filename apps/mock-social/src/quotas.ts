/**
 * The posting quotas Threads and Instagram enforce at their publish step:
 * a number of posts per account in a rolling 24 hours (a carousel is one
 * post; replies and comments are not posts). Threads allows 250 (its
 * overview page, "Posts"), and 1,000 replies on a quota of their own
 * (`reply_quota_usage`); Instagram's
 * pages disagree (25, 50 or 100): the mock uses 100, what
 * `content_publishing_limit` answers today. `PUT /_mock/quotas` sets an
 * account's (or the network's) `quota_total`. Usage is counted from the
 * posts the mock keeps, so `DELETE /_mock/posts` empties it too.
 */
import { randomUUID } from 'node:crypto';
import { MockPost } from './store';

export const QUOTA_NETWORKS = ['threads', 'instagram'] as const;
export type QuotaNetwork = (typeof QUOTA_NETWORKS)[number];

export const DEFAULT_QUOTA_TOTAL: Record<QuotaNetwork, number> = { threads: 250, instagram: 100 };
export const QUOTA_DURATION_SECONDS = 86_400;
/** Threads' replies per account in 24 hours (its `reply_config.quota_total`). */
export const THREADS_REPLY_QUOTA = 1000;

export interface QuotaInput {
  network: QuotaNetwork;
  /** One account; without it, every account of the network. */
  handle?: string;
  quotaTotal: number;
}

export interface QuotaRule extends QuotaInput {
  id: string;
}

export class PublishQuotas {
  private rules: QuotaRule[] = [];

  /** Sets a rule; one for the same network and handle is replaced. */
  set(input: QuotaInput): QuotaRule {
    const rule: QuotaRule = { id: randomUUID(), network: input.network, ...(input.handle !== undefined ? { handle: input.handle } : {}), quotaTotal: input.quotaTotal };
    this.rules = this.rules.filter((other) => !(other.network === rule.network && other.handle === rule.handle));
    this.rules.push(rule);
    return rule;
  }

  list(): QuotaRule[] {
    return this.rules;
  }

  clear(): void {
    this.rules = [];
  }

  /** The account's quota_total: its own rule's, else the network's rule's, else the network's default. */
  totalFor(network: QuotaNetwork, handle: string): number {
    const own = this.rules.find((rule) => rule.network === network && rule.handle === handle);
    const all = this.rules.find((rule) => rule.network === network && rule.handle === undefined);
    return (own ?? all)?.quotaTotal ?? DEFAULT_QUOTA_TOTAL[network];
  }
}

/** How many of an account's posts (oldest first, as the store keeps them) were received in the 24 hours before `now`: a binary search, not a scan. */
export function postsInLastDay(posts: readonly MockPost[], now = Date.now()): number {
  const since = now - QUOTA_DURATION_SECONDS * 1000;
  let low = 0;
  let high = posts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (Date.parse(posts[middle]!.receivedAt) > since) high = middle;
    else low = middle + 1;
  }
  return posts.length - low;
}

/** How many of an account's posts (its timeline) are replies received in the 24 hours before `now`: Threads counts them apart. */
export function repliesInLastDay(posts: readonly MockPost[], now = Date.now()): number {
  const since = now - QUOTA_DURATION_SECONDS * 1000;
  return posts.filter((post) => post.kind === 'reply' && Date.parse(post.receivedAt) > since).length;
}
