/**
 * `feeds`: the feeds a workspace follows, what each poll learnt (ETag,
 * Last-Modified, failures, the error) and when each is polled next. The
 * poller claims due feeds across workspaces (SYSTEM), skipping those
 * another poller holds.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = `id, workspace_id, url, channel_ids, mode, template, interval_minutes, skip_existing, status, maker_kind, maker_id, maker_role,
  etag, last_modified, next_poll_at, last_polled_at, last_changed_at, failures, last_error, created_at`;

export const FEEDS_SQL = {
  insert: new Statement(
    `INSERT INTO feeds (workspace_id, url, channel_ids, mode, template, interval_minutes, skip_existing, maker_kind, maker_id, maker_role)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
  ),
  /** A page newest first, after the keyset position ($2, $3) when given. */
  page: planned(
    `SELECT ${COLUMNS} FROM feeds
      WHERE workspace_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  find: new Statement(`SELECT ${COLUMNS} FROM feeds WHERE workspace_id = $1 AND id = $2`),
  /** The settings given ($3..$8, null keeps one); a feed set active again is polled now, its failures forgotten. */
  update: new Statement(
    `UPDATE feeds SET channel_ids = COALESCE($3, channel_ids), mode = COALESCE($4, mode), template = COALESCE($5, template),
            interval_minutes = COALESCE($6, interval_minutes),
            failures = CASE WHEN $7::text = 'active' AND status <> 'active' THEN 0 ELSE failures END,
            next_poll_at = CASE WHEN $7::text = 'active' AND status <> 'active' THEN now() ELSE next_poll_at END,
            status = COALESCE($7, status)
      WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
  ),
  remove: new Statement(`DELETE FROM feeds WHERE workspace_id = $1 AND id = $2 RETURNING id`),
  /** Holds the workspace's feed $2 for a poll now, whatever its status: its next poll moved $3 seconds on (the lease). */
  hold: new Statement(`UPDATE feeds SET next_poll_at = now() + make_interval(secs => $3) WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`),
  /** Up to $1 active feeds due, each held for $2 seconds (skipping those another poller holds). */
  claimDue: planned(
    `UPDATE feeds SET next_poll_at = now() + make_interval(secs => $2)
      WHERE id IN (SELECT id FROM feeds WHERE status = 'active' AND next_poll_at <= now() ORDER BY next_poll_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
  ),
  /** A poll that answered: what it learnt ($2, $3; $4 whether the document changed), polled next in $5 seconds. */
  polled: new Statement(
    `UPDATE feeds SET etag = $2, last_modified = $3, last_polled_at = now(), last_changed_at = CASE WHEN $4::boolean THEN now() ELSE last_changed_at END,
            failures = 0, last_error = NULL, next_poll_at = now() + make_interval(secs => $5)
      WHERE id = $1`,
  ),
  /** A poll that failed ($2 why): tried again in $3 seconds, or broken ($4) and not polled until someone sets it active again. */
  failed: new Statement(
    `UPDATE feeds SET failures = failures + 1, last_error = $2, last_polled_at = now(), next_poll_at = now() + make_interval(secs => $3),
            status = CASE WHEN $4::boolean AND status = 'active' THEN 'broken' ELSE status END
      WHERE id = $1 RETURNING failures`,
  ),
};

export type FeedMode = 'queue' | 'draft' | 'now';
export type FeedStatus = 'active' | 'paused' | 'broken';

export interface FeedRow {
  id: string;
  workspaceId: string;
  url: string;
  channelIds: string[];
  mode: FeedMode;
  template: string;
  intervalMinutes: number;
  skipExisting: boolean;
  status: FeedStatus;
  maker: { kind: 'api_key' | 'user'; id: string; role: string };
  etag: string | null;
  lastModified: string | null;
  nextPollAt: Date;
  lastPolledAt: Date | null;
  lastChangedAt: Date | null;
  failures: number;
  lastError: string | null;
  createdAt: Date;
}

export interface NewFeed {
  url: string;
  channelIds: string[];
  mode: FeedMode;
  template: string;
  intervalMinutes: number;
  skipExisting: boolean;
  maker: { kind: 'api_key' | 'user'; id: string; role: string };
}

export interface FeedChanges {
  channelIds?: string[];
  mode?: FeedMode;
  template?: string;
  intervalMinutes?: number;
  status?: 'active' | 'paused';
}

interface Row {
  id: string;
  workspace_id: string;
  url: string;
  channel_ids: string[];
  mode: FeedMode;
  template: string;
  interval_minutes: number;
  skip_existing: boolean;
  status: FeedStatus;
  maker_kind: 'api_key' | 'user';
  maker_id: string;
  maker_role: string;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: Date;
  last_polled_at: Date | null;
  last_changed_at: Date | null;
  failures: number;
  last_error: string | null;
  created_at: Date;
}

function feedOf(row: Row): FeedRow {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    channelIds: row.channel_ids,
    mode: row.mode,
    template: row.template,
    intervalMinutes: row.interval_minutes,
    skipExisting: row.skip_existing,
    status: row.status,
    maker: { kind: row.maker_kind, id: row.maker_id, role: row.maker_role },
    etag: row.etag,
    lastModified: row.last_modified,
    nextPollAt: row.next_poll_at,
    lastPolledAt: row.last_polled_at,
    lastChangedAt: row.last_changed_at,
    failures: row.failures,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

@Injectable()
export class FeedsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(tenant: Tenant, feed: NewFeed, on?: Executor): Promise<FeedRow> {
    const row = await this.one<Row>(
      FEEDS_SQL.insert,
      [tenant.workspaceId, feed.url, feed.channelIds, feed.mode, feed.template, feed.intervalMinutes, feed.skipExisting, feed.maker.kind, feed.maker.id, feed.maker.role],
      on,
    );
    return feedOf(row!);
  }

  async page(tenant: Tenant, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<FeedRow[]> {
    return (await this.rows<Row>(FEEDS_SQL.page, [tenant.workspaceId, after?.createdAt ?? null, after?.id ?? null, limit])).map(feedOf);
  }

  async find(tenant: Tenant, id: string): Promise<FeedRow | undefined> {
    const row = await this.one<Row>(FEEDS_SQL.find, [tenant.workspaceId, id]);
    return row && feedOf(row);
  }

  async update(tenant: Tenant, id: string, changes: FeedChanges): Promise<FeedRow | undefined> {
    const row = await this.one<Row>(FEEDS_SQL.update, [
      tenant.workspaceId,
      id,
      changes.channelIds ?? null,
      changes.mode ?? null,
      changes.template ?? null,
      changes.intervalMinutes ?? null,
      changes.status ?? null,
    ]);
    return row && feedOf(row);
  }

  async remove(tenant: Tenant, id: string): Promise<boolean> {
    return (await this.rows(FEEDS_SQL.remove, [tenant.workspaceId, id])).length > 0;
  }

  async hold(tenant: Tenant, id: string, leaseSeconds: number): Promise<FeedRow | undefined> {
    const row = await this.one<Row>(FEEDS_SQL.hold, [tenant.workspaceId, id, leaseSeconds]);
    return row && feedOf(row);
  }

  async claimDue(_scope: SystemScope, limit: number, leaseSeconds: number): Promise<FeedRow[]> {
    return (await this.rows<Row>(FEEDS_SQL.claimDue, [limit, leaseSeconds])).map(feedOf);
  }

  async polled(_scope: SystemScope, id: string, seen: { etag: string | null; lastModified: string | null; changed: boolean }, nextInSeconds: number): Promise<void> {
    await this.rows(FEEDS_SQL.polled, [id, seen.etag, seen.lastModified, seen.changed, nextInSeconds]);
  }

  async failed(_scope: SystemScope, id: string, error: string, retryInSeconds: number, broken: boolean): Promise<void> {
    await this.rows(FEEDS_SQL.failed, [id, error, retryInSeconds, broken]);
  }
}
