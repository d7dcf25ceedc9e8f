/**
 * Analytics' read model (docs/analytics.md): a post's snapshots, and the
 * workspace's aggregates over each published delivery's latest figures
 * (see aggregate.ts), in the zone asked for, the channel's, or the
 * workspace's.
 */
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AccountRow, ChannelsRepository, LatestRow, MetricsRepository, SnapshotRow, Tenant, WorkspacesRepository } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { NotFound, UnprocessableRequest } from '../common/problems';
import { BestSlot, ChannelTotals, FigureSet, HourCell, LatestFigures, PeriodTotals, Totals, bestTimes, byChannel, byPeriod, topOf, totalsOf } from './aggregate';
import { AccountsQuery, AnalyticsQuery, AnalyticsRangeQuery, TopQuery } from './dto';

/** The most deliveries one aggregate reads; more set `truncated` (narrow the range). */
export const MAX_ROWS = 100_000;
const DEFAULT_DAYS = 30;

export interface SnapshotView {
  takenAt: string;
  kind: string;
  figures: FigureSet;
  engagements: number;
  extra: Record<string, number>;
}

export interface DeliveryMetricsView {
  deliveryId: string;
  channelId: string;
  network: string;
  publishedAt: string;
  externalId: string | null;
  /** The last snapshot's figures, null before the first. */
  latest: SnapshotView | null;
  /** Every snapshot, oldest first. */
  snapshots: SnapshotView[];
  /** When the next scheduled snapshot is due; null when none is. */
  nextSnapshotAt: string | null;
  /** A refresh asked for and not taken yet. */
  refreshPending: boolean;
  /** Why snapshots ended: `done` (the last was taken) or `deleted` (the network says the post is gone); null while they go on. */
  ended: string | null;
}

export interface PostMetricsView {
  postId: string;
  deliveries: DeliveryMetricsView[];
}

export interface Range {
  from: string;
  to: string;
  timezone: string;
  truncated: boolean;
}

export interface AnalyticsView extends Range {
  groupBy: string;
  totals: Totals;
  periods: PeriodTotals[];
  channels: ChannelTotals[];
}

export interface TopEntryView {
  postId: string;
  deliveryId: string;
  channelId: string;
  network: string;
  handle: string;
  text: string;
  externalUrl: string | null;
  publishedAt: string;
  takenAt: string;
  figures: FigureSet;
  engagements: number;
  deleted: boolean;
}

export interface TopView extends Range {
  metric: string;
  data: TopEntryView[];
}

export interface BestTimesView extends Range {
  cells: HourCell[];
  best: BestSlot[];
  /** Deliveries the heat map was drawn from. */
  sample: number;
}

export interface AccountReadingView {
  takenAt: string;
  followers: number | null;
  following: number | null;
  posts: number | null;
  extra: Record<string, number>;
}

export interface AccountChannelView {
  channelId: string;
  network: string;
  handle: string;
  latest: AccountReadingView;
  followersChange: number | null;
  readings: AccountReadingView[];
}

