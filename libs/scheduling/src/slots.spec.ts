import { assignSlots, nextFreeSlot, slotsBetween } from './slots';
import { normalizePostingSchedule, validatePostingSchedule } from './posting-schedule';
import { derivePostStatus } from './status';

const weekdays = (time: string) => ({ slots: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, time })) });

describe('slots', () => {
  it('keeps 09:00 at 09:00 Berlin time across the spring change', () => {
    const slots = slotsBetween(weekdays('09:00'), 'Europe/Berlin', new Date('2026-03-26T00:00:00Z'), 4);
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      '2026-03-26T08:00:00.000Z', // Thu, CET
      '2026-03-27T08:00:00.000Z', // Fri, CET
      '2026-03-30T07:00:00.000Z', // Mon, CEST
      '2026-03-31T07:00:00.000Z',
    ]);
  });

  it('takes the next free slot after the taken ones, strictly after "after"', () => {
    const schedule = weekdays('09:00');
    const after = new Date('2026-06-01T07:00:00Z'); // Monday 09:00 Berlin exactly
    const first = nextFreeSlot(schedule, 'Europe/Berlin', after, []);
    expect(first?.toISOString()).toBe('2026-06-02T07:00:00.000Z');
    const second = nextFreeSlot(schedule, 'Europe/Berlin', after, [first!]);
    expect(second?.toISOString()).toBe('2026-06-03T07:00:00.000Z');
    expect(nextFreeSlot({ slots: [] }, 'UTC', after, [])).toBeNull();
  });

  it('assigns distinct slots in order', () => {
    const slots = assignSlots(weekdays('12:00'), 'UTC', new Date('2026-06-01T00:00:00Z'), 3, [new Date('2026-06-02T12:00:00Z')]);
    expect(slots.map((slot) => slot.toISOString())).toEqual(['2026-06-01T12:00:00.000Z', '2026-06-03T12:00:00.000Z', '2026-06-04T12:00:00.000Z']);
  });
});

describe('posting schedule', () => {
  it('validates days, times and duplicates', () => {
    expect(validatePostingSchedule({ slots: [{ day: 'mon', time: '09:00' }] })).toEqual([]);
    expect(validatePostingSchedule({ slots: [{ day: 'funday', time: '9:00' }] }).map((error) => error.path)).toEqual(['slots[0].day', 'slots[0].time']);
    expect(validatePostingSchedule({ slots: [{ day: 'mon', time: '09:00' }, { day: 'mon', time: '09:00' }] })).toHaveLength(1);
    expect(validatePostingSchedule(null)).toHaveLength(1);
  });

  it('sorts slots by weekday then time', () => {
    expect(normalizePostingSchedule({ slots: [{ day: 'tue', time: '08:00' }, { day: 'mon', time: '17:00' }, { day: 'mon', time: '09:00' }] }).slots).toEqual([
      { day: 'mon', time: '09:00' },
      { day: 'mon', time: '17:00' },
      { day: 'tue', time: '08:00' },
    ]);
  });
});

describe('derivePostStatus', () => {
  it.each([
    [[], 'draft'],
    [['publishing', 'published'], 'publishing'],
    // Out on one channel, still to go on another: under way, never just "scheduled" (nor the final partially_published).
    [['scheduled', 'published'], 'publishing'],
    [['published', 'scheduled', 'failed'], 'publishing'],
    [['scheduled', 'failed'], 'scheduled'],
    [['published', 'missed'], 'partially_published'],
    [['draft', 'cancelled'], 'draft'],
    [['pending_approval', 'pending_approval'], 'pending_approval'],
    [['pending_approval', 'published'], 'pending_approval'],
    [['pending_approval', 'draft'], 'pending_approval'],
    [['scheduled', 'pending_approval'], 'scheduled'],
    [['published', 'published'], 'published'],
    [['published', 'cancelled'], 'published'],
    [['failed', 'failed'], 'failed'],
    [['published', 'failed'], 'partially_published'],
    [['cancelled', 'cancelled'], 'cancelled'],
    // Unpublished: deleted once nothing of it is still out; else as its other channels have it.
    [['deleted', 'deleted'], 'deleted'],
    [['deleted', 'cancelled'], 'deleted'],
    [['deleted', 'failed'], 'deleted'],
    [['deleted', 'published'], 'published'],
    [['deleted', 'published', 'failed'], 'partially_published'],
  ] as const)('%j -> %s', (statuses, expected) => {
    expect(derivePostStatus([...statuses])).toBe(expected);
  });
});
