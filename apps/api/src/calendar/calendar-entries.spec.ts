import { DateTime } from 'luxon';
import { wallTimes } from './calendar-entries';

describe('the calendar entries\' wall times', () => {
  it('writes each instant in its zone as luxon does, across clock changes (whole and half hours) and in many zones at once', () => {
    // Clock changes: Berlin 29 March 2026 01:00 UTC and 25 October 01:00 UTC; New York 8 March 07:00 UTC; Lord Howe by half an hour.
    const instants = [
      '2026-03-29T00:59:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T23:30:00.000Z',
      '2026-10-25T00:30:00.000Z', '2026-10-25T00:59:59.000Z', '2026-10-25T01:30:00.000Z', '2026-03-08T06:59:00.000Z', '2026-03-08T07:00:00.000Z',
      '2026-04-04T15:30:00.000Z', '2026-04-04T14:30:00.000Z', '2026-10-03T15:59:00.000Z', '2026-10-03T16:00:00.000Z',
      ...Array.from({ length: 300 }, (_, index) => new Date(Date.UTC(2026, 0, 1) + index * 1_759_000 * 61).toISOString()),
    ].map((at) => new Date(at));
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    const wallTime = wallTimes();
    for (const at of instants) {
      for (const zone of zones) expect(`${zone} ${wallTime(at, zone)}`).toBe(`${zone} ${DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")}`);
    }
  });
});
