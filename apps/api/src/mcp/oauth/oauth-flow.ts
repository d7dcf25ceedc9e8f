/**
 * OAuth 2.1 for MCP clients (authorization code with PKCE S256, public
 * clients registered dynamically, RFC 7591): the person signs in to Herald,
 * picks a workspace and allows the client; the client's token then acts as
 * that person in that workspace, with their role there (read from
 * `members` on every call, as for the web app). Tokens expire (an hour);
 * refresh tokens rotate (a used one is refused).
 */
import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { LiveSession, MembersRepository, SYSTEM, SessionsRepository } from '@herald/db';
import { isRole, sessionTokenHash } from '../../access';
import { SessionIssuer } from '../../people';
import { ACCESS_PREFIX, ACCESS_TTL_MS, CLIENT_PREFIX, CODE_PREFIX, CODE_TTL_MS, CodeGrant, OAuthGrants, REFRESH_PREFIX, REFRESH_TTL_MS, RegisteredClient, TokenGrant } from './oauth-grants';

/** An OAuth error answer (RFC 6749 section 5.2), not a problem: what OAuth clients read. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state?: string;
}

export interface Tokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

@Injectable()
export class OAuthFlow {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly grants: OAuthGrants,
    private readonly sessions: SessionsRepository,
    private readonly members: MembersRepository,
    private readonly issuer: SessionIssuer,
  ) {}

  register(body: Record<string, unknown>): { client_id: string; client_name: string; redirect_uris: string[] } {
    const uris = body.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > 10 || !uris.every((uri) => typeof uri === 'string' && allowedRedirect(uri))) {
      throw new OAuthError('invalid_redirect_uri', 'redirect_uris: 1 to 10 absolute URLs without a fragment, https or a loopback http address (or an app scheme)');
    }
    const name = typeof body.client_name === 'string' ? body.client_name.slice(0, 200) : 'MCP client';
    const client: RegisteredClient = { redirectUris: uris as string[], name };
    return { client_id: this.grants.seal(CLIENT_PREFIX, client), client_name: name, redirect_uris: client.redirectUris };
  }

  /** The client and its redirect, checked before anything is shown; a PKCE S256 challenge is required. */
  checkAuthorize(query: Record<string, unknown>): AuthorizeRequest & { client: RegisteredClient } {
    const client = this.grants.open<RegisteredClient>(CLIENT_PREFIX, query.client_id);
    if (!client) throw new OAuthError('invalid_client', 'Unknown client_id: register the client first (POST /oauth/register)');
    const redirectUri = String(query.redirect_uri ?? '');
    if (!client.redirectUris.includes(redirectUri)) throw new OAuthError('invalid_request', 'redirect_uri is not one the client registered');
    if (query.response_type !== undefined && query.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'Only response_type=code');
    if (query.code_challenge_method !== 'S256' || typeof query.code_challenge !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(query.code_challenge)) {
      throw new OAuthError('invalid_request', 'PKCE is required: code_challenge (S256 of the verifier, base64url) with code_challenge_method=S256');
    }
    return { client, clientId: String(query.client_id), redirectUri, codeChallenge: query.code_challenge, ...(typeof query.state === 'string' ? { state: query.state } : {}) };
  }

  /** The workspaces the signed-in person may pick. */
  async workspacesOf(session: LiveSession): Promise<{ workspaceId: string; name: string; role: string }[]> {
    return this.members.ofUser(SYSTEM, session.userId);
  }

  /** The person allowed the client in a workspace of theirs: a session of its own for the client, sealed in a code. */
  async allow(session: LiveSession, request: AuthorizeRequest, workspaceId: string, csrfToken: unknown): Promise<string> {
    if (typeof csrfToken !== 'string' || !sameSecret(csrfToken, session.csrfToken)) throw new OAuthError('access_denied', 'The form came without this session\'s CSRF token', 403);
    const membership = (await this.members.ofUser(SYSTEM, session.userId)).find((one) => one.workspaceId === workspaceId.toLowerCase());
    if (!membership || !isRole(membership.role)) {
      throw new OAuthError('access_denied', 'Pick a workspace you are a member of');
    }
    const issued = await this.issuer.issue(session.userId, undefined);
    const code: CodeGrant = { clientId: request.clientId, redirectUri: request.redirectUri, challenge: request.codeChallenge, session: issued.token, workspaceId: workspaceId.toLowerCase(), exp: Date.now() + CODE_TTL_MS };
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', this.grants.seal(CODE_PREFIX, code));
    if (request.state !== undefined) target.searchParams.set('state', request.state);
    return target.toString();
  }

  async token(body: Record<string, unknown>): Promise<Tokens> {
    if (body.grant_type === 'authorization_code') {
      const code = this.grants.open<CodeGrant>(CODE_PREFIX, body.code);
      if (!code || code.clientId !== body.client_id || code.redirectUri !== body.redirect_uri) throw new OAuthError('invalid_grant', 'The code is unknown, expired, or not this client\'s or redirect_uri\'s');
      if (typeof body.code_verifier !== 'string' || createHash('sha256').update(body.code_verifier).digest('base64url') !== code.challenge) {
        throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
      }
      return this.rotate(code.session, code.clientId, code.workspaceId, 'The code was already used');
    }
    if (body.grant_type === 'refresh_token') {
      const refresh = this.grants.open<TokenGrant>(REFRESH_PREFIX, body.refresh_token);
      if (!refresh || (body.client_id !== undefined && body.client_id !== refresh.clientId)) throw new OAuthError('invalid_grant', 'The refresh token is unknown, expired or not this client\'s');
      return this.rotate(refresh.session, refresh.clientId, refresh.workspaceId, 'The refresh token was already used (they rotate), or the session ended: authorize again');
    }
    throw new OAuthError('unsupported_grant_type', 'grant_type is authorization_code or refresh_token');
  }

  /** An access token's session and workspace, while both hold. */
  async accessOf(token: string): Promise<{ session: string; live: LiveSession; workspaceId: string } | undefined> {
    const grant = this.grants.open<TokenGrant>(ACCESS_PREFIX, token);
    if (!grant) return undefined;
    const live = await this.sessions.findLive(SYSTEM, sessionTokenHash(grant.session), this.config.auth.sessionIdleMs);
    return live && { session: grant.session, live, workspaceId: grant.workspaceId };
  }

  /** Ends the presented session and makes the next: a code or refresh token is good once. */
  private async rotate(sessionToken: string, clientId: string, workspaceId: string, used: string): Promise<Tokens> {
    const live = await this.sessions.findLive(SYSTEM, sessionTokenHash(sessionToken), this.config.auth.sessionIdleMs);
    // Ended in one statement: of two requests presenting the same code or refresh token, one only goes on.
    const userId = live && (await this.sessions.endLive(SYSTEM, sessionTokenHash(sessionToken)));
    if (!userId) throw new OAuthError('invalid_grant', used);
    const next = await this.issuer.issue(userId, undefined);
    const now = Date.now();
    return {
      access_token: this.grants.seal(ACCESS_PREFIX, { clientId, session: next.token, workspaceId, exp: now + ACCESS_TTL_MS } satisfies TokenGrant),
      token_type: 'Bearer',
      expires_in: ACCESS_TTL_MS / 1000,
      refresh_token: this.grants.seal(REFRESH_PREFIX, { clientId, session: next.token, workspaceId, exp: now + REFRESH_TTL_MS } satisfies TokenGrant),
      scope: 'herald',
    };
  }
}

function allowedRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    if (url.hash) return false;
    if (url.protocol === 'https:') return true;
    if (url.protocol === 'http:') return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    // An app's own scheme (cursor://, vscode://), never a script.
    return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && !['javascript:', 'data:', 'file:', 'vbscript:'].includes(url.protocol);
  } catch {
    return false;
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
