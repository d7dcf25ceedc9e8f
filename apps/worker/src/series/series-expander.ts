/**
 * Makes recurring series' occurrences ahead (HERALD_SERIES_AHEAD_DAYS): each
 * occurrence in the series' window becomes an ordinary scheduled post (its
 * deliveries given jobs by the reconciler as they enter the Redis horizon,
 * with every publishing guarantee). Run by each reconcile sweep. A series
 * is expanded under its row lock (SKIP LOCKED: another worker, or an edit,
 * holding it means it is being looked after), occurrences it already has a
 * post for are skipped, and `posts_series_occurrence_key` refuses a second
 * post for one occurrence whatever happens; so a restarted or doubled worker
 * never makes an occurrence twice.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { NewDeliveryRow, NewPostRow, PostsRepository, SYSTEM, SeriesRepository, SeriesRow, inTransaction, tenantOf } from '@herald/db';
import { CompiledRecurrence, InvalidRuleError, compileRecurrence } from '@herald/scheduling';

/** Series looked at per sweep, and occurrences made per series per sweep (the rest in the next sweep). */
const SERIES_PER_SWEEP = 200;
const OCCURRENCES_PER_SERIES = 500;
/** `expanded_until` of a series whose every occurrence is made. */
export const ALL_MADE = new Date('9999-01-01T00:00:00Z');

export interface ExpansionReport {
  series: number;
  posts: number;
}

@Injectable()
export class SeriesExpander {
  private readonly logger = new Logger(SeriesExpander.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly series: SeriesRepository,
    private readonly posts: PostsRepository,
  ) {}

  /** Every active series not yet made up to now + the window, a batch at a time. */
  async expandDue(now: Date = new Date()): Promise<ExpansionReport> {
    const upTo = new Date(now.getTime() + this.config.seriesAheadMs);
    const report = { series: 0, posts: 0 };
    const ids = await this.series.dueForExpansion(SYSTEM, upTo, SERIES_PER_SWEEP);
    for (const id of ids) {
      const made = await this.expandOne(id, upTo);
      if (made === undefined) continue;
      report.series += 1;
      report.posts += made;
    }
    return report;
  }

  /** One series up to `upTo`; undefined when another transaction holds it or it needed nothing. */
  async expandOne(id: string, upTo: Date): Promise<number | undefined> {
    return inTransaction(this.dataSource, async (tx) => {
      const row = await this.series.lockForExpansion(SYSTEM, id, upTo, tx);
      if (!row) return undefined;
      let recurrence: CompiledRecurrence;
      try {
        recurrence = compileRecurrence({ rule: row.rule, timezone: row.timezone, startAt: row.start_at, until: row.until, count: row.count });
      } catch (error) {
        if (!(error instanceof InvalidRuleError)) throw error;
        this.logger.warn({ msg: 'series rule no longer valid: ended', seriesId: id, error: error.message });
        await this.series.markExpanded(SYSTEM, id, upTo, true, tx);
        return 0;
      }
      const times = recurrence.between(row.expanded_until, upTo, OCCURRENCES_PER_SERIES);
      const reached = times.length === OCCURRENCES_PER_SERIES ? times[times.length - 1]! : upTo;
      const tenant = tenantOf(row.workspace_id);
      const existing = await this.posts.occurrencesOf(tenant, id, row.expanded_until, reached, tx);
      const fresh = times.filter((time) => !existing.has(time.getTime()));
      if (fresh.length > 0) {
        const { posts, deliveries } = occurrencePosts(row, fresh);
        const actor = { kind: row.created_by_kind ?? 'api_key', id: row.created_by_id ?? row.id };
        const written = await this.posts.insertWithDeliveries(tenant, actor, posts, deliveries, tx);
        if (!written) {
          // A channel of the series is removed or disconnected: its occurrences wait (made once it is live again).
          this.logger.warn({ msg: 'series occurrences wait: a channel is not live', seriesId: id, workspaceId: row.workspace_id });
          return 0;
        }
      }
      // All made: looked at again only when an edit, a pause or a resume moves it back.
      const done = recurrence.next(reached, 1).length === 0;
      await this.series.markExpanded(SYSTEM, id, done ? ALL_MADE : reached, false, tx);
      return fresh.length;
    });
  }
}

/** The posts (one per occurrence) and their deliveries (one per channel) of a series' new occurrences. */
export function occurrencePosts(row: SeriesRow, times: Date[]): { posts: NewPostRow[]; deliveries: NewDeliveryRow[] } {
  const posts: NewPostRow[] = [];
  const deliveries: NewDeliveryRow[] = [];
  for (const time of times) {
    const at = time.toISOString();
    const postId = randomUUID();
    posts.push({
      id: postId,
      text: row.text,
      media: [],
      variants: row.variants,
      status: 'scheduled',
      request_id: null,
      schedule: { mode: 'at', at },
      sort_at: at,
      series_id: row.id,
      occurrence_at: at,
      tags: row.tags,
      evergreen: row.evergreen,
      audit: { status: 'scheduled', mode: 'at', channelIds: row.channel_ids, seriesId: row.id },
    });
    for (const channelId of row.channel_ids) {
      deliveries.push({ id: randomUUID(), post_id: postId, channel_id: channelId, status: 'scheduled', schedule_mode: 'at', scheduled_at: at });
    }
  }
  return { posts, deliveries };
}
