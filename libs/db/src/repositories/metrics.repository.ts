/**
 * `metric_snapshots` and `metric_schedules` (docs/analytics.md): what each
 * published delivery earned, one row per snapshot, and when its next
 * snapshot is due. The worker follows newly published deliveries, claims
 * the snapshots due (under a lease, several workers never reading the same
 * post twice), records what it read and moves each to its next step; the
 * API asks for a refresh and reads the history and the latest figures.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

/** The shared figures, as columns (the order the statements below take them in). */
export const SNAPSHOT_FIGURES = ['impressions', 'likes', 'reposts', 'replies', 'quotes', 'bookmarks', 'clicks', 'saves', 'shares', 'video_views'] as const;
export type SnapshotFigure = (typeof SNAPSHOT_FIGURES)[number];

const FIGURE_COLUMNS = SNAPSHOT_FIGURES.join(', ');
const FIGURES_OF_S = SNAPSHOT_FIGURES.map((name) => `s.${name}`).join(', ');

export const METRICS_SQL = {
  /** Published deliveries not followed yet (published since $2, at most $3): followed, their first snapshot due $1 ms after publishing. */
  followPublished: new Statement(
    `INSERT INTO metric_schedules (delivery_id, workspace_id, channel_id, published_at, next_at)
     SELECT d.id, d.workspace_id, d.channel_id, d.published_at, d.published_at + make_interval(secs => $1::float8 / 1000)
       FROM deliveries d
      WHERE d.status = 'published' AND d.published_at >= $2 AND d.external_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM metric_schedules m WHERE m.delivery_id = d.id)
      ORDER BY d.published_at
      LIMIT $3
     ON CONFLICT (delivery_id) DO NOTHING
     RETURNING delivery_id`,
  ),
  /** Up to $1 snapshots due now (scheduled or asked for), leased for $2 ms: what a read needs, the channel's sealed token among it. */
  claimDue: new Statement(
    `WITH due AS (
       SELECT delivery_id FROM metric_schedules
        WHERE ended_at IS NULL AND LEAST(next_at, refresh_at) <= now() AND (lease_until IS NULL OR lease_until <= now())
        ORDER BY LEAST(next_at, refresh_at)
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
     UPDATE metric_schedules m SET lease_until = now() + make_interval(secs => $2::float8 / 1000)
       FROM due, deliveries d, channels c
      WHERE m.delivery_id = due.delivery_id AND d.id = m.delivery_id AND c.id = m.channel_id
     RETURNING m.delivery_id, m.workspace_id, m.channel_id, d.post_id, d.external_id, m.published_at, m.step, m.next_at, m.refresh_at,
               c.network, c.handle, c.access_token, c.account_id, c.host, c.status AS channel_status, c.deleted_at AS channel_deleted_at`,
  ),
  /** Snapshots taken: one row each (arrays by position); answers each row's delivery and time. */
  record: new Statement(
    `INSERT INTO metric_snapshots (workspace_id, delivery_id, post_id, channel_id, kind, ${FIGURE_COLUMNS}, engagements, extra)
     SELECT d.workspace_id, d.id, d.post_id, d.channel_id, r.kind, ${SNAPSHOT_FIGURES.map((name) => `r.${name}`).join(', ')}, r.engagements, r.extra
       FROM unnest($1::uuid[], $2::text[], ${SNAPSHOT_FIGURES.map((_, index) => `$${index + 3}::bigint[]`).join(', ')}, $13::bigint[], $14::jsonb[])
            AS r(delivery_id, kind, ${FIGURE_COLUMNS}, engagements, extra)
       JOIN deliveries d ON d.id = r.delivery_id
     RETURNING delivery_id, taken_at`,
  ),
  /** After a look: each schedule's new step and next time (null: done), its refresh served, its lease given back; `ended` ($5) names why it ends. */
  advance: new Statement(
    `UPDATE metric_schedules m
        SET step = r.step, next_at = r.next_at, refresh_at = NULL, lease_until = NULL, last_taken_at = now(),
            ended_at = CASE WHEN r.ended IS NULL THEN NULL ELSE now() END, ended_reason = r.ended
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[]) AS r(delivery_id, step, next_at, ended)
      WHERE m.delivery_id = r.delivery_id`,
  ),
  /** Not read now (the network's budget is spent, its host down, the channel not active): claimable again at $2. */
  postpone: new Statement(`UPDATE metric_schedules SET lease_until = $2 WHERE delivery_id = ANY($1::uuid[])`),
  /** The post's published deliveries: followed (if not yet) with a refresh asked for now (a post gone from its network is not read again). */
  requestRefresh: new Statement(
    `INSERT INTO metric_schedules AS m (delivery_id, workspace_id, channel_id, published_at, next_at, refresh_at, refreshed_at)
     SELECT d.id, d.workspace_id, d.channel_id, d.published_at, d.published_at + make_interval(secs => $3::float8 / 1000), now(), now()
       FROM deliveries d
      WHERE d.workspace_id = $1 AND d.post_id = $2 AND d.status = 'published' AND d.external_id IS NOT NULL
     ON CONFLICT (delivery_id) DO UPDATE SET refresh_at = now(), refreshed_at = now(), ended_at = NULL, ended_reason = NULL
      WHERE m.ended_reason IS DISTINCT FROM 'deleted'
     RETURNING m.delivery_id`,
  ),
  /** Whether the post exists, when its metrics were last asked for, and how many of its deliveries are published. */
  refreshState: new Statement(
    `SELECT EXISTS (SELECT 1 FROM posts p WHERE p.workspace_id = $1 AND p.id = $2) AS exists,
            (SELECT max(m.refreshed_at) FROM metric_schedules m JOIN deliveries d ON d.id = m.delivery_id WHERE d.workspace_id = $1 AND d.post_id = $2) AS refreshed_at,
            (SELECT count(*)::int FROM deliveries d WHERE d.workspace_id = $1 AND d.post_id = $2 AND d.status = 'published' AND d.external_id IS NOT NULL) AS published`,
  ),
  /** The post's snapshots, by delivery, oldest first; with each delivery's schedule. */
  ofPost: new Statement(
    `SELECT d.id AS delivery_id, d.channel_id, c.network, d.published_at, d.external_id,
            m.step, m.next_at, m.refresh_at, m.ended_at, m.ended_reason,
            s.id AS snapshot_id, s.taken_at, s.kind, ${FIGURES_OF_S}, s.engagements, s.extra
       FROM deliveries d
       JOIN channels c ON c.id = d.channel_id
       LEFT JOIN metric_schedules m ON m.delivery_id = d.id
       LEFT JOIN metric_snapshots s ON s.delivery_id = d.id
      WHERE d.workspace_id = $1 AND d.post_id = $2 AND d.status = 'published'
      ORDER BY d.id, s.taken_at, s.id`,
  ),
  /** Each published delivery's latest snapshot (published within [$3, $4), of channel $2 when given), with its post and channel. */
  latest: new Statement(
    `SELECT DISTINCT ON (s.delivery_id)
            s.delivery_id, s.post_id, s.channel_id, c.network, c.handle, c.timezone AS channel_timezone, d.published_at, d.external_url,
            p.text, s.taken_at, ${FIGURES_OF_S}, s.engagements, m.ended_reason
       FROM metric_snapshots s
       JOIN deliveries d ON d.id = s.delivery_id
       JOIN channels c ON c.id = s.channel_id
       JOIN posts p ON p.id = s.post_id
       LEFT JOIN metric_schedules m ON m.delivery_id = s.delivery_id
      WHERE s.workspace_id = $1 AND ($2::uuid IS NULL OR s.channel_id = $2) AND d.published_at >= $3 AND d.published_at < $4
      ORDER BY s.delivery_id, s.taken_at DESC, s.id DESC
      LIMIT $5`,
  ),
  /** Channels not followed for account figures yet: followed, their first reading due $1 ms after the channel was added. */
  followChannels: new Statement(
    `INSERT INTO account_schedules (channel_id, workspace_id, next_at)
     SELECT c.id, c.workspace_id, c.created_at + make_interval(secs => $1::float8 / 1000) FROM channels c
      WHERE c.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM account_schedules a WHERE a.channel_id = c.id)
     ON CONFLICT (channel_id) DO NOTHING`,
  ),
  /** Up to $1 channels whose account reading is due, leased for $2 ms: what a read needs, the channel's sealed token among it. */
  claimAccounts: new Statement(
    `WITH due AS (
       SELECT channel_id FROM account_schedules
        WHERE next_at <= now() AND (lease_until IS NULL OR lease_until <= now())
        ORDER BY next_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
     UPDATE account_schedules a SET lease_until = now() + make_interval(secs => $2::float8 / 1000)
       FROM due, channels c
      WHERE a.channel_id = due.channel_id AND c.id = a.channel_id
     RETURNING a.channel_id, a.workspace_id, c.network, c.handle, c.access_token, c.account_id, c.host, c.status AS channel_status, c.deleted_at AS channel_deleted_at`,
  ),
  /** A reading of channel $2 (figures $3-$6; none when $7 is false), its next due $8 ms on, its lease given back; answers when it was taken. */
  recordAccount: new Statement(
    `WITH s AS (
       INSERT INTO account_snapshots (workspace_id, channel_id, followers, following, posts, extra)
       SELECT $1::uuid, $2::uuid, $3::bigint, $4::bigint, $5::bigint, $6::jsonb WHERE $7::boolean
       RETURNING taken_at)
     UPDATE account_schedules SET next_at = now() + make_interval(secs => $8::float8 / 1000), lease_until = NULL
      WHERE channel_id = $2::uuid
     RETURNING (SELECT taken_at FROM s)`,
  ),
  /** Not read now (the channel's reads budget spent, its host not quiet, the channel not active): claimable again at $2. */
  postponeAccount: new Statement(`UPDATE account_schedules SET lease_until = $2 WHERE channel_id = $1`),
  /** The workspace's account readings taken within [$3, $4) (of channel $2 when given), by channel, oldest first. */
  accountHistory: new Statement(
    `SELECT s.channel_id, c.network, c.handle, s.taken_at, s.followers, s.following, s.posts, s.extra
       FROM account_snapshots s
       JOIN channels c ON c.id = s.channel_id
      WHERE s.workspace_id = $1 AND ($2::uuid IS NULL OR s.channel_id = $2) AND s.taken_at >= $3 AND s.taken_at < $4
      ORDER BY c.network, c.handle, s.channel_id, s.taken_at, s.id
      LIMIT $5`,
  ),
};

