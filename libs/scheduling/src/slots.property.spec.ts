/**
 * Property tests over every zone in the IANA database and instants from 2000
 * to 2040 (100,000+ generated cases in all): slots are never early, keep
 * their wall time (or the documented forward shift in a gap), never collide.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { PostingSchedule, WEEKDAYS } from './posting-schedule';
import { assignSlots, nextFreeSlot } from './slots';
import { wallTimeToInstant } from './time-rules';

const ZONES = Intl.supportedValuesOf('timeZone');
const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2040, 0, 1);

const zone = fc.constantFrom(...ZONES);
const instant = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms));
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`);
const slot = fc.record({ day: fc.constantFrom(...WEEKDAYS), time });
const schedule = fc.uniqueArray(slot, { minLength: 1, maxLength: 6, selector: (s) => `${s.day} ${s.time}` }).map((slots) => ({ slots }));

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in minutes, read from Intl.DateTimeFormat (not luxon, not Herald). */
function intlOffsetMinutes(ms: number, zoneName: string): number {
  let format = zoneFormats.get(zoneName);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zoneName, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormats.set(zoneName, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(ms)).map(({ type, value }) => [type, Number(value)]));
  const shownAsUtc = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return Math.round((shownAsUtc - (ms - (ms % 1000))) / 60_000);
}

/**
 * Where PRODUCT.md's gap rule puts a wall time the zone skips, from the
 * zone's offsets alone: a wall time no offset of that day reads back as does
 * not exist, and moves forward by the gap, i.e. it is read with the offset
 * in force before the change. Undefined when the wall time exists.
 */
function gapInstant(wall: { year: number; month: number; day: number; hour: number; minute: number }, zoneName: string): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = intlOffsetMinutes(asUtc - 86_400_000, zoneName);
  const after = intlOffsetMinutes(asUtc + 86_400_000, zoneName);
  const exists = [before, after].some((offset) => intlOffsetMinutes(asUtc - offset * 60_000, zoneName) === offset);
  if (exists || after <= before) return undefined;
  return asUtc - before * 60_000;
}

/** The slot's wall time, or — only when that time does not exist that day — a later time by the zone's gap. */
function keepsWallTime(result: Date, schedule: PostingSchedule, zoneName: string): boolean {
  const local = DateTime.fromJSDate(result, { zone: zoneName });
  const sameDay = schedule.slots.filter((s) => s.day === WEEKDAYS[local.weekday - 1]);
  const hhmm = local.toFormat('HH:mm');
  if (sameDay.some((s) => s.time === hhmm)) return true;
  // A gap shift: some slot's wall time does not exist and the zone's offsets move it to this instant.
  return schedule.slots.some((s) => {
    for (const candidate of [local, local.minus({ days: 1 })]) {
      if (s.day !== WEEKDAYS[candidate.weekday - 1]) continue;
      const [hour, minute] = s.time.split(':').map(Number) as [number, number];
      if (gapInstant({ year: candidate.year, month: candidate.month, day: candidate.day, hour, minute }, zoneName) === result.getTime()) return true;
    }
    return false;
  });
}

