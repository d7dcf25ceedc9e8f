/**
 * The web app's content pages, their pure parts in Node: compose's "Repeat"
 * presets as the RRULE and series timing the API takes (the start left to
 * the API when it is today, the end at the end of the last day in the
 * channel's zone), and the import page's CSV preview numbering rows as the
 * API does and lines as the file has them.
 */
import { DateTime } from 'luxon';
import { csvRecords, previewRows } from '../apps/web/src/features/imports/csv-preview';
import { defaultRepeat, repeatGap, ruleOf, seriesTiming, type RepeatChoice } from '../apps/web/src/features/series/repeat-rule';

const NOW = DateTime.fromISO('2027-03-10T15:00:00Z');
const choice = (change: Partial<RepeatChoice> = {}): RepeatChoice => ({ ...defaultRepeat('Europe/Berlin', NOW), ...change });

describe('Repeat', () => {
  it('starts weekly on the day it is in the zone, at 09:00, with no end', () => {
    // 15:00Z on Wednesday 10 March is Thursday 11 March in Tokyo.
    expect(defaultRepeat('Asia/Tokyo', NOW)).toEqual(expect.objectContaining({ frequency: 'weekly', days: ['TH'], time: '09:00', startDate: '2027-03-11', end: 'never', timezone: 'Asia/Tokyo' }));
    expect(choice().days).toEqual(['WE']);
  });

  it('makes each preset a rule with its time of day, weekdays in the week’s order', () => {
    expect(ruleOf(choice({ frequency: 'daily', time: '07:30' }))).toBe('FREQ=DAILY;BYHOUR=7;BYMINUTE=30');
    expect(ruleOf(choice({ frequency: 'weekdays' }))).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0');
    expect(ruleOf(choice({ frequency: 'weekly', days: ['TH', 'MO'] }))).toBe('FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0');
    expect(ruleOf(choice({ frequency: 'monthly', monthDay: 31, time: '18:05' }))).toBe('FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=18;BYMINUTE=5');
  });

  it('leaves the start to the API today (it refuses one in the past), and gives a later one at midnight in the zone', () => {
    expect(seriesTiming(choice(), NOW)).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=WE;BYHOUR=9;BYMINUTE=0', timezone: 'Europe/Berlin' });
    // 1 April is after the change to summer time: +02:00.
    expect(seriesTiming(choice({ startDate: '2027-04-01' }), NOW).startAt).toBe('2027-04-01T00:00:00.000+02:00');
  });

  it('ends after a count, or at the end of the last day in the zone', () => {
    expect(seriesTiming(choice({ end: 'count', count: 6 }), NOW)).toEqual(expect.objectContaining({ count: 6 }));
    expect(seriesTiming(choice({ end: 'count', count: 6 }), NOW).until).toBeUndefined();
    expect(seriesTiming(choice({ end: 'until', untilDate: '2027-06-30' }), NOW)).toEqual(expect.objectContaining({ until: '2027-06-30T21:59:59Z' }));
  });

  it('says what is missing before there is a rule', () => {
    expect(repeatGap(choice())).toBeNull();
    expect(repeatGap(choice({ days: [] }))).toBe('Pick at least one day of the week.');
    expect(repeatGap(choice({ frequency: 'daily', days: [] }))).toBeNull();
    expect(repeatGap(choice({ frequency: 'monthly', monthDay: 32 }))).toBe('Pick a day of the month from 1 to 31.');
    expect(repeatGap(choice({ time: '' }))).toBe('Pick a time of day.');
    expect(repeatGap(choice({ end: 'count', count: 0 }))).toBe('Say how many times, 1 or more.');
  });
});

describe('the import page’s CSV preview', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, numbering rows as the API does and lines as the file has them', () => {
    const text = '\uFEFFText,Channels,at\r\n"one, with a comma",c1,2027-01-01T09:00:00Z\r\n"two ""quoted""\nover two lines",c2,\r\n\r\nthree,c3,\r\n';
    expect(previewRows(text)).toEqual([
      { row: 1, line: 2, cells: { text: 'one, with a comma', channels: 'c1', at: '2027-01-01T09:00:00Z' } },
      { row: 2, line: 3, cells: { text: 'two "quoted"\nover two lines', channels: 'c2', at: '' } },
      // A blank line is skipped, as the API's parser skips it: the row count goes on, the line count too.
      { row: 3, line: 6, cells: { text: 'three', channels: 'c3', at: '' } },
    ]);
  });

  it('keeps an empty quoted cell, skips blank lines at the end, and takes a last row without a line break', () => {
    expect(csvRecords('a,b\n"",x\n\n').map((record) => record.cells)).toEqual([
      ['a', 'b'],
      ['', 'x'],
    ]);
    expect(previewRows('text,channels\nlast,c9')).toEqual([{ row: 1, line: 2, cells: { text: 'last', channels: 'c9' } }]);
    expect(previewRows('')).toEqual([]);
  });
});
