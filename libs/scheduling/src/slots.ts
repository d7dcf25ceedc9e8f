/**
 * The instants of a posting schedule's slots, computed day by day in the
 * channel's zone, so 09:00 stays 09:00 local across DST (the drift Postiz's
 * users report comes from storing slots as minutes after UTC midnight).
 */
import { IANAZone } from 'luxon';
import { PostingSchedule, WEEKDAYS, Weekday } from './posting-schedule';
import { wallToEpochMs } from './time-rules';

const DAY_MS = 86_400_000;
/** `Date#getUTCDay()` (0 = Sunday) to the schedule's weekday names. */
const BY_UTC_DAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Slots grouped by weekday as [hour, minute], sorted: parsed once per call, not once per day. */
function slotsByWeekday(schedule: PostingSchedule): Map<Weekday, [number, number][]> {
  const byDay = new Map<Weekday, [number, number][]>(WEEKDAYS.map((day) => [day, []]));
  for (const slot of schedule.slots) {
    const [hour, minute] = slot.time.split(':').map(Number) as [number, number];
    byDay.get(slot.day)?.push([hour, minute]);
  }
  for (const times of byDay.values()) times.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return byDay;
}

/** Slot instants strictly after `from`, in order, for as long as the caller pulls. */
export function* slotInstants(schedule: PostingSchedule, zone: string, from: Date): Generator<Date> {
  if (schedule.slots.length === 0) return;
  const byDay = slotsByWeekday(schedule);
  // The local calendar date of `from`, as a UTC midnight; start a day early, since a slot late on
  // the previous local day can still be after `from` near a DST change.
  const local = new Date(from.getTime() + IANAZone.create(zone).offset(from.getTime()) * 60_000);
  let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - DAY_MS;
  for (;;) {
    const date = new Date(day);
    const instants = new Set<number>();
    for (const [hour, minute] of byDay.get(BY_UTC_DAY[date.getUTCDay()]!) ?? []) {
      instants.add(wallToEpochMs({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute }, zone));
    }
    for (const instant of [...instants].sort((a, b) => a - b)) {
      if (instant > from.getTime()) yield new Date(instant);
    }
    day += DAY_MS;
  }
}

/** The next `count` slot instants strictly after `from`. */
export function slotsBetween(schedule: PostingSchedule, zone: string, from: Date, count: number): Date[] {
  return assignSlots(schedule, zone, from, count, []);
}

/** The first slot strictly after `after` that no instant in `taken` holds; null without slots. */
export function nextFreeSlot(schedule: PostingSchedule, zone: string, after: Date, taken: Date[]): Date | null {
  return assignSlots(schedule, zone, after, 1, taken)[0] ?? null;
}

/**
 * `count` free slots in order: the first queued delivery takes the first, and
 * so on. Terminates: each taken instant can skip at most one slot.
 */
export function assignSlots(schedule: PostingSchedule, zone: string, after: Date, count: number, taken: Date[]): Date[] {
  if (schedule.slots.length === 0 || count <= 0) return [];
  const held = new Set(taken.map((instant) => instant.getTime()));
  const result: Date[] = [];
  for (const slot of slotInstants(schedule, zone, after)) {
    if (!held.has(slot.getTime())) result.push(slot);
    if (result.length === count) break;
  }
  return result;
}
