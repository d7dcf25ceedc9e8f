/**
 * Each network's posting caps per account, checked when a post is
 * scheduled: a delivery that would make a channel publish more than its
 * cap in some window (Threads 250 in 24 h, X 100 in 15 min, Instagram what
 * the account reports) is a 422 naming the channel, the cap and the window
 * now, not a failure at publish time. What is already scheduled, being
 * published or published on the channel counts, and so do the request's
 * own earlier posts. A delivery counts as the posts it makes on the
 * network: each part of a thread, and its first comment where the network
 * takes that as a reply (X, Bluesky, Mastodon, Threads); a comment on
 * LinkedIn, Facebook or Instagram is not a post.
 *
 * The caps come from the configuration (NETWORK_QUOTAS, documented
 * defaults); where the network reports the account's own (Instagram's
 * content publishing limit), it is asked, and its answer kept for an hour.
 * Checks of one channel are serialized by a transaction-scoped lock, so two
 * requests cannot both take the last place.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChannelAdapterRegistry, DESCRIBED_NETWORKS, HAS_THREADS, NETWORKS_CONFIG, Network, NetworksConfig, QuotaRule } from '@herald/channels';
import { Channel, ChannelsRepository, DeliveriesRepository, Executor, Tenant, TokenCipher } from '@herald/db';
import { Problem } from '../common/problems';
import { DraftContent } from './content-check';
import { NewPost } from './post-writer';

/** 422: the post would take a channel past its network's posting cap. */
export class QuotaExceeded extends Problem {
  constructor(
    detail: string,
    readonly channelId: string,
  ) {
    super(422, 'Posting quota exceeded', detail, [{ path: 'channelIds', message: detail }]);
  }
}

const ACCOUNT_QUOTA_TTL_MS = 3_600_000;

/** One posting cap of a channel around a time: how many posts it allows in its window, and how many more fit there after this one. */
export interface QuotaRoom {
  posts: number;
  windowMs: number;
  window: string;
  left: number;
}

/**
 * One request's (or bulk chunk's) view: the times it has already added per
 * channel, so its later posts count them, and the stored counts it read for
 * many times at once.
 */
export class QuotaLedger {
  readonly added = new Map<string, number[]>();
  readonly counted = new Map<string, number>();

  static countKey(channelId: string, rule: QuotaRule, time: number): string {
    return `${channelId}|${rule.windowMs}|${time}`;
  }
}

@Injectable()
export class PostingQuotas {
  private readonly logger = new Logger(PostingQuotas.name);
  private readonly accountQuotas = new Map<string, { rule: QuotaRule | undefined; until: number }>();

  constructor(
    @Inject(NETWORKS_CONFIG) private readonly networks: NetworksConfig,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly deliveries: DeliveriesRepository,
    private readonly channels: ChannelsRepository,
    private readonly cipher: TokenCipher,
  ) {}

  /** Whether any of these channels has a cap to check (the others need no lock and no count). */
  capped(channels: Iterable<Channel>): Channel[] {
    return [...channels].filter((channel) => {
      const setting = this.networks.quotas[channel.network];
      return setting !== undefined && (setting.rules.length > 0 || setting.account === true);
    });
  }

  /** Takes the channels' quota locks for the transaction (sorted, so two requests never wait on each other in a cycle). */
  async lock(tenant: Tenant, channels: Channel[], tx: Executor): Promise<void> {
    if (channels.length > 0) await this.channels.lockForQuota(tenant, channels.map((channel) => channel.id), tx);
  }

  /**
   * Throws QuotaExceeded when one of the post's deliveries (each with its
   * time set) would take its channel past a cap; else adds them to the
   * ledger. Deliveries without a time (drafts, those awaiting approval
   * without a time asked) do not count.
   */
  async admit(tenant: Tenant, post: NewPost, ledger: QuotaLedger, tx: Executor): Promise<void> {
    for (const delivery of post.deliveries) {
      if (!delivery.at) continue;
      const rules = await this.rulesOf(tenant, delivery.channel);
      const made = postsMade(post.content, delivery.channel.network);
      for (const rule of rules) await this.check(tenant, delivery.channel, delivery.at, rule, ledger.added.get(delivery.channel.id) ?? [], tx, made, ledger);
    }
    for (const delivery of post.deliveries) {
      // One awaiting approval holds no place until it is approved (checked again then).
      if (!delivery.at || delivery.status !== 'scheduled') continue;
      const added = ledger.added.get(delivery.channel.id) ?? [];
      added.push(...Array<number>(postsMade(post.content, delivery.channel.network)).fill(delivery.at.getTime()));
      ledger.added.set(delivery.channel.id, added);
    }
  }

