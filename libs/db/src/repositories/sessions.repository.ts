/**
 * `sessions`: signed-in browsers. Only the SHA-256 of the cookie's value is
 * kept. A session is live while it is not revoked, not past its absolute
 * end (`expires_at`) and used within the idle timeout (`last_seen_at`). A
 * session is a person's, not a workspace's: every method takes SYSTEM.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const SESSIONS_SQL = {
  insert: new Statement(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond') RETURNING id, expires_at`,
  ),
  findLive: new Statement(
    `SELECT id, user_id, csrf_token, last_seen_at, expires_at FROM sessions
      WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - $2 * interval '1 millisecond'`,
  ),
  touch: new Statement(`UPDATE sessions SET last_seen_at = date_trunc('milliseconds', now()) WHERE id = $1 AND revoked_at IS NULL`),
  revoke: new Statement(`UPDATE sessions SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id`),
  revokeByTokenHash: new Statement(`UPDATE sessions SET revoked_at = COALESCE(revoked_at, now()) WHERE token_hash = $1 RETURNING id`),
  revokeAllOf: new Statement(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`),
  endLive: new Statement(`UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id`),
  revokeOthersOf: new Statement(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id`),
};

export interface LiveSession {
  id: string;
  userId: string;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
}

@Injectable()
export class SessionsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(_scope: SystemScope, session: { tokenHash: string; userId: string; csrfToken: string; maxAgeMs: number }, on?: Executor): Promise<{ id: string; expiresAt: Date }> {
    const row = (await this.one<{ id: string; expires_at: Date }>(SESSIONS_SQL.insert, [session.tokenHash, session.userId, session.csrfToken, session.maxAgeMs], on))!;
    return { id: row.id, expiresAt: row.expires_at };
  }

  /** The live session behind a cookie's hash: not revoked, not past its end, used within `idleMs`. */
  async findLive(_scope: SystemScope, tokenHash: string, idleMs: number): Promise<LiveSession | undefined> {
    const row = await this.one<{ id: string; user_id: string; csrf_token: string; last_seen_at: Date; expires_at: Date }>(SESSIONS_SQL.findLive, [tokenHash, idleMs]);
    return row && { id: row.id, userId: row.user_id, csrfToken: row.csrf_token, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at };
  }

  async touch(_scope: SystemScope, id: string): Promise<void> {
    await this.rows(SESSIONS_SQL.touch, [id]);
  }

  async revoke(_scope: SystemScope, id: string): Promise<boolean> {
    return (await this.rows(SESSIONS_SQL.revoke, [id])).length > 0;
  }

  /** Ends whatever session a presented cookie names (a browser signing in again leaves its old one). */
  async revokeByTokenHash(_scope: SystemScope, tokenHash: string): Promise<boolean> {
    return (await this.rows(SESSIONS_SQL.revokeByTokenHash, [tokenHash])).length > 0;
  }

  /**
   * Ends the session a token names if it is still live, and answers whose it
   * was: of two requests presenting it, one only gets an answer (an MCP
   * client's OAuth code or refresh token is good once).
   */
  async endLive(_scope: SystemScope, tokenHash: string): Promise<string | undefined> {
    return (await this.one<{ user_id: string }>(SESSIONS_SQL.endLive, [tokenHash]))?.user_id;
  }

  /** Ends every live session of a person; answers how many. */
  async revokeAllOf(_scope: SystemScope, userId: string, on?: Executor): Promise<number> {
    return (await this.rows(SESSIONS_SQL.revokeAllOf, [userId], on)).length;
  }

  /** Ends every live session of a person but `keepId`; answers how many. */
  async revokeOthersOf(_scope: SystemScope, userId: string, keepId: string, on?: Executor): Promise<number> {
    return (await this.rows(SESSIONS_SQL.revokeOthersOf, [userId, keepId], on)).length;
  }
}
