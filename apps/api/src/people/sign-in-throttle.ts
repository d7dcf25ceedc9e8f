/**
 * Wrong passwords are counted in Postgres (`sign_in_failures`), per account
 * (the email as typed, lowercased, whether or not anyone has it, so the
 * throttle tells nothing about who has an account) and per client address.
 * Counts start again after WINDOW_MS without a failure.
 *
 * - An address with LIMIT failures is refused (429) for WINDOW_MS: one
 *   address guessing many passwords, or many accounts, is stopped.
 * - An account with LIMIT failures gets a cool-off that doubles with each
 *   further failure (1 s, 2 s, 4 s, ... up to WINDOW_MS), from any address:
 *   spread guessing is slowed to a crawl, while the person who knows the
 *   password gets in from their own address once the cool-off is over. A
 *   success clears the account's count (never an address's: a guesser with
 *   an account of their own must not reset theirs).
 */
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SYSTEM, SignInFailuresRepository, SignInSubject } from '@herald/db';
import { TooManyRequests } from '../common/problems';

export const SIGN_IN_LIMIT = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export interface SignInSubjects {
  account: SignInSubject;
  address: SignInSubject;
}

@Injectable()
export class SignInThrottle {
  private prunedAt = 0;

  constructor(private readonly failures: SignInFailuresRepository) {}

  subjects(email: string, address: string | undefined): SignInSubjects {
    return {
      account: { kind: 'account', hash: digest(`account:${email.toLowerCase()}`) },
      address: { kind: 'address', hash: digest(`address:${address ?? 'unknown'}`) },
    };
  }

  /** Throws 429, with Retry-After, while either subject is in a cool-off. */
  async check(subjects: SignInSubject[]): Promise<void> {
    const until = await this.failures.blockedUntil(SYSTEM, subjects);
    if (until) throw new TooManyRequests('Too many wrong passwords: try again later', (until.getTime() - Date.now()) / 1000);
  }

  async failed(subjects: SignInSubject[]): Promise<void> {
    for (const subject of subjects) {
      const count = await this.failures.count(SYSTEM, subject, SIGN_IN_WINDOW_MS);
      if (count >= SIGN_IN_LIMIT) await this.failures.block(SYSTEM, subject, coolOffMs(subject, count));
    }
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await this.failures.prune(SYSTEM, SIGN_IN_WINDOW_MS);
    }
  }

  async succeeded(account: SignInSubject): Promise<void> {
    await this.failures.clear(SYSTEM, account);
  }
}

function coolOffMs(subject: SignInSubject, count: number): number {
  if (subject.kind === 'address') return SIGN_IN_WINDOW_MS;
  return Math.min(SIGN_IN_WINDOW_MS, 1000 * 2 ** Math.min(count - SIGN_IN_LIMIT, 20));
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
