/**
 * Who calls /mcp: an API key as `Authorization: Bearer` (the same keys, with
 * the same roles, as the REST API), or an OAuth access token (a person in a
 * workspace, with their role there: see oauth/). A key given in the URL is refused
 * outright, valid or not: a URL ends up in logs, proxies and histories.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ApiKeyAuthenticator, SessionAuthenticator, sessionCookieName } from '../access';
import { OAuthFlow } from './oauth/oauth-flow';
import { ACCESS_PREFIX } from './oauth/oauth-grants';
import { MalformedRequest, Problem } from '../common/problems';
import { ForwardedCaller } from './api-forwarder';

/** Query parameters that name a credential, whatever their value. */
const CREDENTIAL_PARAMS = /^(api[-_]?key|key|token|access[-_]?token|auth|authorization|bearer|secret)$/i;

export interface McpCaller extends ForwardedCaller {
  /** Who acts, for the idempotency keys made for calls that bring none. */
  actorId: string;
}

@Injectable()
export class McpAccess {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly keys: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly oauth: OAuthFlow,
  ) {}

  async authenticate(request: Request & { id?: string }): Promise<McpCaller> {
    refuseCredentialsInUrl(request.originalUrl ?? request.url);
    const authorization = request.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (!token) throw this.unauthorized('Send an API key or an OAuth access token as "Authorization: Bearer <token>" (never in the URL)');
    if (token.startsWith(ACCESS_PREFIX)) {
      const access = await this.oauth.accessOf(token);
      if (!access) throw this.unauthorized('The access token expired or was revoked: refresh it, or authorize again');
      const session = { cookie: `${sessionCookieName(this.sessions.secure)}=${access.session}`, csrfToken: access.live.csrfToken, workspaceId: access.workspaceId };
      return { session, actorId: `user:${access.live.userId}`, address: request.ip, requestId: request.id };
    }
    const key = await this.keys.authenticate(token);
    if (!key) throw this.unauthorized('The API key is unknown or revoked');
    return { authorization: `Bearer ${token}`, actorId: `api_key:${key.id}`, address: request.ip, requestId: request.id };
  }

  /** 401, saying where an MCP client finds how to get a token (RFC 9728). */
  private unauthorized(detail: string): Problem {
    const metadata = `${this.config.publicUrl}/.well-known/oauth-protected-resource`;
    return new Problem(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': `Bearer resource_metadata="${metadata}"` });
  }
}


/** 400 when the URL's query carries a credential: a parameter named for one, or a value that is an API key. */
export function refuseCredentialsInUrl(url: string): void {
  const query = new URL(url, 'http://herald.invalid').searchParams;
  for (const [name, value] of query) {
    if (CREDENTIAL_PARAMS.test(name) || /^hrld_/i.test(value)) {
      throw new MalformedRequest('Never put an API key in a URL (it ends up in logs): send it as "Authorization: Bearer <key>". This request was refused.', [
        { path: `query.${name}`, message: 'is a credential in the URL' },
      ]);
    }
  }
}
