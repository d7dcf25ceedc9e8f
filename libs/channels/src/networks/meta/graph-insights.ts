/**
 * Meta's media and post insights (Instagram, Threads, Facebook Pages):
 * `GET /{id}/insights?metric=…`, one post a call, answered as
 * `data: [{name, values: [{value}]}]` (or `total_value.value`). An id the
 * Graph API no longer knows (error 100, HTTP 400, or a 404) is gone.
 */
import { NetworkError } from '../../errors';
import { list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { MetricName, MetricsReading, PostMetrics, count, defined } from '../../metrics';
import { GRAPH_VERSION } from './meta-oauth';

/** The network's metric name → Herald's (or `extra`). */
export type InsightNames = Record<string, MetricName | 'extra'>;

/** `version`: the Graph version's path segment (`v21.0`; Threads' `v1.0`). */
export async function readGraphInsights(api: NetworkClient, id: string, names: InsightNames, version: string = GRAPH_VERSION): Promise<MetricsReading> {
  let body: unknown;
  try {
    body = (await api.get(`/${version}/${encodeURIComponent(id)}/insights`, { metric: Object.keys(names).join(',') })).body;
  } catch (error) {
    if (error instanceof NetworkError && (error.httpStatus === 404 || error.code === 'not_found')) return { externalId: id, gone: true };
    throw error;
  }
  const metrics: PostMetrics = { extra: {} };
  for (const entry of list(body, 'data')) {
    const { name, values, total_value: total } = entry as { name?: string; values?: Array<{ value?: unknown }>; total_value?: { value?: unknown } };
    const value = count(total?.value ?? values?.[values.length - 1]?.value);
    const ours = name ? names[name] : undefined;
    if (!name || value === undefined || !ours) continue;
    if (ours === 'extra') metrics.extra![name] = value;
    else metrics[ours] = value;
  }
  return { externalId: id, metrics: defined(metrics) };
}

export const INSTAGRAM_INSIGHTS: InsightNames = { views: 'impressions', likes: 'likes', comments: 'replies', shares: 'shares', saved: 'saves', reach: 'extra' };
export const THREADS_INSIGHTS: InsightNames = { views: 'impressions', likes: 'likes', replies: 'replies', reposts: 'reposts', quotes: 'quotes', shares: 'shares' };
export const FACEBOOK_INSIGHTS: InsightNames = { post_impressions: 'impressions', post_clicks: 'clicks', post_reactions_like_total: 'likes', post_impressions_unique: 'extra' };
