/**
 * The calendar's days and hours in the person's zone (luxon): a week from
 * Monday, or a month as whole weeks; and which of a post's deliveries fall in
 * them, at which local time. Pure.
 */
import { DateTime } from 'luxon';
import type { DeliveryView, PostView } from '../../api/views';

export type CalendarView = 'week' | 'month';

export interface CalendarRange {
  view: CalendarView;
  /** The day asked for (the week or month around it is shown). */
  anchor: DateTime;
  start: DateTime;
  /** Exclusive. */
  end: DateTime;
  days: DateTime[];
}

export function calendarRange(view: CalendarView, date: string | undefined, zone: string): CalendarRange {
  const today = DateTime.now().setZone(zone).startOf('day');
  const parsed = date ? DateTime.fromISO(date, { zone }) : today;
  const anchor = (parsed.isValid ? parsed : today).startOf('day');
  const start = view === 'week' ? anchor.startOf('week') : anchor.startOf('month').startOf('week');
  const end = view === 'week' ? start.plus({ weeks: 1 }) : anchor.endOf('month').endOf('week').plus({ milliseconds: 1 });
  const days: DateTime[] = [];
  for (let day = start; day < end; day = day.plus({ days: 1 })) days.push(day);
  return { view, anchor, start, end, days };
}

/** The anchor of the week or month before or after. */
export function shifted(range: CalendarRange, by: -1 | 1): string {
  return (range.view === 'week' ? range.anchor.plus({ weeks: by }) : range.anchor.plus({ months: by }).startOf('month')).toISODate()!;
}

/** One chip: a post's deliveries due at the same instant (a post to three channels at 09:00 is one entry). */
export interface CalendarEntry {
  key: string;
  post: PostView;
  deliveries: DeliveryView[];
  /** In the person's zone. */
  at: DateTime;
  /** Only what is still scheduled can be moved. */
  movable: boolean;
  /** The local day (yyyy-MM-dd) and hour it falls in: the cells it is shown in. */
  day: string;
  hour: number;
}

export function calendarEntries(posts: PostView[], range: CalendarRange): CalendarEntry[] {
  const entries = new Map<string, CalendarEntry>();
  for (const post of posts) {
    for (const delivery of post.deliveries) {
      const iso = delivery.publishedAt ?? delivery.scheduledAt;
      if (!iso) continue;
      const at = DateTime.fromISO(iso, { zone: range.start.zone });
      if (at < range.start || at >= range.end) continue;
      const key = `${post.id}@${at.toMillis()}`;
      const entry = entries.get(key) ?? { key, post, deliveries: [], at, movable: true, day: at.toISODate()!, hour: at.hour };
      entry.deliveries.push(delivery);
      entry.movable = entry.movable && delivery.status === 'scheduled';
      entries.set(key, entry);
    }
  }
  return [...entries.values()].sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

/**
 * The entries by the cell they are shown in, keyed as `cellId` keys them
 * (`day:…` for the month, `hour:…` for the week), each in time order: a
 * month with 1,000 posts looks each cell up once instead of filtering every
 * entry for each of its 42 days.
 */
export function entriesByCell(entries: CalendarEntry[], view: CalendarView): Map<string, CalendarEntry[]> {
  const cells = new Map<string, CalendarEntry[]>();
  for (const entry of entries) {
    const id = view === 'month' ? `day:${entry.day}` : `hour:${entry.day}T${String(entry.hour).padStart(2, '0')}`;
    const cell = cells.get(id);
    if (cell) cell.push(entry);
    else cells.set(id, [entry]);
  }
  return cells;
}

/** A place on the calendar something can be dropped on: a day (month) or an hour of a day (week). */
export function cellId(day: DateTime, hour?: number): string {
  return hour === undefined ? `day:${day.toISODate()}` : `hour:${day.toISODate()}T${String(hour).padStart(2, '0')}`;
}

/** The wall-clock time an entry dropped on a cell gets: the cell's day (and hour), keeping its minutes (and, on a day, its time). */
export function droppedAt(cell: string, at: DateTime): string | undefined {
  const hourCell = /^hour:(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(cell);
  const dayCell = /^day:(\d{4}-\d{2}-\d{2})$/.exec(cell);
  const date = hourCell?.[1] ?? dayCell?.[1];
  if (!date) return undefined;
  const hour = hourCell ? Number(hourCell[2]) : at.hour;
  return `${date}T${String(hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
}
