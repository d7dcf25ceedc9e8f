/** `/v1/feeds`: follow a feed for a set of channels, list, change, pause, remove, poll now. */
import { Injectable } from '@nestjs/common';
import { Outbound } from '@herald/channels';
import { ChannelsRepository, FeedItemsRepository, FeedRow, FeedsRepository, Tenant } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { NotFound, UnprocessableRequest } from '../common/problems';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { CreateFeedDto, UpdateFeedDto } from './dto';
import { DEFAULT_TEMPLATE, FeedPoll } from './feed-poll';
import { FeedPollResultSchema, FeedSchema } from './schemas';

const DEFAULT_INTERVAL_MINUTES = 15;
const RECENT_ITEMS = 20;
/** How long a poll now holds the feed from the background poller. */
const POLL_LEASE_SECONDS = 120;

@Injectable()
export class FeedsService {
  constructor(
    private readonly access: AccessService,
    private readonly feeds: FeedsRepository,
    private readonly items: FeedItemsRepository,
    private readonly channels: ChannelsRepository,
    private readonly outbound: Outbound,
    private readonly poller: FeedPoll,
  ) {}

  async create(auth: AuthContext, input: CreateFeedDto): Promise<FeedSchema> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const refusal = await this.outbound.refusal(input.url);
    if (refusal) throw new UnprocessableRequest(`url ${refusal}`, [{ path: 'url', message: refusal }]);
    await this.requireChannels(tenant, input.channelIds);
    const feed = await this.feeds.insert(tenant, {
      url: input.url,
      channelIds: input.channelIds.map((id) => id.toLowerCase()),
      mode: input.mode,
      template: input.template ?? DEFAULT_TEMPLATE,
      intervalMinutes: input.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES,
      skipExisting: input.skipExisting ?? false,
      maker: { kind: auth.actor.kind, id: auth.actor.id, role: auth.role },
    });
    return viewOf(feed);
  }

  async list(auth: AuthContext, limit = 50, cursor?: string): Promise<Page<FeedSchema>> {
    const tenant = this.access.tenant(auth, 'posts.read');
    return toPage(await this.feeds.page(tenant, decodeCursor(cursor), limit + 1), limit, viewOf);
  }

  async get(auth: AuthContext, id: string): Promise<FeedSchema> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const feed = await this.feeds.find(tenant, id);
    if (!feed) throw new NotFound('Feed', id);
    return this.withItems(tenant, feed);
  }

  async update(auth: AuthContext, id: string, input: UpdateFeedDto): Promise<FeedSchema> {
    const tenant = this.access.tenant(auth, 'posts.write');
    if (input.channelIds) await this.requireChannels(tenant, input.channelIds);
    const feed = await this.feeds.update(tenant, id, { ...input, channelIds: input.channelIds?.map((channelId) => channelId.toLowerCase()) });
    if (!feed) throw new NotFound('Feed', id);
    return viewOf(feed);
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'posts.write');
    if (!(await this.feeds.remove(tenant, id))) throw new NotFound('Feed', id);
  }

  /** Polls now, whatever the feed's status (a broken one too: its failures count on). */
  async pollNow(auth: AuthContext, id: string): Promise<FeedPollResultSchema> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const feed = await this.feeds.hold(tenant, id, POLL_LEASE_SECONDS);
    if (!feed) throw new NotFound('Feed', id);
    const outcome = await this.poller.poll(feed);
    return { ...outcome, feed: await this.withItems(tenant, (await this.feeds.find(tenant, id)) ?? feed) };
  }

  private async withItems(tenant: Tenant, feed: FeedRow): Promise<FeedSchema> {
    const recent = await this.items.recent(tenant, feed.id, RECENT_ITEMS);
    return { ...viewOf(feed), recentItems: recent.map((item) => ({ guid: item.guid, title: item.title, link: item.link, postId: item.postId, problem: item.problem, seenAt: item.createdAt.toISOString() })) };
  }

  /** Each channel must be a live one of the workspace: 404 naming the first that is not. */
  private async requireChannels(tenant: Tenant, ids: string[]): Promise<void> {
    const live = new Set((await this.channels.liveAmong(tenant, ids.map((id) => id.toLowerCase()), 'none')).map((channel) => channel.id));
    const missing = ids.find((id) => !live.has(id.toLowerCase()));
    if (missing) throw new NotFound('Channel', missing);
  }
}

function viewOf(feed: FeedRow): FeedSchema {
  return {
    id: feed.id,
    url: feed.url,
    channelIds: feed.channelIds,
    mode: feed.mode,
    template: feed.template,
    intervalMinutes: feed.intervalMinutes,
    skipExisting: feed.skipExisting,
    status: feed.status,
    failures: feed.failures,
    lastError: feed.lastError,
    lastPolledAt: feed.lastPolledAt?.toISOString() ?? null,
    lastChangedAt: feed.lastChangedAt?.toISOString() ?? null,
    nextPollAt: feed.nextPollAt.toISOString(),
    createdAt: feed.createdAt.toISOString(),
  };
}
