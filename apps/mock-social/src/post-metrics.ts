/**
 * What each post earned on the mock networks: figures that grow with the
 * post's age along a curve fixed by its id (so a test can predict them),
 * unless `PUT /_mock/metrics {network, id, metrics}` set them, in that
 * network's own field names (X's `like_count`, Bluesky's `likeCount`,
 * Mastodon's `favourites_count`, LinkedIn's `totalLikes`, Meta's insight
 * names): a set figure stays as set, the others keep growing.
 */
import { createHash } from 'node:crypto';
import { MockNetwork } from './networks';
import { MORE_MOCK_NETWORKS, MoreMockNetwork } from './networks/more';
import { MockPost } from './store';

/** Each network's own names for the figures it serves; the first are the large ones (impressions, views). */
export const METRIC_FIELDS: Record<MockNetwork, readonly string[]> = {
  // The first six are X's public_metrics; the last two only in its non_public_metrics (with impression_count).
  x: ['impression_count', 'like_count', 'retweet_count', 'reply_count', 'quote_count', 'bookmark_count', 'url_link_clicks', 'user_profile_clicks'],
  bluesky: ['likeCount', 'repostCount', 'replyCount', 'quoteCount'],
  mastodon: ['favourites_count', 'reblogs_count', 'replies_count', 'quotes_count'],
  linkedin: ['totalLikes', 'aggregatedTotalComments'],
  instagram: ['views', 'reach', 'likes', 'comments', 'shares', 'saved'],
  threads: ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares'],
  facebook: ['post_impressions', 'post_impressions_unique', 'post_clicks', 'post_reactions_like_total'],
  // The networks beside the seven name theirs in their own folders.
  ...(Object.fromEntries(MORE_MOCK_NETWORKS.map((module) => [module.name, module.metricFields])) as unknown as Record<MoreMockNetwork, readonly string[]>),
};

const LARGE = new Set(['impression_count', 'views', 'reach', 'post_impressions', 'post_impressions_unique', ...MORE_MOCK_NETWORKS.flatMap((module) => module.largeMetrics)]);
const MAX_FIGURE = 1_000_000_000_000;

export class PostMetricsBook {
  private readonly set = new Map<string, Record<string, number>>();

  /** The figures asked for, or why not (each problem named). */
  put(body: unknown): { problems: string[] } | { network: MockNetwork; id: string; metrics: Record<string, number> } {
    const rule = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (!rule) return { problems: ['body must be a JSON object'] };
    const problems: string[] = [];
    const network = rule.network as MockNetwork;
    const fields = METRIC_FIELDS[network];
    if (!fields) problems.push(`network must be one of ${Object.keys(METRIC_FIELDS).join(', ')}`);
    if (typeof rule.id !== 'string' || rule.id === '') problems.push('id must be the network\'s id of the post (a non-empty string)');
    const metrics = rule.metrics && typeof rule.metrics === 'object' && !Array.isArray(rule.metrics) ? (rule.metrics as Record<string, unknown>) : undefined;
    if (!metrics) problems.push('metrics must be an object of the network\'s own field names');
    for (const [name, value] of Object.entries(metrics ?? {})) {
      if (fields && !fields.includes(name)) problems.push(`metrics.${name} is not one of ${network}'s: ${fields.join(', ')}`);
      if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FIGURE)) problems.push(`metrics.${name} must be an integer from 0 to ${MAX_FIGURE}`);
    }
    if (problems.length > 0) return { problems };
    const id = rule.id as string;
    const kept = { ...(this.set.get(id) ?? {}), ...(metrics as Record<string, number>) };
    this.set.set(id, kept);
    return { network, id, metrics: kept };
  }

  clear(): void {
    this.set.clear();
  }

  /** The post's figures now, in its network's own names. */
  of(post: MockPost, now = Date.now()): Record<string, number> {
    const fields = METRIC_FIELDS[post.network as MockNetwork] ?? [];
    const ageMinutes = Math.max(0, (now - Date.parse(post.createdAt)) / 60_000);
    const set = this.set.get(post.id) ?? {};
    return Object.fromEntries(fields.map((name) => [name, set[name] ?? grown(post.id, name, ageMinutes)]));
  }
}

/** The curve: a post's own pace per figure (1–20), times the log of its age, larger for impressions. */
export function grown(id: string, name: string, ageMinutes: number): number {
  const pace = (createHash('sha256').update(`${id}:${name}`).digest().readUInt32BE(0) % 20) + 1;
  return Math.floor(pace * Math.log2(1 + ageMinutes) * (LARGE.has(name) ? 50 : 1));
}
