/** How a request says who it is: a workspace's API key under /v1, the operator's admin token for /v1/workspaces and /admin. */
import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { tenantOf } from '@herald/db';
import { Unauthorized } from '../common/problems';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthContext } from './auth-context';
import { API_KEY_ROLE } from './permissions';

export interface AuthenticatedRequest extends Request {
  /** The request id (see request-id.ts), set before anything else runs. */
  id: string;
  auth?: AuthContext;
  /** For the request log line. */
  workspaceId?: string;
}

function bearerToken(request: Request): string | undefined {
  const header = request.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Routes under /v1 (except creating a workspace): a workspace API key, resolved to the request's AuthContext. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new Unauthorized('Send an API key as "Authorization: Bearer <key>"');
    const key = await this.keys.authenticate(token);
    if (!key) throw new Unauthorized('The API key is unknown or revoked');
    request.auth = { tenant: tenantOf(key.workspaceId), actor: { kind: 'api_key', id: key.id }, role: API_KEY_ROLE, requestId: request.id };
    request.workspaceId = key.workspaceId;
    return true;
  }
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

/** The request's AuthContext (on routes behind ApiKeyGuard). */
export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Unauthorized('Not authenticated');
  return auth;
});
