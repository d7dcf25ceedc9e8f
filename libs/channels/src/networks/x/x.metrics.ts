/**
 * X's figures of posts: `GET /2/tweets?ids=` (up to 100 ids a call) with
 * `tweet.fields=public_metrics` (and `non_public_metrics` where the token
 * allows: the account's own posts, less than 30 days old; asked for with
 * `withPrivate`). A post X cannot find comes back in `errors[]` as a
 * resource-not-found: gone.
 */
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { MetricsReading, count, defined } from '../../metrics';

export const X_METRICS_BATCH = 100;
/** X shows an author the non-public metrics of a post for 30 days after posting; asked for a little less (a post read at 29 d 23 h). */
export const X_NON_PUBLIC_MS = 30 * 86_400_000 - 3_600_000;

export async function readXMetrics(api: NetworkClient, ids: string[], withPrivate = false): Promise<MetricsReading[]> {
  const reply: HttpReply = await api.get('/2/tweets', { ids: ids.join(','), 'tweet.fields': withPrivate ? 'public_metrics,non_public_metrics' : 'public_metrics' });
  const readings: MetricsReading[] = list(reply.body, 'data').map((tweet) => {
    const pub = (tweet as { public_metrics?: Record<string, unknown> }).public_metrics ?? {};
    const priv = (tweet as { non_public_metrics?: Record<string, unknown> }).non_public_metrics ?? {};
    return {
      externalId: field(tweet, 'id') ?? '',
      metrics: defined({
        impressions: count(pub.impression_count),
        likes: count(pub.like_count),
        reposts: count(pub.retweet_count),
        replies: count(pub.reply_count),
        quotes: count(pub.quote_count),
        bookmarks: count(pub.bookmark_count),
        clicks: count(priv.url_link_clicks),
        extra: { ...(count(priv.user_profile_clicks) !== undefined ? { user_profile_clicks: count(priv.user_profile_clicks)! } : {}) },
      }),
    };
  });
  for (const error of list(reply.body, 'errors')) {
    const id = field(error, 'resource_id') ?? field(error, 'value');
    if (id && String(field(error, 'type') ?? '').endsWith('resource-not-found')) readings.push({ externalId: id, gone: true });
  }
  return readings;
}
