import { InvalidTimeError, isValidTimeZone, parseInstant, wallTimeToInstant } from '@herald/scheduling';
import { MalformedRequest, UnprocessableRequest } from '../common/problems';
import { ScheduleDto } from './dto';

/** A little slack for clocks and the request's own travel time before `at` counts as "in the past". */
const PAST_TOLERANCE_MS = 1000;

/** `queue` and `next` give each channel its own time, from its posting schedule. */
export function isPerChannel(schedule: ScheduleDto): boolean {
  return schedule.mode === 'queue' || schedule.mode === 'next';
}

/**
 * The time a schedule names, for the modes that name one time for every
 * channel: `at` (instant, or wall time + zone), `now`, `draft` (null).
 * `queue` and `next` are per channel and resolved by the channel's queue.
 */
export function resolveFixedTime(schedule: ScheduleDto, now: Date): Date | null {
  switch (schedule.mode) {
    case 'draft':
      return null;
    case 'now':
      return now;
    case 'at':
      return resolveAt(schedule, now);
    default:
      throw new Error(`${schedule.mode} is resolved per channel`);
  }
}

function resolveAt(schedule: ScheduleDto, now: Date): Date {
  const hasInstant = schedule.at !== undefined;
  const hasWallTime = schedule.localTime !== undefined || schedule.timezone !== undefined;
  if (hasInstant === hasWallTime) {
    throw new MalformedRequest('schedule mode "at" takes either "at" (an instant) or "localTime" with "timezone"', [
      { path: 'schedule', message: 'give either at, or localTime and timezone' },
    ]);
  }
  let instant: Date;
  try {
    if (hasInstant) {
      instant = parseInstant(schedule.at!);
    } else {
      if (!schedule.localTime || !schedule.timezone) {
        throw new MalformedRequest('localTime and timezone go together', [{ path: 'schedule', message: 'give both localTime and timezone' }]);
      }
      if (!isValidTimeZone(schedule.timezone)) {
        throw new UnprocessableRequest(`"${schedule.timezone}" is not an IANA time zone`, [
          { path: 'schedule.timezone', message: 'is not an IANA time zone' },
        ]);
      }
      instant = wallTimeToInstant(schedule.localTime, schedule.timezone);
    }
  } catch (error) {
    if (error instanceof InvalidTimeError) {
      const path = hasInstant ? 'schedule.at' : 'schedule.localTime';
      throw new MalformedRequest(`${path}: ${error.message}`, [{ path, message: error.message }]);
    }
    throw error;
  }
  if (instant.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw new UnprocessableRequest(`The time ${instant.toISOString()} is in the past; use {"mode": "now"} to publish immediately`, [
      { path: hasInstant ? 'schedule.at' : 'schedule.localTime', message: 'is in the past' },
    ]);
  }
  return instant;
}