describe('scheduling properties over every IANA zone, 2000–2040', () => {
  it("finds the gaps by the zones' published changes: the reference the properties below check against", () => {
    const at = (iso: string) => new Date(iso).getTime();
    // 02:30 does not exist on these days; read with the offset before the change it is 03:30 (on Lord Howe, a half-hour gap: 02:15 is 02:45).
    expect(gapInstant({ year: 2030, month: 3, day: 31, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(at('2030-03-31T01:30:00Z'));
    expect(gapInstant({ year: 2030, month: 3, day: 10, hour: 2, minute: 30 }, 'America/New_York')).toBe(at('2030-03-10T07:30:00Z'));
    expect(gapInstant({ year: 2030, month: 10, day: 6, hour: 2, minute: 15 }, 'Australia/Lord_Howe')).toBe(at('2030-10-05T15:45:00Z'));
    // Times that exist, the fall-back overlap included, and a zone without DST.
    expect(gapInstant({ year: 2030, month: 3, day: 31, hour: 3, minute: 0 }, 'Europe/Berlin')).toBeUndefined();
    expect(gapInstant({ year: 2030, month: 10, day: 27, hour: 2, minute: 30 }, 'Europe/Berlin')).toBeUndefined();
    expect(gapInstant({ year: 2030, month: 3, day: 31, hour: 2, minute: 30 }, 'Asia/Tokyo')).toBeUndefined();
  });

  it('wall time to instant: round-trips, or is shifted forward by exactly the gap (60,000 cases)', () => {
    const localTime = fc
      .tuple(fc.integer({ min: 2000, max: 2039 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([y, mo, d, h, mi]) => `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`);
    fc.assert(
      fc.property(zone, localTime, (zoneName, wall) => {
        const result = wallTimeToInstant(wall, zoneName);
        const back = DateTime.fromJSDate(result, { zone: zoneName });
        const asked = DateTime.fromISO(wall, { zone: 'UTC' });
        const shown = DateTime.fromISO(back.toFormat("yyyy-MM-dd'T'HH:mm"), { zone: 'UTC' });
        const shiftMinutes = shown.diff(asked, 'minutes').minutes;
        if (shiftMinutes === 0) {
          // Ambiguous times take the earlier instant: one hour (or the overlap) earlier is not the same wall time.
          const earlier = DateTime.fromJSDate(new Date(result.getTime() - 3_600_000), { zone: zoneName }).toFormat("yyyy-MM-dd'T'HH:mm");
          expect(earlier).not.toBe(wall);
          return;
        }
        // Only a nonexistent time moves, forward, by the zone's offset change there.
        const before = DateTime.fromMillis(result.getTime() - 86_400_000, { zone: zoneName }).offset;
        const after = DateTime.fromMillis(result.getTime() + 86_400_000, { zone: zoneName }).offset;
        expect(shiftMinutes).toBeGreaterThan(0);
        expect(shiftMinutes).toBe(after - before);
      }),
      { numRuns: 60_000 },
    );
  });

  it('next free slot: after "after", on a slot wall time, never a taken one (25,000 cases)', () => {
    fc.assert(
      fc.property(zone, schedule, instant, fc.integer({ min: 0, max: 4 }), (zoneName, plan, after, takeCount) => {
        const taken = assignSlots(plan, zoneName, after, takeCount, []);
        const result = nextFreeSlot(plan, zoneName, after, taken);
        expect(result).not.toBeNull();
        expect(result!.getTime()).toBeGreaterThan(after.getTime());
        expect(taken.some((t) => t.getTime() === result!.getTime())).toBe(false);
        expect(keepsWallTime(result!, plan, zoneName)).toBe(true);
      }),
      { numRuns: 25_000 },
    );
  });

  it('assigned slots strictly increase and never share an instant (10,000 cases)', () => {
    fc.assert(
      fc.property(zone, schedule, instant, fc.integer({ min: 1, max: 12 }), (zoneName, plan, after, count) => {
        const slots = assignSlots(plan, zoneName, after, count, []);
        expect(slots).toHaveLength(count);
        for (let index = 1; index < slots.length; index += 1) expect(slots[index]!.getTime()).toBeGreaterThan(slots[index - 1]!.getTime());
      }),
      { numRuns: 10_000 },
    );
  });

  it('ten queued posts across a DST change keep their wall times (5,000 cases)', () => {
    const dstZones = ZONES.filter((name) => {
      const year = DateTime.fromObject({ year: 2030 }, { zone: name });
      return year.isValid && year.offset !== year.set({ month: 7 }).offset;
    });
    fc.assert(
      fc.property(fc.constantFrom(...dstZones), schedule, fc.integer({ min: 2000, max: 2039 }), fc.boolean(), (zoneName, plan, year, spring) => {
        // Start a few days before one of the year's offset changes.
        const january = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: zoneName });
        let probe = january;
        while (probe.year === year && probe.offset === january.offset) probe = probe.plus({ days: 7 });
        const change = spring ? probe : probe.plus({ months: 6 });
        const after = change.minus({ days: 10 }).toJSDate();
        const slots = assignSlots(plan, zoneName, after, 10, []);
        expect(slots).toHaveLength(10);
        for (const result of slots) expect(keepsWallTime(result, plan, zoneName)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
