/**
 * Bluesky's figures of posts: `app.bsky.feed.getPosts` (the AppView's read,
 * proxied by the account's PDS), up to 25 `uris` a call, each post's
 * `likeCount`, `repostCount`, `replyCount`, `quoteCount` (and `bookmarkCount`
 * where the AppView gives it). Bluesky gives no impressions. A URI it does
 * not answer for is a post no longer there: gone.
 */
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { MetricsReading, count, defined } from '../../metrics';

export const BLUESKY_METRICS_BATCH = 25;

export async function readBlueskyMetrics(api: NetworkClient, uris: string[]): Promise<MetricsReading[]> {
  const query = uris.map((uri) => `uris=${encodeURIComponent(uri)}`).join('&');
  const reply = await api.get(`/xrpc/app.bsky.feed.getPosts?${query}`);
  const seen = new Map<string, MetricsReading>();
  for (const post of list(reply.body, 'posts')) {
    const uri = field(post, 'uri');
    if (!uri) continue;
    const counts = post as Record<string, unknown>;
    seen.set(uri, {
      externalId: uri,
      metrics: defined({
        likes: count(counts.likeCount),
        reposts: count(counts.repostCount),
        replies: count(counts.replyCount),
        quotes: count(counts.quoteCount),
        bookmarks: count(counts.bookmarkCount),
      }),
    });
  }
  return uris.map((uri) => seen.get(uri) ?? { externalId: uri, gone: true });
}
