/**
 * `series`: recurring posts (an RRULE in a zone, PRODUCT.md section 13).
 * `expanded_until` is how far ahead the worker has made its occurrences
 * (posts with `series_id`); only an active series is expanded. The worker
 * takes a series' row lock (skipping one locked by an edit) while it makes
 * occurrences, so two workers, or a worker and an edit, never work on one
 * series at once; `posts_series_occurrence_key` is the backstop.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { ActorRef } from '../entities/post.entity';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = `id, workspace_id, text, variants, channel_ids, tags, evergreen, rule, timezone, start_at, until, count, status, expanded_until,
  created_by_kind, created_by_id, created_at, updated_at`;

export const SERIES_SQL = {
  insert: new Statement(
    `INSERT INTO series (workspace_id, text, variants, channel_ids, tags, evergreen, rule, timezone, start_at, until, count, status, expanded_until, created_by_kind, created_by_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, $13, $14) RETURNING ${COLUMNS}`,
  ),
  list: planned(`SELECT ${COLUMNS} FROM series WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500`),
  find: new Statement(`SELECT ${COLUMNS} FROM series WHERE workspace_id = $1 AND id = $2`),
  findLocked: new Statement(`SELECT ${COLUMNS} FROM series WHERE workspace_id = $1 AND id = $2 FOR UPDATE`),
  /** New content and rule (from the next occurrence on); `expanded_until` ($12) moves back so the worker makes the future again. */
  update: new Statement(
    `UPDATE series SET text = $3, variants = $4, channel_ids = $5, tags = $6, evergreen = $7, rule = $8, timezone = $9, until = $10, count = $11,
            expanded_until = $12, updated_at = date_trunc('milliseconds', now())
      WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
  ),
  setStatus: new Statement(
    `UPDATE series SET status = $3, expanded_until = $4, updated_at = date_trunc('milliseconds', now()) WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
  ),
  remove: new Statement(`DELETE FROM series WHERE workspace_id = $1 AND id = $2 RETURNING id`),
  /** Active series not made up to $1, oldest expansion first ($2 of them), any workspace. */
  dueForExpansion: planned(`SELECT id FROM series WHERE status = 'active' AND expanded_until < $1 ORDER BY expanded_until LIMIT $2`),
  /** The series ($1) locked for expansion up to $2, unless another transaction holds it or it needs none. */
  lockForExpansion: new Statement(`SELECT ${COLUMNS} FROM series WHERE id = $1 AND status = 'active' AND expanded_until < $2 FOR UPDATE SKIP LOCKED`),
  /** Made up to $2; `ended` ($3) when its rule can no longer be read. */
  markExpanded: new Statement(`UPDATE series SET expanded_until = $2, status = CASE WHEN $3::boolean THEN 'ended' ELSE status END WHERE id = $1`),
};

export interface SeriesRow {
  id: string;
  workspace_id: string;
  text: string;
  variants: Record<string, string>;
  channel_ids: string[];
  tags: string[];
  evergreen: boolean;
  rule: string;
  timezone: string;
  start_at: Date;
  until: Date | null;
  count: number | null;
  status: 'active' | 'paused' | 'ended';
  expanded_until: Date;
  created_by_kind: ActorRef['kind'] | null;
  created_by_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewSeries {
  text: string;
  variants: Record<string, string>;
  channelIds: string[];
  tags: string[];
  evergreen: boolean;
  rule: string;
  timezone: string;
  startAt: Date;
  until: Date | null;
  count: number | null;
  /** Occurrences up to here count as made (the instant the series was created: none before it). */
  expandedUntil: Date;
}

@Injectable()
export class SeriesRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(tenant: Tenant, actor: ActorRef, series: NewSeries, on?: Executor): Promise<SeriesRow> {
    const values = [tenant.workspaceId, series.text, series.variants, series.channelIds, series.tags, series.evergreen, series.rule, series.timezone, series.startAt, series.until, series.count];
    return (await this.one<SeriesRow>(SERIES_SQL.insert, [...values, series.expandedUntil, actor.kind, actor.id], on))!;
  }

  list(tenant: Tenant): Promise<SeriesRow[]> {
    return this.rows<SeriesRow>(SERIES_SQL.list, [tenant.workspaceId]);
  }

  find(tenant: Tenant, id: string, on?: Executor): Promise<SeriesRow | undefined> {
    return this.one<SeriesRow>(SERIES_SQL.find, [tenant.workspaceId, id], on);
  }

  /** Row-locks the series for the transaction `on`. */
  findLocked(tenant: Tenant, id: string, on: Executor): Promise<SeriesRow | undefined> {
    return this.one<SeriesRow>(SERIES_SQL.findLocked, [tenant.workspaceId, id], on);
  }

  async update(tenant: Tenant, id: string, series: Omit<NewSeries, 'startAt'>, on: Executor): Promise<SeriesRow> {
    const values = [tenant.workspaceId, id, series.text, series.variants, series.channelIds, series.tags, series.evergreen, series.rule, series.timezone, series.until, series.count];
    return (await this.one<SeriesRow>(SERIES_SQL.update, [...values, series.expandedUntil], on))!;
  }

  async setStatus(tenant: Tenant, id: string, status: SeriesRow['status'], expandedUntil: Date, on: Executor): Promise<SeriesRow> {
    return (await this.one<SeriesRow>(SERIES_SQL.setStatus, [tenant.workspaceId, id, status, expandedUntil], on))!;
  }

  async remove(tenant: Tenant, id: string, on: Executor): Promise<boolean> {
    return (await this.rows(SERIES_SQL.remove, [tenant.workspaceId, id], on)).length > 0;
  }

  async dueForExpansion(_scope: SystemScope, upTo: Date, limit: number): Promise<string[]> {
    return (await this.rows<{ id: string }>(SERIES_SQL.dueForExpansion, [upTo, limit])).map((row) => row.id);
  }

  lockForExpansion(_scope: SystemScope, id: string, upTo: Date, on: Executor): Promise<SeriesRow | undefined> {
    return this.one<SeriesRow>(SERIES_SQL.lockForExpansion, [id, upTo], on);
  }

  async markExpanded(_scope: SystemScope, id: string, expandedUntil: Date, ended: boolean, on: Executor): Promise<void> {
    await this.rows(SERIES_SQL.markExpanded, [id, expandedUntil, ended], on);
  }
}
