/**
 * `sign_in_failures`: recent attempts at a password, per account (a hash of
 * the email as typed, lowercased, whether or not such a person exists), per
 * client address and per pair of the two (hashes of them); and password-reset
 * requests per account and per address. A row's count starts again once its
 * last attempt is older than the window. An attempt is counted before its
 * password is hashed, under the row's lock (`ensure`, then `lock` and
 * `record` in one transaction), so attempts sent at once are counted one by
 * one. Throttling is the installation's, not a workspace's: every method
 * takes SYSTEM.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

/** Attempts per account, per address and per account and address together; password-reset requests per account and per address (`reset_*`). */
export type SignInSubject = { kind: 'account' | 'address' | 'pair' | 'reset_account' | 'reset_address'; hash: string };

/** A subject's count as it stands (0 when its window is over), and the end of a cool-off it is in, if any. */
export interface SignInCount {
  subject: SignInSubject;
  attempts: number;
  blockedUntil: Date | undefined;
}

export const SIGN_IN_FAILURES_SQL = {
  ensure: new Statement(
    `INSERT INTO sign_in_failures (kind, subject_hash, failures, last_failure_at)
      SELECT kind, subject_hash, 0, now() FROM unnest($1::varchar[], $2::char(64)[]) AS s(kind, subject_hash)
      ON CONFLICT (kind, subject_hash) DO NOTHING`,
  ),
  lock: new Statement(
    `SELECT kind, subject_hash,
        CASE WHEN last_failure_at < now() - $3 * interval '1 millisecond' THEN 0 ELSE failures END AS failures,
        CASE WHEN blocked_until > now() THEN blocked_until END AS blocked_until
      FROM sign_in_failures
      WHERE (kind, subject_hash) IN (SELECT * FROM unnest($1::varchar[], $2::char(64)[]))
      ORDER BY kind, subject_hash
      FOR UPDATE`,
  ),
  record: new Statement(
    `UPDATE sign_in_failures SET failures = $3, last_failure_at = now(),
        blocked_until = CASE WHEN $4::bigint IS NULL THEN NULL ELSE now() + $4::bigint * interval '1 millisecond' END
      WHERE kind = $1 AND subject_hash = $2`,
  ),
  forgive: new Statement(
    `WITH gone AS (
        DELETE FROM sign_in_failures WHERE kind = $1 AND subject_hash = $2 AND failures <= $3 AND (blocked_until IS NULL OR blocked_until <= now()) RETURNING kind
      )
      UPDATE sign_in_failures SET failures = failures - $3 WHERE kind = $1 AND subject_hash = $2 AND failures > $3`,
  ),
  clear: new Statement(`DELETE FROM sign_in_failures WHERE kind = $1 AND subject_hash = $2`),
  prune: planned(`DELETE FROM sign_in_failures WHERE last_failure_at < now() - $1 * interval '1 millisecond' AND (blocked_until IS NULL OR blocked_until < now()) RETURNING kind`),
};

@Injectable()
export class SignInFailuresRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Makes a row (count 0) for each subject that has none, so `lock` finds them all; send the subjects in one order everywhere (`bySubject`). */
  async ensure(_scope: SystemScope, subjects: SignInSubject[], on: Executor): Promise<void> {
    await this.rows(SIGN_IN_FAILURES_SQL.ensure, [subjects.map((s) => s.kind), subjects.map((s) => s.hash)], on);
  }

  /** Locks the subjects' rows (in one order, so two attempts never wait on each other) and answers their counts within `windowMs`. */
  async lock(_scope: SystemScope, subjects: SignInSubject[], windowMs: number, on: Executor): Promise<SignInCount[]> {
    const rows = await this.rows<{ kind: SignInSubject['kind']; subject_hash: string; failures: number; blocked_until: Date | null }>(
      SIGN_IN_FAILURES_SQL.lock,
      [subjects.map((s) => s.kind), subjects.map((s) => s.hash), windowMs],
      on,
    );
    return rows.map((row) => ({ subject: { kind: row.kind, hash: row.subject_hash }, attempts: row.failures, blockedUntil: row.blocked_until ?? undefined }));
  }

  /** Sets a locked subject's count (its last attempt now) and its cool-off (`blockForMs` from now; none when undefined). */
  async record(_scope: SystemScope, subject: SignInSubject, attempts: number, blockForMs: number | undefined, on: Executor): Promise<void> {
    await this.rows(SIGN_IN_FAILURES_SQL.record, [subject.kind, subject.hash, attempts, blockForMs === undefined ? null : Math.ceil(blockForMs)], on);
  }

  /**
   * Takes `attempts` off a subject's count (those up to and including a
   * successful one); the row goes when nothing is left and no cool-off
   * runs. Attempts counted since stay counted, and so does a cool-off they
   * started.
   */
  async forgive(_scope: SystemScope, subject: SignInSubject, attempts: number): Promise<void> {
    await this.rows(SIGN_IN_FAILURES_SQL.forgive, [subject.kind, subject.hash, attempts]);
  }

  async clear(_scope: SystemScope, subject: SignInSubject): Promise<void> {
    await this.rows(SIGN_IN_FAILURES_SQL.clear, [subject.kind, subject.hash]);
  }

  /** Forgets counts whose window and cool-off are over. */
  async prune(_scope: SystemScope, windowMs: number): Promise<number> {
    return (await this.rows(SIGN_IN_FAILURES_SQL.prune, [windowMs])).length;
  }
}

/** The one order subjects are locked in (as `lock` sorts them: kind, then hash). */
export function bySubject(a: SignInSubject, b: SignInSubject): number {
  return a.kind === b.kind ? (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0) : a.kind < b.kind ? -1 : 1;
}
