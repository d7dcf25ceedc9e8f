/** Where the e2e tests find Postgres and Redis: the machine's own services unless told otherwise. */
import { randomBytes } from 'node:crypto';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Every database an e2e run makes is named `herald_e2e_<run>_...`. */
export const DATABASE_PREFIX = 'herald_e2e_';

/**
 * This run's tag, set once by the global setup (the test files inherit it):
 * its start time in base 36, then a random part. Its template and databases
 * carry it, so two runs from two checkouts on one machine leave each other's
 * databases alone, and a run's leftovers can be told by their age.
 */
export function runTag(): string {
  const tag = process.env.HERALD_E2E_RUN;
  if (!tag) throw new Error('HERALD_E2E_RUN is unset: the e2e global setup did not run');
  return tag;
}

export function newRunTag(now = Date.now()): string {
  return `${Math.floor(now / 1000).toString(36)}${randomBytes(2).toString('hex')}`;
}

/** When the run that made a database started (ms), read from its name; undefined for names of another shape. */
export function runStartedAt(database: string): number | undefined {
  const match = database.slice(DATABASE_PREFIX.length).match(/^([0-9a-z]{6})[0-9a-f]{4}_/);
  return match ? parseInt(match[1]!, 36) * 1000 : undefined;
}

export function templateDatabase(): string {
  return `${DATABASE_PREFIX}${runTag()}_template`;
}

/** A fresh database name of this run, for one test file's stack. */
export function testDatabase(kind = 'db'): string {
  return `${DATABASE_PREFIX}${runTag()}_${kind}_${randomBytes(5).toString('hex')}`;
}

export function databaseUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Settings for specs that crash or cut off what they test: short timeouts, leases and backoff, so a
 * recovery that takes minutes by default takes seconds. With X's posting cap off: bursts of hundreds to
 * one X account are past its 100 per 15 minutes, and the guarantee under test is recovery's, not the quota's.
 */
export const FAST_RECOVERY = {
  NETWORK_TIMEOUT_MS: '1500',
  CLAIM_LEASE_MS: '2000',
  RECONCILE_INTERVAL_MS: '500',
  RETRY_BACKOFF_MS: '100',
  MAX_PUBLISH_ATTEMPTS: '20',
  LOOKUP_SETTLE_MS: '2000',
  NETWORK_QUOTAS: 'x=off',
};
