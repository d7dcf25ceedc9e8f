/**
 * The session cookie: an opaque 32-byte random value (base64url), HttpOnly,
 * SameSite=Lax, Path=/, Secure (and `__Host-` prefixed, so no subdomain can
 * set or shadow it) when Herald is served over https. Its Max-Age is the
 * session's absolute lifetime; the server decides the rest.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';

export interface SessionCookieSettings {
  /** HERALD_PUBLIC_URL is https. */
  secure: boolean;
  maxAgeMs: number;
}

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-herald_session' : 'herald_session';
}

/** A new session's cookie value: never derived from anything the client sent. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a session token (and of nothing else). */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The session cookie's value on a request, if it has one that could be a token. */
export function presentedSessionToken(request: Request, secure: boolean): string | undefined {
  const header = request.header('cookie');
  if (!header || header.length > 8192) return undefined;
  const name = sessionCookieName(secure);
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    return /^[A-Za-z0-9_-]{1,100}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function setSessionCookie(token: string, settings: SessionCookieSettings): string {
  return [`${sessionCookieName(settings.secure)}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(settings.maxAgeMs / 1000)}`, ...(settings.secure ? ['Secure'] : [])].join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  return [`${sessionCookieName(secure)}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}
