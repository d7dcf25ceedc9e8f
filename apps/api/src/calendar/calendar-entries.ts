/**
 * Deliveries as calendar entries: a post's deliveries due at one instant are
 * one entry (a post to three channels at 09:00 is one chip), with the wall
 * time in its channels' zone (the first channel's, when they differ), so a
 * client can move it and keep 09:00 New York whatever zone the person
 * looking at it is in. Pure.
 */
import { DateTime } from 'luxon';
import type { CalendarDeliveryRow } from '@herald/db';
import { CALENDAR_EXCERPT_LENGTH } from '@herald/db';

export interface CalendarEntryDeliveryView {
  id: string;
  channelId: string;
  status: CalendarDeliveryRow['status'];
  publishedAt: string | null;
}

export interface CalendarEntryView {
  postId: string;
  scheduledAt: string;
  timezone: string;
  localTime: string;
  channelIds: string[];
  deliveries: CalendarEntryDeliveryView[];
  excerpt: string;
  queued: boolean;
  mediaId: string | null;
  /** The post's tags. */
  tags: string[];
  /** The recurring series the post is an occurrence of, if any. */
  seriesId: string | null;
}

export interface CalendarView {
  from: string;
  to: string;
  entries: CalendarEntryView[];
  truncated: boolean;
}

export function excerptOf(text: string): string {
  return text.length > CALENDAR_EXCERPT_LENGTH ? `${text.slice(0, CALENDAR_EXCERPT_LENGTH - 1).trimEnd()}…` : text;
}

const DAY_MS = 86_400_000;

/**
 * The wall time (yyyy-MM-ddTHH:mm) of instants in their zones, each zone's
 * offset read once per UTC day: a zone's clocks move at most once in a day,
 * so when they read the same at both ends of it they read so all day; the
 * day they move, each instant is read. A month of 1,000 posts takes about a
 * hundred readings, not a thousand (luxon's, each an Intl formatToParts).
 */
export function wallTimes(): (at: Date, zone: string) => string {
  const offsets = new Map<string, number | null>();
  const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;
  return (at, zone) => {
    const ms = at.getTime();
    const day = Math.floor(ms / DAY_MS);
    const key = `${zone} ${day}`;
    let offset = offsets.get(key);
    if (offset === undefined) {
      const start = offsetAt(day * DAY_MS, zone);
      offset = start === offsetAt((day + 1) * DAY_MS - 1, zone) ? start : null;
      offsets.set(key, offset);
    }
    const minutes = offset ?? offsetAt(ms, zone);
    // A zone luxon does not know (NaN; a channel's zone is checked when set): the instant in UTC.
    return new Date(ms + (Number.isFinite(minutes) ? minutes : 0) * 60_000).toISOString().slice(0, 16);
  };
}

/** Rows in time order → entries in time order. */
export function calendarEntries(rows: CalendarDeliveryRow[]): CalendarEntryView[] {
  const entries = new Map<string, CalendarEntryView>();
  const wallTime = wallTimes();
  for (const row of rows) {
    const key = `${row.postId}@${row.scheduledAt.getTime()}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = {
        postId: row.postId,
        scheduledAt: row.scheduledAt.toISOString(),
        timezone: row.timezone,
        localTime: wallTime(row.scheduledAt, row.timezone),
        channelIds: [],
        deliveries: [],
        excerpt: excerptOf(row.excerpt),
        queued: false,
        mediaId: row.firstMedia?.mediaId ?? null,
        tags: row.tags,
        seriesId: row.seriesId,
      };
      entries.set(key, entry);
    }
    entry.channelIds.push(row.channelId);
    entry.deliveries.push({ id: row.id, channelId: row.channelId, status: row.status, publishedAt: row.publishedAt?.toISOString() ?? null });
    entry.queued ||= (row.scheduleMode === 'queue' || row.scheduleMode === 'next') && row.status === 'scheduled';
  }
  return [...entries.values()];
}
