/**
 * Counts attempts before they are made. Each attempt takes the rows of its
 * subjects under lock (in one order), is refused while any of them is in a
 * cool-off, and otherwise is counted against every one of them in the same
 * transaction; the attempt that reaches a subject's limit starts its
 * cool-off. Attempts sent at once are thus counted one by one, and no more
 * than the limit get past, whatever the timing: the count is taken before
 * the costly work (a password hash, an email), never after it.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Executor, SYSTEM, SignInCount, SignInFailuresRepository, SignInSubject, bySubject, inTransaction } from '@herald/db';
import { TooManyRequests } from '../common/problems';

/** How many attempts a subject is allowed in a window, and how long the cool-off that the `attempts`-th starts lasts (none when undefined). */
export interface AttemptLimit {
  subject: SignInSubject;
  coolOffMs(attempts: number): number | undefined;
}

/** Each subject's count once this attempt was counted (this attempt included). */
export type CountedAttempt = Map<SignInSubject, number>;

const PRUNE_EVERY_MS = 10 * 60_000;

@Injectable()
export class AttemptCounter {
  private prunedAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly failures: SignInFailuresRepository,
  ) {}

  /** Counts one attempt against every subject, or throws 429 (with Retry-After) while any of them is cooling off; a refused attempt is not counted. */
  async count(limits: AttemptLimit[], windowMs: number, refusal: string): Promise<CountedAttempt> {
    const ordered = [...limits].sort((a, b) => bySubject(a.subject, b.subject));
    const subjects = ordered.map((limit) => limit.subject);
    const outcome = await inTransaction(this.dataSource, async (tx) => {
      const counts = await this.lockAll(subjects, windowMs, tx);
      const blockedUntil = latest(counts.map((count) => count.blockedUntil));
      if (blockedUntil) return { blockedUntil };
      const counted: CountedAttempt = new Map();
      for (const limit of ordered) {
        const attempts = (counts.find((count) => bySubject(count.subject, limit.subject) === 0)?.attempts ?? 0) + 1;
        await this.failures.record(SYSTEM, limit.subject, attempts, limit.coolOffMs(attempts), tx);
        counted.set(limit.subject, attempts);
      }
      return { counted };
    });
    await this.pruneNowAndThen(windowMs);
    if (outcome.blockedUntil) throw new TooManyRequests(refusal, (outcome.blockedUntil.getTime() - Date.now()) / 1000);
    return outcome.counted!;
  }

  /** Every subject's row, locked; made again when a success's `forgive` removed it between the two statements. */
  private async lockAll(subjects: SignInSubject[], windowMs: number, tx: Executor): Promise<SignInCount[]> {
    for (;;) {
      await this.failures.ensure(SYSTEM, subjects, tx);
      const counts = await this.failures.lock(SYSTEM, subjects, windowMs, tx);
      if (counts.length === subjects.length) return counts;
    }
  }

  /** Takes a subject's attempts up to and including `attempt` off its count (those counted since stay). */
  async forgive(attempt: CountedAttempt, subject: SignInSubject): Promise<void> {
    const attempts = attempt.get(subject);
    if (attempts) await this.failures.forgive(SYSTEM, subject, attempts);
  }

  /** Takes this one attempt off the subject's count (the others stay). */
  async refund(subject: SignInSubject): Promise<void> {
    await this.failures.forgive(SYSTEM, subject, 1);
  }

  async clear(subject: SignInSubject): Promise<void> {
    await this.failures.clear(SYSTEM, subject);
  }

  private async pruneNowAndThen(windowMs: number): Promise<void> {
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    await this.failures.prune(SYSTEM, windowMs);
  }
}

function latest(dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((max, date) => (date && (!max || date > max) ? date : max), undefined);
}
