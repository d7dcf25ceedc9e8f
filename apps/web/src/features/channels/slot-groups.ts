/**
 * A posting schedule as people say it: weekday groups with their times
 * ("Weekdays at 09:00, 13:00", "Sat, Sun at 10:00"), built from and back to
 * the API's flat list of weekly slots. Pure, with a unit spec.
 */
import type { PostingSlot, Weekday } from '../../api/views';

export const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const WEEKEND: Weekday[] = ['sat', 'sun'];

const SHORT: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
export const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

export interface SlotGroup {
  days: Weekday[];
  times: string[];
}

export function sortSlots(slots: PostingSlot[]): PostingSlot[] {
  return [...slots].sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day) || a.time.localeCompare(b.time));
}

/** Days that share the same times, grouped, in week order of their first day. */
export function groupSlots(slots: PostingSlot[]): SlotGroup[] {
  const groups: SlotGroup[] = [];
  for (const day of DAYS) {
    const times = [...new Set(slots.filter((slot) => slot.day === day).map((slot) => slot.time))].sort();
    if (times.length === 0) continue;
    const same = groups.find((group) => group.times.join() === times.join());
    if (same) same.days.push(day);
    else groups.push({ days: [day], times });
  }
  return groups;
}

function same(days: Weekday[], set: Weekday[]): boolean {
  return days.length === set.length && set.every((day) => days.includes(day));
}

/** "Every day", "Weekdays", "Weekends", "Mon–Thu", "Mon, Wed, Fri". */
export function daysWords(days: Weekday[]): string {
  const ordered = DAYS.filter((day) => days.includes(day));
  if (same(ordered, DAYS)) return 'Every day';
  if (same(ordered, WEEKDAYS)) return 'Weekdays';
  if (same(ordered, WEEKEND)) return 'Weekends';
  const first = DAYS.indexOf(ordered[0]!);
  const consecutive = ordered.every((day, index) => DAYS.indexOf(day) === first + index);
  if (consecutive && ordered.length >= 3) return `${SHORT[ordered[0]!]}–${SHORT[ordered[ordered.length - 1]!]}`;
  return ordered.map((day) => SHORT[day]).join(', ');
}

/** "Weekdays at 09:00, 13:00; Sat at 10:00", or "No posting times". */
export function slotSummary(slots: PostingSlot[]): string {
  const groups = groupSlots(slots);
  if (groups.length === 0) return 'No posting times';
  return groups.map((group) => `${daysWords(group.days)} at ${group.times.join(', ')}`).join('; ');
}

/** Every time on every day given, added once. */
export function addSlots(slots: PostingSlot[], days: Weekday[], times: string[]): PostingSlot[] {
  const next = [...slots];
  for (const day of days) for (const time of times) if (!next.some((slot) => slot.day === day && slot.time === time)) next.push({ day, time });
  return sortSlots(next);
}

/** The time taken off the given days (one chip of a group). */
export function removeSlots(slots: PostingSlot[], days: Weekday[], time: string): PostingSlot[] {
  return slots.filter((slot) => !(days.includes(slot.day) && slot.time === time));
}

/** "9:00, 13:30 17:05" → ["09:00", "13:30", "17:05"]; what cannot be read is returned apart. */
export function parseTimes(text: string): { times: string[]; unreadable: string[] } {
  const times: string[] = [];
  const unreadable: string[] = [];
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const match = /^(\d{1,2})[:.h]?(\d{2})?$/.exec(part);
    const hour = match ? Number(match[1]) : NaN;
    const minute = match?.[2] ? Number(match[2]) : 0;
    if (!match || hour > 23 || minute > 59) unreadable.push(part);
    else times.push(`${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
  }
  return { times: [...new Set(times)].sort(), unreadable };
}