export interface AccountsView extends Range {
  channels: AccountChannelView[];
}

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly metricsRepo: MetricsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly channels: ChannelsRepository,
    private readonly access: AccessService,
  ) {}

  async postMetrics(auth: AuthContext, postId: string): Promise<PostMetricsView> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const rows = await this.metricsRepo.ofPost(tenant, postId);
    if (rows.length === 0 && !(await this.postExists(tenant, postId))) throw new NotFound('Post', postId);
    const byDelivery = new Map<string, SnapshotRow[]>();
    for (const row of rows) byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row]);
    return {
      postId,
      deliveries: [...byDelivery.values()].map((group) => {
        const first = group[0]!;
        const snapshots = group.flatMap((row) => (row.snapshot ? [snapshotView(row.snapshot)] : []));
        return {
          deliveryId: first.deliveryId,
          channelId: first.channelId,
          network: first.network,
          publishedAt: first.publishedAt.toISOString(),
          externalId: first.externalId,
          latest: snapshots[snapshots.length - 1] ?? null,
          snapshots,
          nextSnapshotAt: first.schedule && !first.schedule.endedAt ? (first.schedule.nextAt?.toISOString() ?? null) : null,
          refreshPending: first.schedule?.refreshAt != null,
          ended: first.schedule?.endedReason ?? null,
        };
      }),
    };
  }

  async report(auth: AuthContext, query: AnalyticsQuery): Promise<AnalyticsView> {
    const { range, rows } = await this.read(auth, query);
    const latest = rows.map(latestFigures);
    const groupBy = query.groupBy ?? 'day';
    return { ...range, groupBy, totals: totalsOf(latest), periods: byPeriod(latest, groupBy, range.timezone), channels: byChannel(latest) };
  }

  async top(auth: AuthContext, query: TopQuery): Promise<TopView> {
    const { range, rows } = await this.read(auth, query);
    const metric = query.metric ?? 'engagements';
    const ranked = topOf(
      rows.map((row) => ({ ...latestFigures(row), row })),
      metric,
      query.limit ?? 10,
    );
    return {
      ...range,
      metric,
      data: ranked.map(({ row, figures }) => ({
        postId: row.postId,
        deliveryId: row.deliveryId,
        channelId: row.channelId,
        network: row.network,
        handle: row.handle,
        text: row.text,
        externalUrl: row.externalUrl,
        publishedAt: row.publishedAt.toISOString(),
        takenAt: row.takenAt.toISOString(),
        figures,
        engagements: row.engagements,
        deleted: row.deleted,
      })),
    };
  }

  async bestTimes(auth: AuthContext, query: AnalyticsRangeQuery): Promise<BestTimesView> {
    const { range, rows } = await this.read(auth, { from: undefined, ...query }, 90);
    return { ...range, ...bestTimes(rows.map(latestFigures)), sample: rows.length };
  }

  /** Each channel's account readings taken in the range, with its followers' change from the first to the last. */
  async accounts(auth: AuthContext, query: AccountsQuery): Promise<AccountsView> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const range = await this.rangeOf(tenant, query, DEFAULT_DAYS);
    const rows = await this.metricsRepo.accountHistory(tenant, { channelId: query.channelId, from: new Date(range.from), to: new Date(range.to) }, MAX_ROWS + 1);
    const truncated = rows.length > MAX_ROWS;
    const byChannel = new Map<string, AccountRow[]>();
    for (const row of truncated ? rows.slice(0, MAX_ROWS) : rows) byChannel.set(row.channelId, [...(byChannel.get(row.channelId) ?? []), row]);
    return {
      ...range,
      truncated,
      channels: [...byChannel.values()].map((readings) => {
        const first = readings[0]!;
        const last = readings[readings.length - 1]!;
        return {
          channelId: first.channelId,
          network: first.network,
          handle: first.handle,
          latest: readingView(last),
          followersChange: first.followers === null || last.followers === null ? null : last.followers - first.followers,
          readings: readings.map(readingView),
        };
      }),
    };
  }

  /** The range and zone asked for (or the defaults). */
  private async rangeOf(tenant: Tenant, query: { from?: string; to?: string; channelId?: string; timezone?: string }, defaultDays: number): Promise<Range> {
    const zone = query.timezone ?? (await this.zoneOf(tenant, query.channelId));
    if (!DateTime.local().setZone(zone).isValid) throw new UnprocessableRequest(`timezone: ${zone} is not a known time zone`, [{ path: 'timezone', message: 'not a known IANA time zone' }]);
    const to = query.to ? DateTime.fromISO(query.to, { zone }) : DateTime.now().setZone(zone);
    const from = query.from ? DateTime.fromISO(query.from, { zone }) : to.minus({ days: defaultDays }).startOf('day');
    if (to <= from) throw new UnprocessableRequest('to must be after from', [{ path: 'to', message: 'must be after from' }]);
    return { from: from.toUTC().toISO()!, to: to.toUTC().toISO()!, timezone: zone, truncated: false };
  }

  /** The range and zone asked for (or the defaults), and each delivery's latest figures in it. */
  private async read(auth: AuthContext, query: AnalyticsRangeQuery, defaultDays = DEFAULT_DAYS): Promise<{ range: Range; rows: LatestRow[] }> {
    const tenant = this.access.tenant(auth, 'posts.read');
    const range = await this.rangeOf(tenant, query, defaultDays);
    const rows = await this.metricsRepo.latest(tenant, { channelId: query.channelId, from: new Date(range.from), to: new Date(range.to) }, MAX_ROWS + 1);
    const truncated = rows.length > MAX_ROWS;
    return { range: { ...range, truncated }, rows: truncated ? rows.slice(0, MAX_ROWS) : rows };
  }

  private async zoneOf(tenant: Tenant, channelId: string | undefined): Promise<string> {
    if (channelId) {
      const channel = await this.channels.find(tenant, channelId);
      if (!channel) throw new NotFound('Channel', channelId);
      return channel.timezone;
    }
    return (await this.workspaces.find(tenant))?.timezone ?? 'UTC';
  }

  private async postExists(tenant: Tenant, postId: string): Promise<boolean> {
    return (await this.metricsRepo.refreshState(tenant, postId)).exists;
  }
}

function readingView(row: AccountRow): AccountReadingView {
  return { takenAt: row.takenAt.toISOString(), followers: row.followers, following: row.following, posts: row.posts, extra: row.extra };
}

function snapshotView(snapshot: NonNullable<SnapshotRow['snapshot']>): SnapshotView {
  return { takenAt: snapshot.takenAt.toISOString(), kind: snapshot.kind, figures: figureSet(snapshot.figures), engagements: snapshot.engagements, extra: snapshot.extra };
}

function figureSet(figures: Partial<Record<string, number | null>>): FigureSet {
  return {
    impressions: figures.impressions ?? null,
    likes: figures.likes ?? null,
    reposts: figures.reposts ?? null,
    replies: figures.replies ?? null,
    quotes: figures.quotes ?? null,
    bookmarks: figures.bookmarks ?? null,
    clicks: figures.clicks ?? null,
    saves: figures.saves ?? null,
    shares: figures.shares ?? null,
    videoViews: figures.video_views ?? null,
  };
}

function latestFigures(row: LatestRow): LatestFigures {
  return {
    deliveryId: row.deliveryId,
    postId: row.postId,
    channelId: row.channelId,
    network: row.network,
    channelTimezone: row.channelTimezone,
    publishedAt: row.publishedAt,
    figures: figureSet(row.figures),
    engagements: row.engagements,
  };
}