  /**
   * Many posts in order (a bulk chunk's fixed-time ones): the stored counts
   * around all their times are read first, one statement per channel and
   * cap; then each post is admitted as `admit` does. Answers the refusals by
   * post id (those posts are not added to the ledger).
   */
  async admitAll(tenant: Tenant, posts: NewPost[], ledger: QuotaLedger, tx: Executor): Promise<Map<string, QuotaExceeded>> {
    const times = new Map<string, { channel: Channel; times: Set<number> }>();
    for (const post of posts) {
      for (const delivery of post.deliveries) {
        if (!delivery.at) continue;
        const entry = times.get(delivery.channel.id) ?? { channel: delivery.channel, times: new Set<number>() };
        entry.times.add(delivery.at.getTime());
        times.set(delivery.channel.id, entry);
      }
    }
    for (const { channel, times: set } of times.values()) {
      const list = [...set];
      for (const rule of await this.rulesOf(tenant, channel)) {
        const counts = await this.deliveries.quotaCounts(tenant, channel.id, list.map((time) => new Date(time)), rule.windowMs, rule.posts + 1, commentIsPost(channel), tx);
        list.forEach((time, index) => ledger.counted.set(QuotaLedger.countKey(channel.id, rule, time), counts[index] ?? 0));
      }
    }
    const refused = new Map<string, QuotaExceeded>();
    for (const post of posts) {
      try {
        await this.admit(tenant, post, ledger, tx);
      } catch (error) {
        if (!(error instanceof QuotaExceeded)) throw error;
        refused.set(post.id, error);
      }
    }
    return refused;
  }

  /**
   * For a delivery already written at its new time (a post moved by PATCH):
   * throws QuotaExceeded when its channel now has more than a cap in a window
   * that holds it (the caller's transaction then undoes the move).
   */
  async admitMoved(tenant: Tenant, channel: Channel, at: Date, tx: Executor): Promise<void> {
    for (const rule of await this.rulesOf(tenant, channel)) await this.check(tenant, channel, at, rule, [], tx, 0);
  }

  /**
   * For a delivery that waits for approval with a time asked (it is not
   * counted while it waits): throws QuotaExceeded when that time would take
   * its channel past a cap as things stand, so the writer learns it now; the
   * approval checks again. `content`: the post's, for the posts it makes.
   */
  async admitAsked(tenant: Tenant, channel: Channel, at: Date, content: Pick<DraftContent, 'parts' | 'firstComment'>, tx: Executor): Promise<void> {
    for (const rule of await this.rulesOf(tenant, channel)) await this.check(tenant, channel, at, rule, [], tx, postsMade(content, channel.network));
  }

  /**
   * For a dry run, after `admit` took the delivery at `at`: the room each cap
   * leaves in its fullest window that holds `at`, counting that delivery
   * (the posts it makes: `content`'s parts and comment).
   */
  async roomAt(tenant: Tenant, channel: Channel, at: Date, content: Pick<DraftContent, 'parts' | 'firstComment'>, tx: Executor): Promise<QuotaRoom[]> {
    const rooms: QuotaRoom[] = [];
    const t = at.getTime();
    const made = postsMade(content, channel.network);
    for (const rule of await this.rulesOf(tenant, channel)) {
      const existing = await this.deliveries.quotaTimes(tenant, channel.id, new Date(t - rule.windowMs), new Date(t + rule.windowMs), rule.posts * 20, commentIsPost(channel), tx);
      const fullest = fullestWindow(
        existing.map((date) => date.getTime()),
        [],
        t,
        rule.windowMs,
      );
      rooms.push({ posts: rule.posts, windowMs: rule.windowMs, window: describeWindow(rule.windowMs), left: Math.max(0, rule.posts - fullest - made) });
    }
    return rooms;
  }

  /** `itself`: the posts the delivery makes, not yet among the stored ones (0 when it is: a delivery moved). */
  private async check(tenant: Tenant, channel: Channel, at: Date, rule: QuotaRule, added: number[], tx: Executor, itself: number, ledger?: QuotaLedger): Promise<void> {
    const t = at.getTime();
    const near = added.filter((time) => Math.abs(time - t) < rule.windowMs);
    // Cheap first: everything within a window either side, counted up to the cap (read before, for a bulk). Below it, no window can be full.
    const around =
      ledger?.counted.get(QuotaLedger.countKey(channel.id, rule, t)) ?? (await this.deliveries.quotaCounts(tenant, channel.id, [at], rule.windowMs, rule.posts + 1, commentIsPost(channel), tx))[0] ?? 0;
    if (around + near.length + itself <= rule.posts) return;
    const existing = await this.deliveries.quotaTimes(tenant, channel.id, new Date(t - rule.windowMs), new Date(t + rule.windowMs), rule.posts * 20, commentIsPost(channel), tx);
    const fullest = fullestWindow(
      existing.map((date) => date.getTime()),
      near,
      t,
      rule.windowMs,
    );
    if (fullest + itself <= rule.posts) return;
    const makes = itself > 1 ? `, and this one makes ${itself} (each part of a thread, and a first comment that is a reply, is a post)` : '';
    throw new QuotaExceeded(
      `channel ${channel.id} (${channel.network} ${channel.handle}) may publish at most ${rule.posts} posts in ${describeWindow(rule.windowMs)}; ` +
        `${itself > 0 ? fullest : fullest - 1} are already scheduled in a ${describeWindow(rule.windowMs)} window that holds ${at.toISOString()}${makes}${quotaNoteOf(channel.network)}`,
      channel.id,
    );
  }

