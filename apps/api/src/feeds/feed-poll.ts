/**
 * One poll of one feed: a conditional GET through `Outbound` (the URL
 * policy on every hop; `If-None-Match` / `If-Modified-Since` from the last
 * answer, so a 304 is answered without reading or parsing anything), the
 * document parsed, and each item not seen before made into a post through
 * the bulk use case (the placement core), its feed item written in the
 * same transaction as its post: an item (a guid) makes one post, once. A
 * poll that fails is counted; after MAX_FAILURES in a row the feed is
 * `broken` (shown, not polled until someone sets it active), and until
 * then it is tried again later and later (backoff).
 */
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ChannelAdapterRegistry, Network, Outbound, OutboundFailed, refusalOf } from '@herald/channels';
import { Channel, ChannelsRepository, FeedItemRecord, FeedItemsRepository, FeedRow, FeedsRepository, SYSTEM, Tenant } from '@herald/db';
import { AccessService } from '../access';
import { Conflict } from '../common/problems';
import { BulkCreatePostsCommand, BulkCreatePostsUseCase } from '../posts';
import { FeedItem, FeedUnreadable, parseFeed, render } from './feed-parser';

/** Polls failed in a row before a feed is marked broken. */
export const MAX_FAILURES = 5;
/** The longest wait between two tries of a failing feed. */
const MAX_BACKOFF_SECONDS = 6 * 3600;
/** The most of a feed document read. */
const MAX_FEED_BYTES = 2 * 1024 * 1024;
const FEED_TIMEOUT_MS = 10_000;
export const DEFAULT_TEMPLATE = '{{title}} {{link}}';

export interface PollOutcome {
  outcome: 'changed' | 'not_modified' | 'failed';
  newItems: number;
  postsCreated: number;
}

@Injectable()
export class FeedPoll {
  private readonly logger = new Logger(FeedPoll.name);

  constructor(
    private readonly outbound: Outbound,
    private readonly feeds: FeedsRepository,
    private readonly items: FeedItemsRepository,
    private readonly channels: ChannelsRepository,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly access: AccessService,
    private readonly bulkCreate: BulkCreatePostsUseCase,
  ) {}

  async poll(feed: FeedRow): Promise<PollOutcome> {
    let answer: Awaited<ReturnType<Outbound['fetch']>>;
    try {
      answer = await this.outbound.fetch(feed.url, {
        method: 'GET',
        headers: {
          accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
          'user-agent': 'Herald feed reader',
          ...(feed.etag ? { 'if-none-match': feed.etag } : {}),
          ...(feed.lastModified ? { 'if-modified-since': feed.lastModified } : {}),
        },
        timeoutMs: FEED_TIMEOUT_MS,
        maxRedirects: 3,
        maxBytes: MAX_FEED_BYTES,
      });
    } catch (error) {
      const refusal = refusalOf(error);
      return this.fail(feed, refusal ? `Refused: the URL ${refusal}` : error instanceof OutboundFailed ? error.message : `${feed.url} could not be read`);
    }
    if (answer.status === 304) {
      await this.feeds.polled(SYSTEM, feed.id, { etag: feed.etag, lastModified: feed.lastModified, changed: false }, feed.intervalMinutes * 60);
      return { outcome: 'not_modified', newItems: 0, postsCreated: 0 };
    }
    if (answer.status !== 200) return this.fail(feed, `${feed.url} answered HTTP ${answer.status}`);
    let parsed: FeedItem[];
    try {
      parsed = parseFeed(answer.body.toString('utf8'), headerOf(answer.headers['content-type']) ?? '');
    } catch (error) {
      if (!(error instanceof FeedUnreadable)) throw error;
      return this.fail(feed, `The document at ${feed.url} ${error.message}`);
    }
    const tenant = this.access.feedTenant(feed.workspaceId);
    const fresh = await this.freshItems(tenant, feed, parsed);
    let postsCreated = 0;
    if (fresh.length > 0) {
      if (feed.skipExisting && feed.lastChangedAt === null) {
        await this.items.record(tenant, feed.id, fresh.map((item) => recordOf(item, null, 'in the feed when it was added (skipExisting)')));
      } else {
        postsCreated = await this.post(tenant, feed, fresh);
      }
    }
    await this.feeds.polled(SYSTEM, feed.id, { etag: headerOf(answer.headers.etag) ?? null, lastModified: headerOf(answer.headers['last-modified']) ?? null, changed: true }, feed.intervalMinutes * 60);
    return { outcome: 'changed', newItems: fresh.length, postsCreated };
  }

