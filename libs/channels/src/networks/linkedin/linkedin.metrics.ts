/**
 * LinkedIn's figures of a post: `GET /rest/socialActions/{urn}` (likes and
 * comments summaries: `likesSummary.totalLikes`,
 * `commentsSummary.aggregatedTotalComments`), one post a call; for a post
 * of an organisation page, also `GET /rest/organizationalEntityShareStatistics`
 * (`totalShareStatistics`: impressions, clicks, shares). A 404 is a post
 * deleted: gone.
 */
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { MetricsReading, PostMetrics, count, defined } from '../../metrics';

export async function readLinkedInMetrics(api: NetworkClient, urn: string, author: string, headers: Record<string, string>): Promise<MetricsReading> {
  let actions: Record<string, unknown>;
  try {
    actions = (await api.get(`/rest/socialActions/${encodeURIComponent(urn)}`, undefined, headers)).body as Record<string, unknown>;
  } catch (error) {
    if (error instanceof NetworkError && error.httpStatus === 404) return { externalId: urn, gone: true };
    throw error;
  }
  const metrics: PostMetrics = {
    likes: count(field(actions, 'likesSummary', 'totalLikes') ?? (actions.likesSummary as { totalLikes?: unknown } | undefined)?.totalLikes),
    replies: count((actions.commentsSummary as { aggregatedTotalComments?: unknown } | undefined)?.aggregatedTotalComments),
  };
  if (author.startsWith('urn:li:organization:')) Object.assign(metrics, await shareStatistics(api, urn, author, headers));
  return { externalId: urn, metrics: defined(metrics) };
}

async function shareStatistics(api: NetworkClient, urn: string, organization: string, headers: Record<string, string>): Promise<PostMetrics> {
  const kind = urn.startsWith('urn:li:ugcPost:') ? 'ugcPosts' : 'shares';
  const reply = await api.get('/rest/organizationalEntityShareStatistics', { q: 'organizationalEntity', organizationalEntity: organization, [`${kind}[0]`]: urn }, headers);
  const totals = ((list(reply.body, 'elements')[0] as { totalShareStatistics?: Record<string, unknown> } | undefined)?.totalShareStatistics ?? {}) as Record<string, unknown>;
  return { impressions: count(totals.impressionCount), clicks: count(totals.clickCount), shares: count(totals.shareCount), extra: { ...(count(totals.uniqueImpressionsCount) !== undefined ? { uniqueImpressionsCount: count(totals.uniqueImpressionsCount)! } : {}) } };
}
