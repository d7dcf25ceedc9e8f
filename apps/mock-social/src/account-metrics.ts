/**
 * Each account's own figures on the mock networks (followers and the rest),
 * served in each network's own shape where its API gives them (X's
 * `public_metrics`, Bluesky's profile, Mastodon's account, LinkedIn's
 * Threads' `threads_insights`, Instagram's and Facebook's
 * fields, YouTube's channel `statistics`, Pinterest's `user_account`). Zero until `PUT /_mock/account-metrics {network, handle, metrics}`
 * sets them, in that network's own field names; a set figure stays as set.
 * The posts counts some networks give default to the account's posts on
 * the mock.
 */
import { MockNetwork } from './networks';

export const ACCOUNT_FIELDS: Partial<Record<MockNetwork | 'youtube' | 'pinterest', readonly string[]>> = {
  x: ['followers_count', 'following_count', 'tweet_count', 'listed_count'],
  bluesky: ['followersCount', 'followsCount', 'postsCount'],
  mastodon: ['followers_count', 'following_count', 'statuses_count'],
  threads: ['followers_count'],
  instagram: ['followers_count', 'follows_count', 'media_count'],
  facebook: ['followers_count', 'fan_count'],
  youtube: ['subscriberCount', 'videoCount', 'viewCount'],
  pinterest: ['follower_count', 'following_count', 'pin_count', 'monthly_views'],
};

const MAX_FIGURE = 1_000_000_000_000;

export class AccountMetricsBook {
  private readonly set = new Map<string, Record<string, number>>();

  /** The figures asked for, or why not (each problem named). */
  put(body: unknown): { problems: string[] } | { network: string; handle: string; metrics: Record<string, number> } {
    const rule = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (!rule) return { problems: ['body must be a JSON object'] };
    const problems: string[] = [];
    const network = rule.network as keyof typeof ACCOUNT_FIELDS;
    const fields = ACCOUNT_FIELDS[network];
    if (!fields) problems.push(`network must be one of ${Object.keys(ACCOUNT_FIELDS).join(', ')}`);
    if (typeof rule.handle !== 'string' || rule.handle === '') problems.push('handle must be the account\'s handle on the mock (a non-empty string)');
    const metrics = rule.metrics && typeof rule.metrics === 'object' && !Array.isArray(rule.metrics) ? (rule.metrics as Record<string, unknown>) : undefined;
    if (!metrics) problems.push('metrics must be an object of the network\'s own field names');
    for (const [name, value] of Object.entries(metrics ?? {})) {
      if (fields && !fields.includes(name)) problems.push(`metrics.${name} is not one of ${network}'s: ${fields.join(', ')}`);
      if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FIGURE)) problems.push(`metrics.${name} must be an integer from 0 to ${MAX_FIGURE}`);
    }
    if (problems.length > 0) return { problems };
    const key = keyOf(network, rule.handle as string);
    const kept = { ...(this.set.get(key) ?? {}), ...(metrics as Record<string, number>) };
    this.set.set(key, kept);
    return { network, handle: rule.handle as string, metrics: kept };
  }

  clear(): void {
    this.set.clear();
  }

  /** The account's figure under its network's name: as set, else `fallback` (0 unless given). */
  of(network: string, handle: string, name: string, fallback = 0): number {
    return this.set.get(keyOf(network, handle))?.[name] ?? fallback;
  }
}

function keyOf(network: string, handle: string): string {
  return `${network}:${handle.toLowerCase()}`;
}
