/**
 * The sign-in throttle against the real Postgres: attempts sent at once are
 * counted one by one before anything is checked, so no more than the limit
 * get past whatever the timing; a success forgives only what came before it.
 */
import { DataSource } from 'typeorm';
import { SignInFailuresRepository } from '@herald/db';
import { cloneDatabase, TestDatabase } from '../../../../test/support/database';
import { Problem } from '../common/problems';
import { AttemptCounter } from './attempt-counter';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, PAIR_LIMIT, SIGN_IN_WINDOW_MS, SignInAttempt, SignInThrottle } from './sign-in-throttle';

let database: TestDatabase;
let db: DataSource;
let throttle: SignInThrottle;
let counter: AttemptCounter;
let nextAccount = 0;

const account = () => `person${(nextAccount += 1)}@example.com`;

/** Each attempt's outcome: counted (the attempt itself) or the status it was refused with. */
async function attemptAll(attempts: Promise<SignInAttempt>[]): Promise<(SignInAttempt | number)[]> {
  return Promise.all(attempts.map((attempt) => attempt.catch((error: unknown) => (error instanceof Problem ? error.status : Promise.reject(error)))));
}

beforeAll(async () => {
  database = await cloneDatabase('throttle');
  db = database.dataSource;
  counter = new AttemptCounter(db, new SignInFailuresRepository(db));
  throttle = new SignInThrottle(counter);
});

afterAll(async () => {
  await database?.drop();
});

describe('SignInThrottle', () => {
  it(`lets exactly ${PAIR_LIMIT} of 40 attempts sent at once from one address at one account through; the rest are 429 and not counted`, async () => {
    const email = account();
    const subjects = throttle.subjects(email, '192.0.2.1');
    const outcomes = await attemptAll(Array.from({ length: 40 }, () => throttle.attempt(subjects)));
    expect(outcomes.filter((outcome) => typeof outcome !== 'number')).toHaveLength(PAIR_LIMIT);
    expect(outcomes.filter((outcome) => outcome === 429)).toHaveLength(40 - PAIR_LIMIT);
    const counts = (await db.query(`SELECT kind, failures FROM sign_in_failures WHERE subject_hash = ANY($1) ORDER BY kind`, [[subjects.account.hash, subjects.address.hash, subjects.pair.hash]])) as { kind: string; failures: number }[];
    expect(counts).toEqual([
      { kind: 'account', failures: PAIR_LIMIT },
      { kind: 'address', failures: PAIR_LIMIT },
      { kind: 'pair', failures: PAIR_LIMIT },
    ]);
    // Refused with Retry-After, for the window; the same account from another address is not.
    await expect(throttle.attempt(subjects)).rejects.toMatchObject({ status: 429, headers: { 'Retry-After': expect.stringMatching(/^(89\d|900)$/) } });
    await expect(throttle.attempt(throttle.subjects(email, '192.0.2.2'))).resolves.toBeDefined();
  });

  it('forgives, on a success, the attempts counted up to it, never those counted after it', async () => {
    const subjects = throttle.subjects(account(), '192.0.2.3');
    await throttle.attempt(subjects);
    await throttle.attempt(subjects);
    const right = await throttle.attempt(subjects);
    // Three guesses counted while the right password was being checked.
    for (let guess = 0; guess < 3; guess += 1) await throttle.attempt(subjects);
    await throttle.succeeded(right);
    const outcomes = await attemptAll(Array.from({ length: 20 }, () => throttle.attempt(subjects)));
    // Three counted after the success stay: PAIR_LIMIT - 3 more get through.
    expect(outcomes.filter((outcome) => typeof outcome !== 'number')).toHaveLength(PAIR_LIMIT - 3);
  });

  it('keeps a cool-off that attempts sent alongside a success started', async () => {
    const subjects = throttle.subjects(account(), '192.0.2.4');
    const right = await throttle.attempt(subjects);
    await attemptAll(Array.from({ length: 20 }, () => throttle.attempt(subjects)));
    await throttle.succeeded(right);
    await expect(throttle.attempt(subjects)).rejects.toMatchObject({ status: 429 });
  });

  it(`stops one address after ${ADDRESS_LIMIT} attempts at any accounts, and one account after ${ACCOUNT_LIMIT} from any addresses with a short cool-off`, async () => {
    const outcomes = await attemptAll(Array.from({ length: ADDRESS_LIMIT + 10 }, () => throttle.attempt(throttle.subjects(account(), '192.0.2.5'))));
    expect(outcomes.filter((outcome) => typeof outcome !== 'number')).toHaveLength(ADDRESS_LIMIT);

    const email = account();
    const spread = await attemptAll(Array.from({ length: ACCOUNT_LIMIT }, (_, index) => throttle.attempt(throttle.subjects(email, `198.51.100.${index}`))));
    expect(spread.filter((outcome) => typeof outcome !== 'number')).toHaveLength(ACCOUNT_LIMIT);
    // The last of them started a cool-off of a second, for every address (it doubles with each further attempt).
    const [row] = (await db.query(`SELECT failures, extract(epoch FROM blocked_until - last_failure_at)::float AS seconds FROM sign_in_failures WHERE kind = 'account' AND subject_hash = $1`, [
      throttle.subjects(email, undefined).account.hash,
    ])) as { failures: number; seconds: number }[];
    expect(row).toEqual({ failures: ACCOUNT_LIMIT, seconds: 1 });
  });

  it('starts a count again after the window without attempts', async () => {
    const subjects = throttle.subjects(account(), '192.0.2.6');
    await attemptAll(Array.from({ length: PAIR_LIMIT }, () => throttle.attempt(subjects)));
    await expect(throttle.attempt(subjects)).rejects.toMatchObject({ status: 429 });
    await db.query(`UPDATE sign_in_failures SET last_failure_at = now() - $1 * interval '1 millisecond', blocked_until = now() WHERE subject_hash = $2`, [SIGN_IN_WINDOW_MS + 1000, subjects.pair.hash]);
    const again = await throttle.attempt(subjects);
    expect(again.counted.get(subjects.pair)).toBe(1);
  });
});