  /** The configured caps, and the account's own where the network reports it (asked once an hour; the configured ones stand in when it cannot be asked). */
  private async rulesOf(tenant: Tenant, channel: Channel): Promise<QuotaRule[]> {
    const setting = this.networks.quotas[channel.network];
    if (!setting) return [];
    if (!setting.account) return setting.rules;
    const account = await this.accountQuota(tenant, channel);
    return account ? [account] : setting.rules;
  }

  private async accountQuota(tenant: Tenant, listed: Channel): Promise<QuotaRule | undefined> {
    const cached = this.accountQuotas.get(listed.id);
    if (cached && cached.until > Date.now()) return cached.rule;
    const adapter = this.adapters.get(listed.network as Network);
    let rule: QuotaRule | undefined;
    try {
      // The channel as the post's checks read it carries no token: read it with its credentials.
      const channel = (await this.channels.find(tenant, listed.id)) ?? listed;
      const quota = await adapter.postingQuota?.({
        credentials: {
          handle: channel.handle,
          accessToken: this.cipher.decrypt(channel.accessToken),
          ...(channel.accountId ? { accountId: channel.accountId } : {}),
          ...(channel.host ? { host: channel.host } : {}),
        },
      });
      rule = quota ? { posts: quota.posts, windowMs: quota.windowMs } : undefined;
    } catch (error) {
      // Not a reason to refuse the post: the documented cap stands in, and the network is asked again next time.
      this.logger.warn({ msg: 'could not read the account\'s posting quota; using the configured one', channelId: listed.id, network: listed.network, error: String(error) });
      return undefined;
    }
    this.accountQuotas.set(listed.id, { rule, until: Date.now() + ACCOUNT_QUOTA_TTL_MS });
    return rule;
  }
}

/** Why a network's cap is what it is, where its descriptor says (YouTube: an upload's share of the day's units). */
function quotaNoteOf(network: string): string {
  const note = DESCRIBED_NETWORKS.find((descriptor) => descriptor.network === network)?.quotaNote;
  return note ? ` (${note})` : '';
}

/**
 * The most posts any window of `windowMs` that holds `t` already has, from
 * the existing times and the request's own: for each start s in (t - W, t]
 * among the times (and t itself), the count in [s, s + W).
 */
export function fullestWindow(existing: number[], added: number[], t: number, windowMs: number): number {
  const times = [...existing, ...added].filter((time) => time > t - windowMs && time < t + windowMs).sort((a, b) => a - b);
  // Windows starting at t, or at a time before it that is less than W earlier.
  let fullest = times.length - lowerBound(times, t) - (times.length - lowerBound(times, t + windowMs));
  for (let i = 0; i < times.length && times[i]! <= t; i += 1) {
    fullest = Math.max(fullest, lowerBound(times, times[i]! + windowMs) - i);
  }
  return fullest;
}

/** The first index whose time is at least `value` (times sorted). */
function lowerBound(times: number[], value: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function describeWindow(ms: number): string {
  if (ms % 86_400_000 === 0 && ms >= 86_400_000) return ms === 86_400_000 ? '24 hours' : `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? '1 hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return `${ms / 60_000} minutes`;
  return `${ms / 1000} seconds`;
}

/** How many posts a delivery of this content makes on a network: each part, and the first comment where it is a reply (a post of its own). */
export function postsMade(content: Pick<DraftContent, 'parts' | 'firstComment'>, network: string): number {
  const parts = content.parts && content.parts.length > 0 ? content.parts.length : 1;
  return parts + (content.firstComment && HAS_THREADS[network as Network] ? 1 : 0);
}

/** The channel's network takes a first comment as a reply: it counts against the posting caps. */
function commentIsPost(channel: Channel): boolean {
  return HAS_THREADS[channel.network as Network] ?? false;
}
