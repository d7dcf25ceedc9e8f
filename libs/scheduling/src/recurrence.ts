/**
 * Recurring series: an RFC 5545 RRULE expanded in an IANA zone, by the
 * `rrule` library in "floating" time (its dates read as wall-clock fields),
 * each wall time then turned into an instant by Herald's time rules
 * (`wallToEpochMs`: a wall time in the spring-forward gap moves forward by
 * the gap, one in the fall-back overlap takes the earlier instant). So
 * `FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0` in Europe/Berlin is 09:00 in
 * Berlin in January and in July alike. Pure: no clock, no I/O.
 */
import { DateTime } from 'luxon';
import { Frequency, Options, RRule } from 'rrule';
import { isValidTimeZone, wallToEpochMs } from './time-rules';

export class InvalidRuleError extends Error {
  constructor(
    message: string,
    /** The field it is about: `rule`, `timezone`, `until`, `count`. */
    readonly field: string = 'rule',
  ) {
    super(message);
    this.name = 'InvalidRuleError';
  }
}

export interface Recurrence {
  /** The RRULE, with or without its `RRULE:` prefix; no DTSTART or TZID (they are `startAt` and `timezone`). */
  rule: string;
  timezone: string;
  /** The series starts here (its first possible occurrence); its wall time in the zone gives the time of day when the rule names none. */
  startAt: Date;
  /** No occurrence after this instant. */
  until?: Date | null;
  /** At most this many occurrences in all, counted from `startAt`. */
  count?: number | null;
}

/** The frequencies a series may have: hourly at most, so a year of one is a few thousand rows, not millions. */
const ALLOWED = new Set<Frequency>([Frequency.YEARLY, Frequency.MONTHLY, Frequency.WEEKLY, Frequency.DAILY, Frequency.HOURLY]);
const FREQUENCY_NAMES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
const DAY_MS = 86_400_000;
export const MAX_COUNT = 10_000;
const FAR_FUTURE = Date.UTC(9000, 0, 1);

/** A recurrence checked once: every expansion of it reuses the compiled rule. */
export class CompiledRecurrence {
  private readonly rrule: RRule;
  /** The earlier of `until` and the rule's UNTIL, if any. */
  readonly until: Date | null;

  constructor(readonly recurrence: Recurrence) {
    ({ rrule: this.rrule, until: this.until } = compile(recurrence));
  }

  /** The rule normalised (`FREQ=WEEKLY;BYDAY=MO;...`, no prefix). */
  get rule(): string {
    return RRule.optionsToString({ ...this.rrule.origOptions, dtstart: null, until: null, count: null, tzid: null }).replace(/^RRULE:/, '');
  }

  /** The occurrences after `after` (exclusive) up to `upTo` (inclusive), in order, at most `limit` of them. */
  between(after: Date, upTo: Date, limit = MAX_COUNT): Date[] {
    if (upTo.getTime() <= after.getTime()) return [];
    const from = this.floating(after).getTime() - DAY_MS;
    const to = this.floating(upTo).getTime() + DAY_MS;
    const walls = this.rrule.between(new Date(Math.max(from, 0)), new Date(to), true);
    return this.instants(walls).filter((instant) => instant.getTime() > after.getTime() && instant.getTime() <= upTo.getTime()).slice(0, limit);
  }

  /** The next `n` occurrences after `after` (exclusive), whatever horizon (fewer when the series ends). */
  next(after: Date, n: number): Date[] {
    const from = new Date(Math.max(this.floating(after).getTime() - DAY_MS, 0));
    const walls = this.rrule.between(from, new Date(FAR_FUTURE), true, (_date, index) => index < n + 50);
    return this.instants(walls)
      .filter((instant) => instant.getTime() > after.getTime())
      .slice(0, n);
  }

  /** Words for people ("every week on Monday at 9"), from the library. */
  describe(): string {
    return new RRule({ ...this.rrule.origOptions, dtstart: null, tzid: null }).toText();
  }

