/**
 * The one reader of the environment: every setting, in libs/config or in a
 * slice a module owns (ConfigSlice), is read through it, and a missing or
 * malformed variable becomes a problem naming it.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    if (value === undefined || value === '') return fallback;
    return value;
  }

  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.string(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${value}")`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL (got "${value}")`);
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  /** Milliseconds, or a number with a unit: `90s`, `30m`, `6h`, `2d`. */
  duration(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parseDuration(raw);
    if (value === undefined || value < min || value > max) {
      this.problems.push(`${name} must be a duration from ${min} ms to ${max / 86_400_000} days, as milliseconds or with a unit (90s, 30m, 6h, 2d) (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  /** Durations separated by commas, rising (`1h,24h,7d,30d`); empty (`none`) for none. */
  durations(name: string, fallback: number[], min: number, max: number): number[] {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw.trim() === 'none') return [];
    const values = raw.split(',').map((part) => parseDuration(part.trim()));
    if (values.some((value, index) => value === undefined || value < min || value > max || (index > 0 && value <= values[index - 1]!))) {
      this.problems.push(`${name} must be rising durations separated by commas, each from ${min} ms to ${max / 86_400_000} days (e.g. 1h,24h,7d,30d) (got "${raw}")`);
      return fallback;
    }
    return values as number[];
  }

  ratio(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > 1) {
      this.problems.push(`${name} must be a number above 0 and at most 1 (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.string(name, fallback);
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `6h`, `2d`, `250ms` or bare milliseconds; undefined when it is none of these. */
export function parseDuration(raw: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (!match) return undefined;
  const value = Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
  return Number.isSafeInteger(value) ? value : undefined;
}

