/**
 * A channel's posting schedule: weekly time slots read in the channel's zone
 * (Buffer's "queue"). Validation and normal form.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface PostingSlot {
  day: Weekday;
  /** `HH:mm`, 00:00 to 23:59, wall time in the channel's zone. */
  time: string;
}

export interface PostingSchedule {
  slots: PostingSlot[];
}

export const MAX_SLOTS = 7 * 24 * 4;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function validatePostingSchedule(input: unknown): { path: string; message: string }[] {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as { slots?: unknown }).slots)) {
    return [{ path: 'slots', message: 'must be an array of {day, time}' }];
  }
  const slots = (input as { slots: unknown[] }).slots;
  const errors: { path: string; message: string }[] = [];
  if (slots.length > MAX_SLOTS) errors.push({ path: 'slots', message: `must have at most ${MAX_SLOTS} slots` });
  const seen = new Set<string>();
  slots.forEach((slot, index) => {
    const { day, time } = (slot ?? {}) as { day?: unknown; time?: unknown };
    if (!(WEEKDAYS as readonly unknown[]).includes(day)) errors.push({ path: `slots[${index}].day`, message: 'must be one of mon..sun' });
    if (typeof time !== 'string' || !TIME.test(time)) errors.push({ path: `slots[${index}].time`, message: 'must be HH:mm (00:00 to 23:59)' });
    const key = `${String(day)} ${String(time)}`;
    if (seen.has(key)) errors.push({ path: `slots[${index}]`, message: `duplicates ${key}` });
    seen.add(key);
  });
  return errors;
}

/** Slots sorted by weekday then time, so equal schedules look equal. */
export function normalizePostingSchedule(schedule: { slots: { day: string; time: string }[] }): PostingSchedule {
  const slots = schedule.slots.map((slot) => ({ day: slot.day as Weekday, time: slot.time }));
  slots.sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.time.localeCompare(b.time));
  return { slots };
}
