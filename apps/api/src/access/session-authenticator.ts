/**
 * Finds the live session behind a presented cookie and the workspace a
 * signed-in person's request acts on. The role is read from `members` on
 * every request (never kept in the session), so a member removed, or whose
 * role changed, is judged by the new state at their next request. A
 * workspace the person is not in answers 404, like any other workspace's
 * ids.
 */
import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { LiveSession, MembersRepository, SYSTEM, SessionsRepository, Tenant, tenantOf } from '@herald/db';
import { MalformedRequest, NotFound } from '../common/problems';
import { isUuid } from '../common/uuid.pipe';
import { Role, isRole } from './permissions';
import { presentedSessionToken, sessionTokenHash } from './session-cookie';

/** Don't write `last_seen_at` on every request: once a minute keeps the idle timeout exact to a minute. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The header a signed-in person's request names its workspace with. */
export const WORKSPACE_HEADER = 'x-herald-workspace';
export const CSRF_HEADER = 'x-csrf-token';

@Injectable()
export class SessionAuthenticator {
  readonly secure: boolean;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly sessions: SessionsRepository,
    private readonly members: MembersRepository,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
  }

  /** The session cookie's value, if the request carries one. */
  presented(request: Request): string | undefined {
    return presentedSessionToken(request, this.secure);
  }

  /** The live session behind the request's cookie; undefined when it has none, or one that ended. */
  async authenticate(request: Request): Promise<LiveSession | undefined> {
    const token = this.presented(request);
    if (!token) return undefined;
    const session = await this.sessions.findLive(SYSTEM, sessionTokenHash(token), this.config.auth.sessionIdleMs);
    if (session && Date.now() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) await this.sessions.touch(SYSTEM, session.id);
    return session;
  }

  /** Whether the request carries its session's CSRF token, compared in constant time. */
  carriesCsrfToken(request: Request, session: LiveSession): boolean {
    const sent = request.header(CSRF_HEADER);
    return sent !== undefined && timingSafeEqual(digest(sent), digest(session.csrfToken));
  }

  /**
   * The workspace the person's request acts on, and their role there: the
   * one `X-Herald-Workspace` names (on a GET, an image's request that sends
   * no header of its own, the `workspace` query parameter), or, without it,
   * the only one they belong to.
   */
  async workspaceOf(request: Request, userId: string): Promise<{ tenant: Tenant; role: Role }> {
    const queried = request.method === 'GET' || request.method === 'HEAD' ? (request.query as Record<string, unknown>).workspace : undefined;
    const named = request.header(WORKSPACE_HEADER) ?? (typeof queried === 'string' ? queried : undefined);
    if (named !== undefined) {
      if (!isUuid(named)) throw new MalformedRequest(`${WORKSPACE_HEADER} must be a workspace id (a UUID)`, [{ path: `header.${WORKSPACE_HEADER}`, message: 'must be a UUID' }]);
      const tenant = tenantOf(named.toLowerCase());
      const role = await this.members.roleOf(tenant, userId);
      if (!isRole(role)) throw new NotFound('Workspace', named);
      return { tenant, role };
    }
    const memberships = await this.members.ofUser(SYSTEM, userId);
    if (memberships.length === 0) throw new NotFound('Workspace', '(you belong to none)');
    if (memberships.length > 1) {
      throw new MalformedRequest(`You belong to ${memberships.length} workspaces: name one with the ${WORKSPACE_HEADER} header`, [{ path: `header.${WORKSPACE_HEADER}`, message: 'is required' }]);
    }
    const [only] = memberships;
    if (!isRole(only!.role)) throw new NotFound('Workspace', only!.workspaceId);
    return { tenant: tenantOf(only!.workspaceId), role: only!.role };
  }
}

/** Hashing both sides first makes the comparison constant-time whatever the lengths. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
