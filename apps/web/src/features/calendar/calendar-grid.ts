/**
 * The calendar's days and hours in the person's zone (luxon): a day, a week
 * from Monday, or a month as whole weeks; and the API's entries by the cell
 * they are shown in. Pure.
 */
import { DateTime } from 'luxon';
import type { Schemas } from '@herald/api-client';

export type CalendarView = 'day' | 'week' | 'month';
export type CalendarEntryView = Schemas['CalendarEntry'];

export interface CalendarRange {
  view: CalendarView;
  /** The day asked for (the day, week or month around it is shown). */
  anchor: DateTime;
  start: DateTime;
  /** Exclusive. */
  end: DateTime;
  days: DateTime[];
}

export function calendarRange(view: CalendarView, date: string | undefined, zone: string, now = DateTime.now()): CalendarRange {
  const today = now.setZone(zone).startOf('day');
  const parsed = date ? DateTime.fromISO(date, { zone }) : today;
  const anchor = (parsed.isValid ? parsed : today).startOf('day');
  const start = view === 'day' ? anchor : view === 'week' ? anchor.startOf('week') : anchor.startOf('month').startOf('week');
  const end = view === 'day' ? start.plus({ days: 1 }) : view === 'week' ? start.plus({ weeks: 1 }) : anchor.endOf('month').endOf('week').plus({ milliseconds: 1 }).startOf('day');
  const days: DateTime[] = [];
  for (let day = start; day < end; day = day.plus({ days: 1 })) days.push(day);
  return { view, anchor, start, end, days };
}

/** The anchor of the day, week or month before or after. */
export function shifted(range: CalendarRange, by: -1 | 1): string {
  const unit = range.view === 'day' ? { days: by } : range.view === 'week' ? { weeks: by } : { months: by };
  const next = range.anchor.plus(unit);
  return (range.view === 'month' ? next.startOf('month') : next).toISODate()!;
}

/** One chip: an API entry placed in the person's zone. */
export interface PlacedEntry {
  key: string;
  entry: CalendarEntryView;
  /** In the person's zone (made when first read: a month of 1,000 posts shows about a hundred). */
  readonly at: DateTime;
  /** Only what is still scheduled (on every channel) can be moved. */
  movable: boolean;
  /** The status shown: the first that is not published, else published. */
  status: CalendarEntryView['deliveries'][number]['status'];
  /** The local day (yyyy-MM-dd) and hour it falls in. */
  day: string;
  hour: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The zone's offset (minutes) at an instant, read once per UTC day: a zone's
 * clocks move at most once in a day, so when they read the same at both ends
 * of it they read so all day; the day they move, each instant is read (luxon).
 * A month of 1,000 posts takes about seventy readings instead of thousands.
 */
function offsetReader(zone: string): (ms: number) => number {
  const byDay = new Map<number, number | null>();
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let offset = byDay.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * DAY_MS);
      offset = start === offsetAt((day + 1) * DAY_MS - 1) ? start : null;
      byDay.set(day, offset);
    }
    // An unknown zone reads NaN: its entries fall on UTC's days rather than nowhere.
    return (offset ?? offsetAt(ms)) || 0;
  };
}

export function placeEntries(entries: CalendarEntryView[], zone: string): PlacedEntry[] {
  const offsetOf = offsetReader(zone);
  return entries.map((entry) => {
    const ms = Date.parse(entry.scheduledAt);
    // The wall time in the person's zone, read from a Date shifted by the zone's offset (its UTC fields).
    const wall = new Date(ms + offsetOf(ms) * 60_000);
    const statuses = entry.deliveries.map((delivery) => delivery.status);
    let at: DateTime | undefined;
    return {
      key: `${entry.postId}@${entry.scheduledAt}`,
      entry,
      get at() {
        return (at ??= DateTime.fromMillis(ms, { zone }));
      },
      movable: statuses.every((status) => status === 'scheduled'),
      status: statuses.find((status) => status !== 'published') ?? 'published',
      day: wall.toISOString().slice(0, 10),
      hour: wall.getUTCHours(),
    };
  });
}

/** A place on the calendar something can be dropped on or clicked: a day (month) or an hour of a day (day and week). */
export function cellId(day: DateTime | string, hour?: number): string {
  const date = typeof day === 'string' ? day : day.toISODate()!;
  return hour === undefined ? `day:${date}` : `hour:${date}T${String(hour).padStart(2, '0')}`;
}

/** The entries by cell (`cellId`), each in time order: each cell looks its own up once. */
export function entriesByCell(entries: PlacedEntry[], view: CalendarView): Map<string, PlacedEntry[]> {
  const cells = new Map<string, PlacedEntry[]>();
  for (const entry of entries) {
    const id = view === 'month' ? cellId(entry.day) : cellId(entry.day, entry.hour);
    const cell = cells.get(id);
    if (cell) cell.push(entry);
    else cells.set(id, [entry]);
  }
  return cells;
}

/** A cell id read back: its date and, for an hour cell, its hour. */
export function parseCell(id: string): { date: string; hour?: number } | undefined {
  const hour = /^hour:(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(id);
  if (hour) return { date: hour[1]!, hour: Number(hour[2]) };
  const day = /^day:(\d{4}-\d{2}-\d{2})$/.exec(id);
  return day ? { date: day[1]! } : undefined;
}

/** A zone as people say it: its city ("America/New_York" → "New York"). */
export function zoneName(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}
