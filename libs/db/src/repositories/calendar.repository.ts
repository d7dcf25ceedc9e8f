/**
 * The calendar's read of `deliveries` (with their post's excerpt and their
 * channel's zone): every delivery of a workspace scheduled in a time range,
 * in time order, in one statement. It reads no attempts and no full texts:
 * what a month view of a thousand posts needs, and nothing more. The range
 * is served by `deliveries_calendar_idx (workspace_id, scheduled_at)`.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import type { DeliveryStatusValue, ScheduleModeValue } from '../entities/delivery.entity';
import type { MediaValue } from '../entities/post.entity';
import { planned } from '../statements/prepared';
import { Repository } from './repository';

/** How many characters of a post's text the calendar gets. */
export const CALENDAR_EXCERPT_LENGTH = 120;

export const CALENDAR_SQL = {
  /**
   * The workspace's ($1) deliveries scheduled in [$2, $3), on the channels
   * $4 (all when null), in the status $5 (any when null), of posts tagged
   * $7 (any when null), at most $6, in time order: each with its post's
   * excerpt, first media item, tags and series, and its channel's zone.
   */
  range: planned(
    `SELECT d.id, d.post_id, d.channel_id, d.status, d.schedule_mode, d.scheduled_at, d.published_at,
            left(p.text, ${CALENDAR_EXCERPT_LENGTH + 1}) AS excerpt, p.media -> 0 AS first_media, c.timezone,
            p.tags, p.series_id
       FROM deliveries d
       JOIN posts p ON p.id = d.post_id
       JOIN channels c ON c.id = d.channel_id
      WHERE d.workspace_id = $1 AND d.scheduled_at >= $2 AND d.scheduled_at < $3
        AND ($4::uuid[] IS NULL OR d.channel_id = ANY($4::uuid[]))
        AND ($5::text IS NULL OR d.status = $5)
        AND ($7::text IS NULL OR p.tags @> ARRAY[$7::text])
      ORDER BY d.scheduled_at, d.post_id, d.channel_id
      LIMIT $6`,
  ),
};

/** One delivery as the calendar reads it. */
export interface CalendarDeliveryRow {
  id: string;
  postId: string;
  channelId: string;
  status: DeliveryStatusValue;
  scheduleMode: ScheduleModeValue;
  scheduledAt: Date;
  publishedAt: Date | null;
  /** The post's text, cut to one character past CALENDAR_EXCERPT_LENGTH (so the reader knows it was cut). */
  excerpt: string;
  firstMedia: MediaValue | null;
  /** The channel's zone. */
  timezone: string;
  tags: string[];
  seriesId: string | null;
}

export interface CalendarFilter {
  from: Date;
  to: Date;
  channelIds?: string[];
  status?: string;
  tag?: string;
  limit: number;
}

interface Row {
  id: string;
  post_id: string;
  channel_id: string;
  status: DeliveryStatusValue;
  schedule_mode: ScheduleModeValue;
  scheduled_at: Date;
  published_at: Date | null;
  excerpt: string;
  first_media: MediaValue | null;
  timezone: string;
  tags: string[];
  series_id: string | null;
}

@Injectable()
export class CalendarRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Up to `limit` deliveries scheduled in [from, to), in time order. */
  async range(tenant: Tenant, filter: CalendarFilter): Promise<CalendarDeliveryRow[]> {
    const rows = await this.rows<Row>(CALENDAR_SQL.range, [tenant.workspaceId, filter.from, filter.to, filter.channelIds?.length ? filter.channelIds : null, filter.status ?? null, filter.limit, filter.tag ?? null]);
    return rows.map((row) => ({
      id: row.id,
      postId: row.post_id,
      channelId: row.channel_id,
      status: row.status,
      scheduleMode: row.schedule_mode,
      scheduledAt: row.scheduled_at,
      publishedAt: row.published_at,
      excerpt: row.excerpt,
      firstMedia: row.first_media,
      timezone: row.timezone,
      tags: row.tags,
      seriesId: row.series_id,
    }));
  }
}
