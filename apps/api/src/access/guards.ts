/**
 * How a request says who it is: under /v1, a workspace's API key or a
 * signed-in person's session cookie (with the workspace it names); the
 * operator's admin token for /v1/workspaces and /admin.
 */
import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { LiveSession, inScope, tenantOf } from '@herald/db';
import { Forbidden, MalformedRequest, NotFound, Unauthorized } from '../common/problems';
import { AccessService } from './access.service';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthContext } from './auth-context';
import { CHANNEL_KEYS_KEY, ChannelKeyScope, NEEDS_KEY, RouteNeeds } from './needs';
import { CSRF_HEADER, SessionAuthenticator } from './session-authenticator';

export interface AuthenticatedRequest extends Request {
  /** The request id (see request-id.ts), set before anything else runs. */
  id: string;
  auth?: AuthContext;
  /** The live session of a signed-in person (on routes behind AuthGuard or SessionGuard, when a cookie authenticated it). */
  session?: LiveSession;
  /** For the request log line. */
  workspaceId?: string;
}

function bearerToken(request: Request): string | undefined {
  const header = request.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Methods that change nothing: the only ones a session cookie may send without its CSRF token. */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Routes under /v1 that act on a workspace: an API key (`Authorization:
 * Bearer`), or else a session cookie, resolved to the request's
 * AuthContext. A key wins when both are sent (a wrong key is refused, the
 * cookie is not tried). A cookie request that changes something must carry
 * its session's CSRF token; a key request needs none (no browser sends it
 * by itself). Then the route's `@Needs` is checked against the caller's
 * role, and for a key limited to some channels its `@ForChannelKeys`,
 * before anything reads the request's body.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly access: AccessService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.auth = await this.authenticate(request);
    request.workspaceId = request.auth.tenant.workspaceId;
    const needs = this.reflector.getAllAndOverride<RouteNeeds | undefined>(NEEDS_KEY, [context.getHandler(), context.getClass()]);
    if (!needs) throw new Forbidden('This route does not say what it needs, so nobody may use it');
    if (needs !== 'member') this.access.tenant(request.auth, needs);
    if (request.auth.tenant.channelIds) this.keepToChannels(request, this.reflector.getAllAndOverride<ChannelKeyScope | undefined>(CHANNEL_KEYS_KEY, [context.getHandler(), context.getClass()]));
    return true;
  }

  /** A key limited to some channels: refused on a route that reaches the whole workspace; the channel a route names must be one of them. */
  private keepToChannels(request: AuthenticatedRequest, scope: ChannelKeyScope | undefined): void {
    const tenant = request.auth!.tenant;
    const count = tenant.channelIds!.length;
    if (!scope) {
      throw new Forbidden(`This API key is limited to ${count} channel${count === 1 ? '' : 's'}, and this route reaches the whole workspace: it needs a key that is not limited to channels`);
    }
    if (scope === 'inside') return;
    const channelId = 'param' in scope ? request.params[scope.param] : request.query[scope.query];
    if (typeof channelId !== 'string' || channelId === '') {
      const name = 'param' in scope ? scope.param : scope.query;
      throw new MalformedRequest(`This API key is limited to channels: name one of them in ${name}`, [{ path: name, message: 'is required for a key limited to channels' }]);
    }
    if (!inScope(tenant, channelId)) throw new NotFound('Channel', channelId);
  }

  private async authenticate(request: AuthenticatedRequest): Promise<AuthContext> {
    const token = bearerToken(request);
    if (token) {
      const key = await this.keys.authenticate(token);
      if (!key) throw new Unauthorized('The API key is unknown or revoked');
      return { tenant: tenantOf(key.workspaceId, key.channelIds), actor: { kind: 'api_key', id: key.id }, role: key.role, requestId: request.id, address: request.ip };
    }
    if (this.sessions.presented(request)) {
      const session = await signedIn(this.sessions, request);
      const { tenant, role } = await this.sessions.workspaceOf(request, session.userId);
      return { tenant, actor: { kind: 'user', id: session.userId }, role, requestId: request.id, address: request.ip, sessionId: session.id };
    }
    throw new Unauthorized('Send an API key as "Authorization: Bearer <key>", or sign in (POST /v1/auth/sign-in) and send the session cookie');
  }
}

/** `/v1/auth/*` routes of a signed-in person (me, sign-out, password): the session cookie, no workspace. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await signedIn(this.sessions, context.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}

/**
 * Routes a person may use signed in or not (accepting an invitation): a
 * live session, when the cookie names one, is set on the request (with its
 * CSRF token checked, as on every signed-in change); a cookie whose session
 * has ended counts as none.
 */
@Injectable()
export class OptionalSessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const session = this.sessions.presented(request) ? await this.sessions.authenticate(request) : undefined;
    if (session) checkedIn(this.sessions, request, session);
    return true;
  }
}

/** The request's live session (set on the request), with its CSRF token checked when the request changes something. */
async function signedIn(sessions: SessionAuthenticator, request: AuthenticatedRequest): Promise<LiveSession> {
  const session = await sessions.authenticate(request);
  if (!session) throw new Unauthorized('Not signed in, or the session has ended: sign in again (POST /v1/auth/sign-in)');
  return checkedIn(sessions, request, session);
}

/** A live session's request, its CSRF token checked when it changes something, set on the request. */
function checkedIn(sessions: SessionAuthenticator, request: AuthenticatedRequest, session: LiveSession): LiveSession {
  if (!SAFE_METHODS.includes(request.method) && !sessions.carriesCsrfToken(request, session)) {
    throw new Forbidden(`A signed-in request that changes something must carry the session's CSRF token in ${CSRF_HEADER} (from GET /v1/auth/me)`);
  }
  request.session = session;
  return session;
}

/** `/v1/workspaces` and `/admin/*`: the operator's admin token, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(HERALD_CONFIG) config: HeraldConfig) {
    this.expected = config.adminToken ? digest(config.adminToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request);
    if (!this.expected) throw new Unauthorized('No admin token is configured (set HERALD_ADMIN_TOKEN)');
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      throw new Unauthorized('Send the admin token as "Authorization: Bearer <token>"');
    }
    return true;
  }
}

/** Hashing both sides first makes the comparison constant-time whatever the lengths. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The request's AuthContext (on routes behind AuthGuard). */
export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Unauthorized('Not authenticated');
  return auth;
});

/** The signed-in person's live session (on routes behind SessionGuard). */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): LiveSession => {
  const session = context.switchToHttp().getRequest<AuthenticatedRequest>().session;
  if (!session) throw new Unauthorized('Not signed in');
  return session;
});

/** The signed-in person's live session, if any (on routes behind OptionalSessionGuard). */
export const MaybeSession = createParamDecorator((_: unknown, context: ExecutionContext): LiveSession | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().session);