  /** The items this feed has not seen, oldest first (a feed lists its newest first), each guid once. */
  private async freshItems(tenant: Tenant, feed: FeedRow, parsed: FeedItem[]): Promise<FeedItem[]> {
    const unique = new Map<string, FeedItem>();
    for (const item of parsed) if (!unique.has(item.guid)) unique.set(item.guid, item);
    const known = await this.items.known(tenant, feed.id, [...unique.keys()]);
    return [...unique.values()].filter((item) => !known.has(item.guid)).reverse();
  }

  /** Each item as a post (the feed's maker as author), its item kept in the post's transaction; a refused item is kept with why. */
  private async post(tenant: Tenant, feed: FeedRow, fresh: FeedItem[]): Promise<number> {
    const channels = await this.channels.liveAmong(tenant, feed.channelIds, 'none');
    const inputs = fresh.map((item) => this.inputOf(feed, item, channels));
    const keep = async (made: { index: number; postId: string }[], tx: Parameters<NonNullable<BulkCreatePostsCommand['keep']>>[1]) => {
      const written = await this.items.record(tenant, feed.id, made.map(({ index, postId }) => recordOf(fresh[index]!, postId, null)), tx);
      if (written.length < made.length) throw new Conflict('Another poll of this feed took these items');
    };
    const auth = this.access.feedAuth(feed, `feed-${feed.id.slice(0, 8)}-${randomUUID().slice(0, 8)}`);
    const result = await this.bulkCreate.execute(new BulkCreatePostsCommand(auth, inputs, keep));
    const refused = result.data.flatMap((item) => ('problem' in item ? [recordOf(fresh[item.index]!, null, item.problem.detail.slice(0, 1000))] : []));
    await this.items.record(tenant, feed.id, refused);
    if (refused.length > 0) this.logger.warn({ msg: 'feed items refused', feedId: feed.id, refused: refused.length });
    return result.created;
  }

  /** The post an item makes: the template, and for a channel whose network it does not fit, the title cut until it does. */
  private inputOf(feed: FeedRow, item: FeedItem, channels: Channel[]): Record<string, unknown> {
    const text = render(feed.template, item);
    const variants: Record<string, string> = {};
    for (const channel of channels) {
      const fitted = this.fit(feed.template, item, channel);
      if (fitted !== text) variants[channel.id] = fitted;
    }
    return {
      text,
      channelIds: feed.channelIds,
      schedule: { mode: feed.mode },
      ...(Object.keys(variants).length > 0 ? { variants } : {}),
    };
  }

  /** The item's text for one channel: as rendered, or with the title (then the summary) cut, ending in "…", until the network takes it. */
  private fit(template: string, item: FeedItem, channel: Channel): string {
    const adapter = this.adapters.get(channel.network as Network);
    const tooLong = (text: string) => adapter.validate({ text, media: [] }, channel.details).some((violation) => violation.code === 'text_too_long');
    const full = render(template, item);
    if (!tooLong(full)) return full;
    const cut = (value: string, length: number) => (length >= value.length ? value : `${value.slice(0, Math.max(0, length)).trimEnd()}…`);
    const summaryless = render(template, { ...item, summary: '' });
    const base = tooLong(summaryless) ? { ...item, summary: '' } : item;
    const field: 'title' | 'summary' = base.summary ? 'summary' : 'title';
    let low = 0;
    let high = base[field].length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (tooLong(render(template, { ...base, [field]: cut(base[field], middle) }))) high = middle - 1;
      else low = middle;
    }
    return render(template, { ...base, [field]: cut(base[field], low) });
  }

  private async fail(feed: FeedRow, why: string): Promise<PollOutcome> {
    const failures = feed.failures + 1;
    const retryIn = Math.min(feed.intervalMinutes * 60 * 2 ** failures, MAX_BACKOFF_SECONDS);
    await this.feeds.failed(SYSTEM, feed.id, why.slice(0, 500), retryIn, failures >= MAX_FAILURES);
    this.logger.warn({ msg: 'feed poll failed', feedId: feed.id, failures, why });
    return { outcome: 'failed', newItems: 0, postsCreated: 0 };
  }
}

function recordOf(item: FeedItem, postId: string | null, problem: string | null): FeedItemRecord {
  return { guid: item.guid, title: item.title.slice(0, 1000), link: item.link.slice(0, 2048), postId, problem };
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