/** A channel whose account figures are due. */
export interface DueAccount {
  channelId: string;
  workspaceId: string;
  network: string;
  handle: string;
  /** Sealed: decrypted by the worker for the call only. */
  accessToken: string;
  accountId: string | null;
  host: string | null;
  channelStatus: string;
  channelDeleted: boolean;
}

/** A channel's account figures at one reading (null: the network does not give it). */
export interface AccountFiguresInput {
  followers: number | null;
  following: number | null;
  posts: number | null;
  extra: Record<string, number>;
}

export interface AccountRow extends AccountFiguresInput {
  channelId: string;
  network: string;
  handle: string;
  takenAt: Date;
}

export interface DueSnapshot {
  deliveryId: string;
  workspaceId: string;
  channelId: string;
  postId: string;
  externalId: string;
  publishedAt: Date;
  step: number;
  nextAt: Date | null;
  refreshAt: Date | null;
  network: string;
  handle: string;
  /** Sealed: decrypted by the worker for the call only. */
  accessToken: string;
  accountId: string | null;
  host: string | null;
  channelStatus: string;
  channelDeleted: boolean;
}

export type Figures = Partial<Record<SnapshotFigure, number | null>>;

export interface SnapshotInput {
  deliveryId: string;
  kind: 'scheduled' | 'refresh';
  figures: Figures;
  engagements: number;
  extra: Record<string, number>;
}

