import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ApiKeysService } from '../workspaces/api-keys.service';
import { Unauthorized } from './problems';

export interface AuthenticatedRequest extends Request {
  /** The request id (see request-id.ts), set before anything else runs. */
  id: string;
  workspaceId?: string;
  apiKeyId?: string;
}

function bearerToken(request: Request): string | undefined {
  const header = request.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Routes under /v1 (except creating a workspace): a workspace API key. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new Unauthorized('Send an API key as "Authorization: Bearer <key>"');
    const key = await this.apiKeys.authenticate(token);
    if (!key) throw new Unauthorized('The API key is unknown or revoked');
    request.workspaceId = key.workspaceId;
    request.apiKeyId = key.id;
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

/** The workspace of the authenticated API key. */
export const WorkspaceId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const workspaceId = context.switchToHttp().getRequest<AuthenticatedRequest>().workspaceId;
  if (!workspaceId) throw new Unauthorized('No workspace');
  return workspaceId;
});

export const RequestId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().id,
);
