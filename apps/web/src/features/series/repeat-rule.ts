/**
 * Compose's "Repeat" as the API's series timing: presets (every day, every
 * weekday, weekly on chosen days, monthly on a day) turned into an RFC 5545
 * RRULE with the time of day in it, read by the API in the channel's zone;
 * the end after N times or on a date. Pure, with a unit spec.
 */
import { DateTime } from 'luxon';

export type Frequency = 'daily' | 'weekdays' | 'weekly' | 'monthly';
export type RuleDay = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

export const RULE_DAYS: { day: RuleDay; short: string; long: string }[] = [
  { day: 'MO', short: 'Mon', long: 'Monday' },
  { day: 'TU', short: 'Tue', long: 'Tuesday' },
  { day: 'WE', short: 'Wed', long: 'Wednesday' },
  { day: 'TH', short: 'Thu', long: 'Thursday' },
  { day: 'FR', short: 'Fri', long: 'Friday' },
  { day: 'SA', short: 'Sat', long: 'Saturday' },
  { day: 'SU', short: 'Sun', long: 'Sunday' },
];

export interface RepeatChoice {
  frequency: Frequency;
  /** Weekly: the days it goes out on. */
  days: RuleDay[];
  /** Monthly: the day of the month (1 to 31; a month without it is skipped, as RFC 5545 says). */
  monthDay: number;
  /** `HH:mm`, a wall time in `timezone`. */
  time: string;
  /** `yyyy-MM-dd`: the first day it may go out (today or later). */
  startDate: string;
  end: 'never' | 'count' | 'until';
  count: number;
  /** `yyyy-MM-dd`: the last day it may go out (inclusive). */
  untilDate: string;
  timezone: string;
}

/** The series timing the API takes (POST /v1/series and /v1/series/preview). */
export interface SeriesTiming {
  rule: string;
  timezone: string;
  startAt?: string;
  until?: string;
  count?: number;
}

/** A first choice: weekly on today's weekday at 09:00, from today, with no end. */
export function defaultRepeat(timezone: string, now: DateTime = DateTime.now()): RepeatChoice {
  const today = now.setZone(timezone);
  return {
    frequency: 'weekly',
    days: [RULE_DAYS[today.weekday - 1]!.day],
    monthDay: today.day,
    time: '09:00',
    startDate: today.toISODate()!,
    end: 'never',
    count: 10,
    untilDate: today.plus({ months: 3 }).toISODate()!,
    timezone,
  };
}

/** The RRULE for the choice, its time of day included (BYHOUR, BYMINUTE): `FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0`. */
export function ruleOf(choice: RepeatChoice): string {
  const [hour, minute] = choice.time.split(':').map(Number) as [number, number];
  const at = `BYHOUR=${hour};BYMINUTE=${minute}`;
  const ordered = (days: RuleDay[]) => RULE_DAYS.filter(({ day }) => days.includes(day)).map(({ day }) => day).join(',');
  switch (choice.frequency) {
    case 'daily':
      return `FREQ=DAILY;${at}`;
    case 'weekdays':
      return `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;${at}`;
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${ordered(choice.days)};${at}`;
    case 'monthly':
      return `FREQ=MONTHLY;BYMONTHDAY=${choice.monthDay};${at}`;
  }
}

/** What is missing before the choice makes a rule at all (the API says the rest); null when nothing is. */
export function repeatGap(choice: RepeatChoice): string | null {
  if (!/^\d{2}:\d{2}$/.test(choice.time)) return 'Pick a time of day.';
  if (choice.frequency === 'weekly' && choice.days.length === 0) return 'Pick at least one day of the week.';
  if (choice.frequency === 'monthly' && !(choice.monthDay >= 1 && choice.monthDay <= 31)) return 'Pick a day of the month from 1 to 31.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(choice.startDate)) return 'Pick the day it starts.';
  if (choice.end === 'count' && !(Number.isInteger(choice.count) && choice.count >= 1)) return 'Say how many times, 1 or more.';
  if (choice.end === 'until' && !/^\d{4}-\d{2}-\d{2}$/.test(choice.untilDate)) return 'Pick the last day.';
  return null;
}

/**
 * The timing the API takes: the rule, its zone, a start (left to the API, "now", when the start day is
 * today or past: the API refuses a start in the past) and the end: the end of the last day in the zone,
 * or a count.
 */
export function seriesTiming(choice: RepeatChoice, now: DateTime = DateTime.now()): SeriesTiming {
  const zone = choice.timezone;
  const start = DateTime.fromISO(`${choice.startDate}T00:00`, { zone });
  return {
    rule: ruleOf(choice),
    timezone: zone,
    ...(start.isValid && start > now ? { startAt: start.toISO()! } : {}),
    ...(choice.end === 'count' ? { count: choice.count } : {}),
    ...(choice.end === 'until' ? { until: DateTime.fromISO(`${choice.untilDate}T23:59:59`, { zone }).toUTC().toISO({ suppressMilliseconds: true })! } : {}),
  };
}
