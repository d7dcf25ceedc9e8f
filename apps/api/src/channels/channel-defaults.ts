/**
 * What a new channel starts with when whoever connects it does not say: the
 * workspace's zone (set at sign-up from the browser, `PATCH /v1/workspace`),
 * and a posting schedule a first "Add to queue" can use at once, Monday to
 * Friday at 09:00, 12:30 and 17:00 in that zone, marked `isDefault` until
 * someone edits it.
 */
import type { PostingScheduleValue } from '@herald/db';

export const DEFAULT_SLOT_TIMES = ['09:00', '12:30', '17:00'] as const;
export const DEFAULT_SLOT_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

export function defaultPostingSchedule(): PostingScheduleValue {
  return { slots: DEFAULT_SLOT_DAYS.flatMap((day) => DEFAULT_SLOT_TIMES.map((time) => ({ day, time }))) };
}
