import { InvalidTimeError, isValidTimeZone, parseInstant, wallTimeToInstant } from './time-rules';

describe('wallTimeToInstant', () => {
  it('reads a normal wall time in its zone', () => {
    expect(wallTimeToInstant('2026-07-01T09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(wallTimeToInstant('2026-01-15T09:00', 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
    expect(wallTimeToInstant('2026-01-15T09:00', 'Asia/Kathmandu').toISOString()).toBe('2026-01-15T03:15:00.000Z');
    expect(wallTimeToInstant('2026-01-15T09:00:30', 'UTC').toISOString()).toBe('2026-01-15T09:00:30.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 becomes 03:30 CEST.
    expect(wallTimeToInstant('2026-03-29T02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // New York 2026-03-08: 02:15 becomes 03:15 EDT.
    expect(wallTimeToInstant('2026-03-08T02:15', 'America/New_York').toISOString()).toBe('2026-03-08T07:15:00.000Z');
    // Lord Howe's half-hour shift (2026-10-04): 02:15 becomes 02:45 (+11:00).
    expect(wallTimeToInstant('2026-10-04T02:15', 'Australia/Lord_Howe').toISOString()).toBe('2026-10-03T15:45:00.000Z');
  });

  it('takes the earlier instant of an ambiguous fall-back time', () => {
    expect(wallTimeToInstant('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(wallTimeToInstant('2026-11-01T01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('refuses malformed times and unknown zones', () => {
    expect(() => wallTimeToInstant('2026-02-30T09:00', 'UTC')).toThrow(InvalidTimeError);
    expect(() => wallTimeToInstant('2026-01-01 09:00', 'UTC')).toThrow(InvalidTimeError);
    expect(() => wallTimeToInstant('2026-01-01T24:00', 'UTC')).toThrow(InvalidTimeError);
    expect(() => wallTimeToInstant('2026-01-01T09:00', 'Mars/Olympus')).toThrow(InvalidTimeError);
  });
});

describe('parseInstant', () => {
  it('needs an offset or Z', () => {
    expect(parseInstant('2026-12-01T09:00:00+01:00').toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(parseInstant('2026-12-01T09:00Z').toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(() => parseInstant('2026-12-01T09:00:00')).toThrow(InvalidTimeError);
    expect(() => parseInstant('tomorrow')).toThrow(InvalidTimeError);
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names only', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('Not/AZone')).toBe(false);
  });
});
