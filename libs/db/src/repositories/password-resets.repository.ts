/**
 * `password_resets`: single-use, expiring tokens that let a person set a new
 * password; only their SHA-256 is kept. A reset is a person's, not a
 * workspace's: every method takes SYSTEM.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const PASSWORD_RESETS_SQL = {
  insert: new Statement(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond') RETURNING id, expires_at`),
  /** A reset by its token's hash, whatever its state. */
  find: new Statement(`SELECT id, user_id, expires_at, used_at, expires_at <= now() AS expired FROM password_resets WHERE token_hash = $1`),
  /** Uses up a reset that is unused and unexpired; answers whose it was. */
  take: new Statement(`UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`),
  /** Uses up every other reset of the person (a new password makes them pointless). */
  useUpAllOf: new Statement(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL RETURNING id`),
  /** Resets that ended more than a day ago. */
  prune: new Statement(`DELETE FROM password_resets WHERE expires_at < now() - interval '1 day' RETURNING id`),
};

export interface PasswordReset {
  id: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  expired: boolean;
}

@Injectable()
export class PasswordResetsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(_scope: SystemScope, reset: { userId: string; tokenHash: string; lifetimeMs: number }): Promise<{ id: string; expiresAt: Date }> {
    const row = (await this.one<{ id: string; expires_at: Date }>(PASSWORD_RESETS_SQL.insert, [reset.userId, reset.tokenHash, reset.lifetimeMs]))!;
    return { id: row.id, expiresAt: row.expires_at };
  }

  async find(_scope: SystemScope, tokenHash: string): Promise<PasswordReset | undefined> {
    const row = await this.one<{ id: string; user_id: string; expires_at: Date; used_at: Date | null; expired: boolean }>(PASSWORD_RESETS_SQL.find, [tokenHash]);
    return row && { id: row.id, userId: row.user_id, expiresAt: row.expires_at, usedAt: row.used_at, expired: row.expired };
  }

  /** The person whose reset this was, once: undefined when it is used, expired or unknown. */
  async take(_scope: SystemScope, tokenHash: string, on: Executor): Promise<string | undefined> {
    return (await this.one<{ user_id: string }>(PASSWORD_RESETS_SQL.take, [tokenHash], on))?.user_id;
  }

  async useUpAllOf(_scope: SystemScope, userId: string, on: Executor): Promise<number> {
    return (await this.rows(PASSWORD_RESETS_SQL.useUpAllOf, [userId], on)).length;
  }

  async prune(_scope: SystemScope): Promise<number> {
    return (await this.rows(PASSWORD_RESETS_SQL.prune, [])).length;
  }
}
