/**
 * `sign_in_failures`: recent wrong passwords, per account (a hash of the
 * email as typed, lowercased, whether or not such a person exists) and per
 * client address (a hash of it). A row's count starts again once its last
 * failure is older than the window. Throttling is the installation's, not a
 * workspace's: every method takes SYSTEM.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Repository } from './repository';

/** Wrong passwords per account and per address; password-reset requests per account and per address (`reset_*`). */
export type SignInSubject = { kind: 'account' | 'address' | 'reset_account' | 'reset_address'; hash: string };

export const SIGN_IN_FAILURES_SQL = {
  blockedUntil: new Statement(
    `SELECT max(blocked_until) AS blocked_until FROM sign_in_failures
      WHERE (kind, subject_hash) IN (SELECT * FROM unnest($1::varchar[], $2::char(64)[])) AND blocked_until > now()`,
  ),
  count: new Statement(
    `INSERT INTO sign_in_failures AS f (kind, subject_hash, failures, last_failure_at) VALUES ($1, $2, 1, now())
      ON CONFLICT (kind, subject_hash) DO UPDATE SET
        failures = CASE WHEN f.last_failure_at < now() - $3 * interval '1 millisecond' THEN 1 ELSE f.failures + 1 END,
        blocked_until = CASE WHEN f.last_failure_at < now() - $3 * interval '1 millisecond' THEN NULL ELSE f.blocked_until END,
        last_failure_at = now()
      RETURNING failures`,
  ),
  block: new Statement(`UPDATE sign_in_failures SET blocked_until = GREATEST(blocked_until, now() + $3 * interval '1 millisecond') WHERE kind = $1 AND subject_hash = $2`),
  clear: new Statement(`DELETE FROM sign_in_failures WHERE kind = $1 AND subject_hash = $2`),
  prune: planned(`DELETE FROM sign_in_failures WHERE last_failure_at < now() - $1 * interval '1 millisecond' AND (blocked_until IS NULL OR blocked_until < now()) RETURNING kind`),
};

@Injectable()
export class SignInFailuresRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** The latest end of a cool-off any of these subjects is in; undefined when none is. */
  async blockedUntil(_scope: SystemScope, subjects: SignInSubject[]): Promise<Date | undefined> {
    const row = await this.one<{ blocked_until: Date | null }>(SIGN_IN_FAILURES_SQL.blockedUntil, [subjects.map((s) => s.kind), subjects.map((s) => s.hash)]);
    return row?.blocked_until ?? undefined;
  }

  /** Counts one failure (a fresh count when the last is older than `windowMs`); answers the count. */
  async count(_scope: SystemScope, subject: SignInSubject, windowMs: number): Promise<number> {
    return (await this.one<{ failures: number }>(SIGN_IN_FAILURES_SQL.count, [subject.kind, subject.hash, windowMs]))!.failures;
  }

  /** Refuses the subject's sign-ins for `forMs` from now (never shortening a cool-off already running). */
  async block(_scope: SystemScope, subject: SignInSubject, forMs: number): Promise<void> {
    await this.rows(SIGN_IN_FAILURES_SQL.block, [subject.kind, subject.hash, forMs]);
  }

  async clear(_scope: SystemScope, subject: SignInSubject): Promise<void> {
    await this.rows(SIGN_IN_FAILURES_SQL.clear, [subject.kind, subject.hash]);
  }

  /** Forgets counts whose window and cool-off are over. */
  async prune(_scope: SystemScope, windowMs: number): Promise<number> {
    return (await this.rows(SIGN_IN_FAILURES_SQL.prune, [windowMs])).length;
  }
}
