/**
 * How many passwords may be tried, counted in Postgres (`sign_in_failures`,
 * so it holds across API replicas and survives a Redis loss) BEFORE each
 * password is hashed (see AttemptCounter): of attempts sent at once, only
 * as many as the limits allow are ever checked, and while a subject is
 * cooling off even the right password is refused (429).
 *
 * Three subjects, each an attempt is counted against (the account is the
 * email as typed, lowercased, whether or not anyone has it, so the throttle
 * tells nothing about who has an account):
 * - the pair of account and client address: PAIR_LIMIT attempts start a
 *   cool-off of SIGN_IN_WINDOW_MS. One address guessing at one account is
 *   stopped first, and only there: the person signs in from elsewhere.
 * - the address: ADDRESS_LIMIT (a higher bar: an office behind one proxy is
 *   many people) starts a cool-off of SIGN_IN_WINDOW_MS for every account.
 * - the account: ACCOUNT_LIMIT attempts from any addresses, then a cool-off
 *   that doubles with each further attempt (1 s, 2 s, 4 s, ... up to
 *   SIGN_IN_WINDOW_MS): guessing spread over many addresses is slowed to a
 *   crawl, while the person gets in once the cool-off is over.
 *
 * A count starts again after SIGN_IN_WINDOW_MS without an attempt. A
 * successful sign-in takes itself and the attempts counted before it off its
 * pair's and its account's counts (the person knew the password); attempts
 * counted after it, sent alongside, stay counted, and so does any cool-off
 * they started. An address's count loses only the successful attempt itself
 * (a guesser with an account of their own must not clear theirs).
 */
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { SignInSubject } from '@herald/db';
import { AttemptCounter, CountedAttempt } from './attempt-counter';

export const PAIR_LIMIT = 10;
export const ADDRESS_LIMIT = 50;
export const ACCOUNT_LIMIT = 20;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

export interface SignInSubjects {
  account: SignInSubject;
  address: SignInSubject;
  pair: SignInSubject;
}

/** An attempt that was allowed, to report its success with. */
export interface SignInAttempt {
  subjects: SignInSubjects;
  counted: CountedAttempt;
}

@Injectable()
export class SignInThrottle {
  constructor(private readonly counter: AttemptCounter) {}

  subjects(email: string, address: string | undefined): SignInSubjects {
    const account = email.toLowerCase();
    const from = address ?? 'unknown';
    return {
      account: { kind: 'account', hash: digest(`account:${account}`) },
      address: { kind: 'address', hash: digest(`address:${from}`) },
      pair: { kind: 'pair', hash: digest(`pair:${digest(account)}:${digest(from)}`) },
    };
  }

  /** Counts one password attempt, before it is checked; throws 429 with Retry-After while the pair, the address or the account is cooling off. */
  async attempt(subjects: SignInSubjects): Promise<SignInAttempt> {
    const counted = await this.counter.count(
      [
        { subject: subjects.pair, coolOffMs: (attempts) => (attempts >= PAIR_LIMIT ? SIGN_IN_WINDOW_MS : undefined) },
        { subject: subjects.address, coolOffMs: (attempts) => (attempts >= ADDRESS_LIMIT ? SIGN_IN_WINDOW_MS : undefined) },
        { subject: subjects.account, coolOffMs: accountCoolOffMs },
      ],
      SIGN_IN_WINDOW_MS,
      'Too many password attempts: try again later',
    );
    return { subjects, counted };
  }

  /** The password was right. */
  async succeeded({ subjects, counted }: SignInAttempt): Promise<void> {
    await this.counter.forgive(counted, subjects.pair);
    await this.counter.forgive(counted, subjects.account);
    await this.counter.refund(subjects.address);
  }

  /** The person proved they own the email (a password reset): their account's count and that of the address the reset came from start again. */
  async cleared(subjects: SignInSubjects): Promise<void> {
    await this.counter.clear(subjects.account);
    await this.counter.clear(subjects.pair);
  }
}

/** No cool-off up to ACCOUNT_LIMIT attempts; then 1 s, doubling with each attempt, up to the window. */
export function accountCoolOffMs(attempts: number): number | undefined {
  if (attempts < ACCOUNT_LIMIT) return undefined;
  return Math.min(SIGN_IN_WINDOW_MS, 1000 * 2 ** Math.min(attempts - ACCOUNT_LIMIT, 20));
}

export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