export interface ScheduleStep {
  deliveryId: string;
  step: number;
  nextAt: Date | null;
  /** Why it ends now (`done`: no snapshot left; `deleted`: the post is gone); null: it goes on. */
  ended: 'done' | 'deleted' | null;
}

export interface SnapshotRow {
  deliveryId: string;
  channelId: string;
  network: string;
  publishedAt: Date;
  externalId: string | null;
  schedule: { step: number; nextAt: Date | null; refreshAt: Date | null; endedAt: Date | null; endedReason: string | null } | null;
  snapshot: { id: string; takenAt: Date; kind: string; figures: Figures; engagements: number; extra: Record<string, number> } | null;
}

export interface LatestRow {
  deliveryId: string;
  postId: string;
  channelId: string;
  network: string;
  handle: string;
  channelTimezone: string;
  publishedAt: Date;
  externalUrl: string | null;
  text: string;
  takenAt: Date;
  figures: Figures;
  engagements: number;
  deleted: boolean;
}

type Raw = Record<string, unknown>;

@Injectable()
export class MetricsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Starts following deliveries published since `since` (at most `limit`); their first snapshot `firstAfterMs` after publishing. Answers how many. */
  async followPublished(_scope: SystemScope, firstAfterMs: number, since: Date, limit: number): Promise<number> {
    return (await this.rows(METRICS_SQL.followPublished, [firstAfterMs, since, limit])).length;
  }

  async claimDue(_scope: SystemScope, limit: number, leaseMs: number): Promise<DueSnapshot[]> {
    const rows = await this.rows<Raw>(METRICS_SQL.claimDue, [limit, leaseMs]);
    return rows.map((row) => ({
      deliveryId: row.delivery_id as string,
      workspaceId: row.workspace_id as string,
      channelId: row.channel_id as string,
      postId: row.post_id as string,
      externalId: row.external_id as string,
      publishedAt: row.published_at as Date,
      step: row.step as number,
      nextAt: row.next_at as Date | null,
      refreshAt: row.refresh_at as Date | null,
      network: row.network as string,
      handle: row.handle as string,
      accessToken: row.access_token as string,
      accountId: row.account_id as string | null,
      host: row.host as string | null,
      channelStatus: row.channel_status as string,
      channelDeleted: row.channel_deleted_at !== null,
    }));
  }

  /** Records the snapshots; answers when each delivery's was taken. */
  async record(_scope: SystemScope, snapshots: SnapshotInput[], on?: Executor): Promise<Map<string, Date>> {
    if (snapshots.length === 0) return new Map();
    const rows = await this.rows<{ delivery_id: string; taken_at: Date }>(
      METRICS_SQL.record,
      [
        snapshots.map((row) => row.deliveryId),
        snapshots.map((row) => row.kind),
        ...SNAPSHOT_FIGURES.map((name) => snapshots.map((row) => row.figures[name] ?? null)),
        snapshots.map((row) => row.engagements),
        snapshots.map((row) => JSON.stringify(row.extra)),
      ],
      on,
    );
    return new Map(rows.map((row) => [row.delivery_id, row.taken_at]));
  }

  async advance(_scope: SystemScope, steps: ScheduleStep[], on?: Executor): Promise<void> {
    if (steps.length === 0) return;
    await this.rows(METRICS_SQL.advance, [steps.map((row) => row.deliveryId), steps.map((row) => row.step), steps.map((row) => row.nextAt), steps.map((row) => row.ended)], on);
  }

  async postpone(_scope: SystemScope, deliveryIds: string[], until: Date): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.rows(METRICS_SQL.postpone, [deliveryIds, until]);
  }

  /** The deliveries a refresh was asked for (none: the post has no published delivery still followed). */
  async requestRefresh(tenant: Tenant, postId: string, firstAfterMs: number): Promise<string[]> {
    return (await this.rows<{ delivery_id: string }>(METRICS_SQL.requestRefresh, [tenant.workspaceId, postId, firstAfterMs])).map((row) => row.delivery_id);
  }

  async refreshState(tenant: Tenant, postId: string): Promise<{ exists: boolean; refreshedAt: Date | null; published: number }> {
    const row = (await this.one<{ exists: boolean; refreshed_at: Date | null; published: number }>(METRICS_SQL.refreshState, [tenant.workspaceId, postId]))!;
    return { exists: row.exists, refreshedAt: row.refreshed_at, published: row.published };
  }

  async ofPost(tenant: Tenant, postId: string): Promise<SnapshotRow[]> {
    const rows = await this.rows<Raw>(METRICS_SQL.ofPost, [tenant.workspaceId, postId]);
    return rows.map((row) => ({
      deliveryId: row.delivery_id as string,
      channelId: row.channel_id as string,
      network: row.network as string,
      publishedAt: row.published_at as Date,
      externalId: row.external_id as string | null,
      schedule:
        row.step === null
          ? null
          : { step: row.step as number, nextAt: row.next_at as Date | null, refreshAt: row.refresh_at as Date | null, endedAt: row.ended_at as Date | null, endedReason: row.ended_reason as string | null },
      snapshot:
        row.snapshot_id === null
          ? null
          : { id: String(row.snapshot_id), takenAt: row.taken_at as Date, kind: row.kind as string, figures: figuresOf(row), engagements: Number(row.engagements), extra: row.extra as Record<string, number> },
    }));
  }

  async latest(tenant: Tenant, filter: { channelId?: string; from: Date; to: Date }, limit: number): Promise<LatestRow[]> {
    const rows = await this.rows<Raw>(METRICS_SQL.latest, [tenant.workspaceId, filter.channelId ?? null, filter.from, filter.to, limit]);
    return rows.map((row) => ({
      deliveryId: row.delivery_id as string,
      postId: row.post_id as string,
      channelId: row.channel_id as string,
      network: row.network as string,
      handle: row.handle as string,
      channelTimezone: row.channel_timezone as string,
      publishedAt: row.published_at as Date,
      externalUrl: row.external_url as string | null,
      text: row.text as string,
      takenAt: row.taken_at as Date,
      figures: figuresOf(row),
      engagements: Number(row.engagements),
      deleted: row.ended_reason === 'deleted',
    }));
  }

  /** Starts following every channel not followed yet for its account figures, the first reading `firstAfterMs` after it was added. */
  async followChannels(_scope: SystemScope, firstAfterMs: number): Promise<void> {
    await this.rows(METRICS_SQL.followChannels, [firstAfterMs]);
  }

  async claimAccounts(_scope: SystemScope, limit: number, leaseMs: number): Promise<DueAccount[]> {
    const rows = await this.rows<Raw>(METRICS_SQL.claimAccounts, [limit, leaseMs]);
    return rows.map((row) => ({
      channelId: row.channel_id as string,
      workspaceId: row.workspace_id as string,
      network: row.network as string,
      handle: row.handle as string,
      accessToken: row.access_token as string,
      accountId: row.account_id as string | null,
      host: row.host as string | null,
      channelStatus: row.channel_status as string,
      channelDeleted: row.channel_deleted_at !== null,
    }));
  }

  /** Records the channel's reading (none: the network gives no account figures) and sets its next `nextAfterMs` on. */
  async recordAccount(_scope: SystemScope, channel: { workspaceId: string; channelId: string }, figures: AccountFiguresInput | null, nextAfterMs: number): Promise<Date | null> {
    const row = await this.one<{ taken_at: Date | null }>(METRICS_SQL.recordAccount, [
      channel.workspaceId,
      channel.channelId,
      figures?.followers ?? null,
      figures?.following ?? null,
      figures?.posts ?? null,
      JSON.stringify(figures?.extra ?? {}),
      figures !== null,
      nextAfterMs,
    ]);
    return row?.taken_at ?? null;
  }

  async postponeAccount(_scope: SystemScope, channelId: string, until: Date): Promise<void> {
    await this.rows(METRICS_SQL.postponeAccount, [channelId, until]);
  }

  async accountHistory(tenant: Tenant, filter: { channelId?: string; from: Date; to: Date }, limit: number): Promise<AccountRow[]> {
    const rows = await this.rows<Raw>(METRICS_SQL.accountHistory, [tenant.workspaceId, filter.channelId ?? null, filter.from, filter.to, limit]);
    return rows.map((row) => ({
      channelId: row.channel_id as string,
      network: row.network as string,
      handle: row.handle as string,
      takenAt: row.taken_at as Date,
      followers: countOf(row.followers),
      following: countOf(row.following),
      posts: countOf(row.posts),
      extra: row.extra as Record<string, number>,
    }));
  }
}

/** bigint columns come back as strings: numbers here (null stays null). */
function countOf(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** bigint columns come back as strings: numbers here (figures stay far below 2^53). */
function figuresOf(row: Raw): Figures {
  return Object.fromEntries(SNAPSHOT_FIGURES.map((name) => [name, row[name] === null || row[name] === undefined ? null : Number(row[name])]));
}