  /** An instant's wall-clock fields in the zone, as a UTC date (the library's floating time). */
  private floating(instant: Date): Date {
    const wall = DateTime.fromJSDate(instant, { zone: this.recurrence.timezone });
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  }

  /** Floating wall times to instants in the zone, in order, none twice (two wall times of a gap can meet). */
  private instants(walls: Date[]): Date[] {
    const seen = new Set<number>();
    const out: Date[] = [];
    for (const wall of walls) {
      const ms = wallToEpochMs(
        {
          year: wall.getUTCFullYear(),
          month: wall.getUTCMonth() + 1,
          day: wall.getUTCDate(),
          hour: wall.getUTCHours(),
          minute: wall.getUTCMinutes(),
          second: wall.getUTCSeconds(),
        },
        this.recurrence.timezone,
      );
      if (ms < this.recurrence.startAt.getTime() || seen.has(ms)) continue;
      if (this.until && ms > this.until.getTime()) continue;
      seen.add(ms);
      out.push(new Date(ms));
    }
    return out.sort((a, b) => a.getTime() - b.getTime());
  }
}

/** Checks a recurrence (InvalidRuleError naming the field when it is not one) and compiles it. */
export function compileRecurrence(recurrence: Recurrence): CompiledRecurrence {
  return new CompiledRecurrence(recurrence);
}

function compile(recurrence: Recurrence): { rrule: RRule; until: Date | null } {
  if (!isValidTimeZone(recurrence.timezone)) throw new InvalidRuleError(`"${recurrence.timezone}" is not an IANA time zone`, 'timezone');
  const text = recurrence.rule.trim().replace(/^RRULE:/i, '');
  if (text.length === 0 || text.length > 500) throw new InvalidRuleError('rule must be an RRULE of at most 500 characters');
  if (/DTSTART|TZID|[\r\n]/i.test(text)) throw new InvalidRuleError('rule takes no DTSTART or TZID: give startAt and timezone instead');
  let options: Partial<Options>;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new InvalidRuleError(`rule is not an RFC 5545 RRULE: ${(error as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new InvalidRuleError('rule needs a FREQ');
  if (!ALLOWED.has(options.freq)) {
    throw new InvalidRuleError(`FREQ=${FREQUENCY_NAMES[options.freq] ?? options.freq} is too frequent: HOURLY at most`);
  }
  if (options.interval !== undefined && options.interval !== null && (!Number.isInteger(options.interval) || options.interval < 1 || options.interval > 1000)) {
    throw new InvalidRuleError('INTERVAL must be a whole number from 1 to 1000');
  }
  const count = recurrence.count ?? options.count ?? null;
  if (count !== null && (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)) throw new InvalidRuleError(`count must be from 1 to ${MAX_COUNT}`, 'count');
  // UNTIL in the rule names an instant: it joins `until` (the earlier wins), checked against instants, not wall times.
  const ruleUntil = options.until ?? null;
  const until = [recurrence.until ?? null, ruleUntil].filter((value): value is Date => value instanceof Date).sort((a, b) => a.getTime() - b.getTime())[0];
  if (until && until.getTime() < recurrence.startAt.getTime()) throw new InvalidRuleError('until is before the series starts', 'until');
  const start = DateTime.fromJSDate(recurrence.startAt, { zone: recurrence.timezone });
  const dtstart = new Date(Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute, start.second));
  const compiled = new RRule({ ...options, dtstart, until: until ? new Date(until.getTime() + 2 * DAY_MS) : null, count, tzid: null });
  // A rule that can never happen (BYMONTHDAY=31;BYMONTH=2) would be searched for ever: refuse it.
  if (compiled.after(dtstart, true) === null && count === null && !until) throw new InvalidRuleError('rule has no occurrence');
  return { rrule: compiled, until: until ?? null };
}
