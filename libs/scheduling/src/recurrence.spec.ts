import { DateTime } from 'luxon';
import { InvalidRuleError, compileRecurrence } from './recurrence';

const BERLIN = 'Europe/Berlin';
const local = (instant: Date, zone = BERLIN) => DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm EEE");

describe('recurrence', () => {
  it('keeps 09:00 Berlin across the March and October changes (weekly on Monday)', () => {
    const recurrence = compileRecurrence({ rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0', timezone: BERLIN, startAt: new Date('2027-03-01T00:00:00+01:00') });
    const times = recurrence.between(new Date('2027-03-01T00:00:00Z'), new Date('2027-11-30T00:00:00Z'));
    expect(times).toHaveLength(40);
    for (const time of times) expect(local(time)).toMatch(/T09:00 Mon$/);
    // Before the March change 08:00Z, between the changes 07:00Z, after October's again 08:00Z.
    expect(times[3]!.toISOString()).toBe('2027-03-22T08:00:00.000Z');
    expect(times[4]!.toISOString()).toBe('2027-03-29T07:00:00.000Z');
    expect(times.find((t) => t.toISOString().startsWith('2027-10-25'))!.toISOString()).toBe('2027-10-25T07:00:00.000Z');
    expect(times.find((t) => t.toISOString().startsWith('2027-11-01'))!.toISOString()).toBe('2027-11-01T08:00:00.000Z');
  });

  it('takes the time of day from startAt when the rule names none, and honours count and until', () => {
    const counted = compileRecurrence({ rule: 'FREQ=DAILY', timezone: 'America/New_York', startAt: new Date('2027-03-13T14:30:00Z'), count: 3 });
    expect(counted.next(new Date('2027-01-01T00:00:00Z'), 10).map((t) => local(t, 'America/New_York'))).toEqual([
      '2027-03-13T09:30 Sat',
      '2027-03-14T09:30 Sun',
      '2027-03-15T09:30 Mon',
    ]);
    const until = compileRecurrence({ rule: 'FREQ=DAILY;BYHOUR=9', timezone: BERLIN, startAt: new Date('2027-01-01T00:00:00Z'), until: new Date('2027-01-03T08:00:00Z') });
    expect(until.next(new Date('2026-12-31T00:00:00Z'), 10)).toHaveLength(3);
  });

  it('moves a time in the spring-forward gap forward, takes the earlier of a fall-back overlap, and never the same instant twice', () => {
    const gap = compileRecurrence({ rule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=30', timezone: BERLIN, startAt: new Date('2027-03-27T00:00:00Z') });
    const [, sunday] = gap.next(new Date('2027-03-26T00:00:00Z'), 3);
    expect(local(sunday!)).toBe('2027-03-28T03:30 Sun');
    const overlap = compileRecurrence({ rule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=30', timezone: BERLIN, startAt: new Date('2027-10-30T00:00:00Z') });
    expect(overlap.next(new Date('2027-10-30T00:00:00Z'), 2)[1]!.toISOString()).toBe('2027-10-31T00:30:00.000Z');
    const hourly = compileRecurrence({ rule: 'FREQ=HOURLY;BYHOUR=1,2,3', timezone: BERLIN, startAt: new Date('2027-03-27T23:00:00Z') });
    const instants = hourly.next(new Date('2027-03-27T23:00:00Z'), 3).map((t) => t.getTime());
    expect(new Set(instants).size).toBe(instants.length);
  });

  it('refuses what is no rule, too frequent, or names its own start or zone', () => {
    const start = new Date('2027-01-01T00:00:00Z');
    const field = (rule: string, extra: object = {}) => {
      try {
        compileRecurrence({ rule, timezone: BERLIN, startAt: start, ...extra });
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRuleError);
        return (error as InvalidRuleError).field;
      }
    };
    expect(field('NOT A RULE')).toBe('rule');
    expect(field('FREQ=MINUTELY')).toBe('rule');
    expect(field('DTSTART:20270101T000000Z\nRRULE:FREQ=DAILY')).toBe('rule');
    expect(field('FREQ=DAILY', { timezone: 'Mars/Olympus' })).toBe('timezone');
    expect(field('FREQ=DAILY', { count: 0 })).toBe('count');
    expect(field('FREQ=DAILY', { until: new Date('2026-01-01T00:00:00Z') })).toBe('until');
    expect(field('RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE')).toBe('accepted');
  });

  it('says a rule in words and normalises it', () => {
    const recurrence = compileRecurrence({ rule: 'RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0', timezone: BERLIN, startAt: new Date('2027-01-01T00:00:00Z') });
    expect(recurrence.describe()).toMatch(/every week on Monday/);
    expect(recurrence.rule).toBe('FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0');
  });
});
