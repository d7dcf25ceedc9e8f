/**
 * Starts sessions. Every sign-in and sign-up gets a new random token (never
 * one the client sent: no session fixation), and whatever session the
 * browser's old cookie named is ended.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { SYSTEM, SessionsRepository } from '@herald/db';
import { newSessionToken, sessionTokenHash } from '../access';

export interface IssuedSession {
  id: string;
  /** The cookie's value: shown to this response only, never stored. */
  token: string;
  csrfToken: string;
}

@Injectable()
export class SessionIssuer {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly sessions: SessionsRepository,
  ) {}

  async issue(userId: string, presented: string | undefined): Promise<IssuedSession> {
    if (presented) await this.sessions.revokeByTokenHash(SYSTEM, sessionTokenHash(presented));
    const token = newSessionToken();
    const csrfToken = randomBytes(32).toString('base64url');
    const { id } = await this.sessions.insert(SYSTEM, { tokenHash: sessionTokenHash(token), userId, csrfToken, maxAgeMs: this.config.auth.sessionMaxAgeMs });
    return { id, token, csrfToken };
  }
}
