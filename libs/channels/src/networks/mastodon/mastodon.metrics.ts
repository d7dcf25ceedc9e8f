/**
 * Mastodon's figures of a status: `GET /api/v1/statuses/:id`, one status a
 * call: `favourites_count`, `reblogs_count`, `replies_count` (and
 * `quotes_count` from 4.5). Mastodon counts no impressions. A 404 is a
 * status deleted: gone.
 */
import { NetworkError } from '../../errors';
import { NetworkClient } from '../../http/network-client';
import { MetricsReading, count, defined } from '../../metrics';

export async function readMastodonMetrics(api: NetworkClient, id: string): Promise<MetricsReading> {
  try {
    const status = (await api.get(`/api/v1/statuses/${encodeURIComponent(id)}`)).body as Record<string, unknown>;
    return {
      externalId: id,
      metrics: defined({ likes: count(status.favourites_count), reposts: count(status.reblogs_count), replies: count(status.replies_count), quotes: count(status.quotes_count) }),
    };
  } catch (error) {
    if (error instanceof NetworkError && error.httpStatus === 404) return { externalId: id, gone: true };
    throw error;
  }
}
