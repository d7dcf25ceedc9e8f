/**
 * What a published post earned, as each network reports it, under names
 * shared across networks where they mean the same (PRODUCT.md §11); what a
 * network reports beyond those goes under `extra`, in its own words.
 */
import { CallContext } from './adapter';

export const METRIC_NAMES = ['impressions', 'likes', 'reposts', 'replies', 'quotes', 'bookmarks', 'clicks', 'saves', 'shares', 'videoViews'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The figures of one post at one moment; a name the network does not report is absent (not zero). */
export type PostMetrics = Partial<Record<MetricName, number>> & { extra?: Record<string, number> };

/** The names whose sum is a post's engagements (impressions and video views are not engagements). */
export const ENGAGEMENT_NAMES: readonly MetricName[] = ['likes', 'reposts', 'replies', 'quotes', 'bookmarks', 'saves', 'shares', 'clicks'];

export function engagementsOf(metrics: PostMetrics): number {
  return ENGAGEMENT_NAMES.reduce((sum, name) => sum + (metrics[name] ?? 0), 0);
}

/** The figures of these posts (the networks' own ids, as Herald recorded them), at most the adapter's `metricsBatchSize` at once. */
export interface MetricsRequest extends CallContext {
  externalIds: string[];
  /** When each was published (same order), where known: a network that shows its author more for a while (X, 30 days) asks for it then. */
  publishedAt?: Date[];
}

/** One post's figures, or `gone`: the network says the post is no longer there (deleted). */
export type MetricsReading = { externalId: string; metrics: PostMetrics } | { externalId: string; gone: true };

/** A figure the network gave as a number (or numeric string); undefined otherwise. */
export function count(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? Math.floor(number) : undefined;
}

/** Drops the names the network did not give, so "absent" stays absent. */
export function defined(metrics: PostMetrics): PostMetrics {
  const out: PostMetrics = {};
  for (const name of METRIC_NAMES) if (metrics[name] !== undefined) out[name] = metrics[name];
  const extra = Object.fromEntries(Object.entries(metrics.extra ?? {}).filter(([, value]) => value !== undefined));
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}

/**
 * An account's own figures at one moment (PRODUCT.md §11: followers, once a
 * day per channel): what the network gives, under shared names; the rest
 * under `extra` in its own words. A name it does not give is absent.
 */
export interface AccountFigures {
  followers?: number;
  following?: number;
  posts?: number;
  extra?: Record<string, number>;
}

/** Drops what the network did not give (so "absent" stays absent). */
export function accountFigures(figures: { followers?: number; following?: number; posts?: number; extra?: Record<string, number | undefined> }): AccountFigures {
  const out: AccountFigures = {};
  if (figures.followers !== undefined) out.followers = figures.followers;
  if (figures.following !== undefined) out.following = figures.following;
  if (figures.posts !== undefined) out.posts = figures.posts;
  const extra = Object.fromEntries(Object.entries(figures.extra ?? {}).filter((entry): entry is [string, number] => entry[1] !== undefined));
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}
