/**
 * Wall-clock times to instants, with Herald's policy for the two awkward
 * cases of daylight-saving changes: a wall time that does not exist (the
 * spring-forward gap) moves forward by the gap; one that exists twice (the
 * fall-back overlap) takes the earlier instant. Pure: no clock, no I/O.
 */
import { DateTime, IANAZone } from 'luxon';

export class InvalidTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTimeError';
  }
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;

const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/** An ISO 8601 instant; it must carry an offset or `Z`, or it names no instant. */
export function parseInstant(iso: string): Date {
  if (!INSTANT.test(iso)) throw new InvalidTimeError(`"${iso}" is not an ISO 8601 instant with an offset or Z`);
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw new InvalidTimeError(`"${iso}" is not a valid instant: ${parsed.invalidExplanation ?? parsed.invalidReason}`);
  return parsed.toJSDate();
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** `YYYY-MM-DDTHH:mm[:ss]` in an IANA zone, to the instant it names (see the module's policy). */
export function wallTimeToInstant(localTime: string, zone: string): Date {
  const match = LOCAL_TIME.exec(localTime);
  if (!match) throw new InvalidTimeError(`"${localTime}" is not a local time YYYY-MM-DDTHH:mm`);
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const wall: WallTime = { year, month, day, hour, minute, second: match[6] === undefined ? 0 : Number(match[6]) };
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, wall.second));
  if (year < 1000 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || minute > 59 || (wall.second ?? 0) > 59) {
    throw new InvalidTimeError(`"${localTime}" is not a valid date and time`);
  }
  if (!isValidTimeZone(zone)) throw new InvalidTimeError(`"${zone}" is not an IANA time zone`);
  return new Date(wallToEpochMs(wall, zone));
}

/**
 * The instant of a wall time in a zone. Candidates are the wall time read
 * with the zone's offset a day before and a day after; those whose offset
 * agrees with the zone at that instant are real. None real: a gap, so read
 * it with the offset before the change (which lands later by the gap). Two
 * real: an overlap, so take the earlier.
 */
export function wallToEpochMs(wall: WallTime, zone: string): number {
  const iana = IANAZone.create(zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  const before = iana.offset(asUtc - DAY_MS);
  const after = iana.offset(asUtc + DAY_MS);
  const candidates = [...new Set([before, after, iana.offset(asUtc)])].map((offset) => asUtc - offset * 60_000);
  const real = candidates.filter((instant) => instant === asUtc - iana.offset(instant) * 60_000).sort((a, b) => a - b);
  if (real.length > 0) return real[0]!;
  return asUtc - before * 60_000;
}
