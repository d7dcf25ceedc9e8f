import type { Request } from 'express';
import { clearSessionCookie, presentedSessionToken, setSessionCookie } from './session-cookie';

const request = (cookie?: string) => ({ header: (name: string) => (name === 'cookie' ? cookie : undefined) }) as unknown as Request;

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, for the session\'s whole life; Secure and __Host- prefixed over https', () => {
    expect(setSessionCookie('abc', { secure: false, maxAgeMs: 30 * 86_400_000 })).toBe('herald_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000');
    expect(setSessionCookie('abc', { secure: true, maxAgeMs: 60_000 })).toBe('__Host-herald_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(clearSessionCookie(true)).toBe('__Host-herald_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
  });

  it('is read by its own name only, and only when it could be a token', () => {
    expect(presentedSessionToken(request('a=1; herald_session=tok_en-1; b=2'), false)).toBe('tok_en-1');
    expect(presentedSessionToken(request('xherald_session=tok'), false)).toBeUndefined();
    expect(presentedSessionToken(request('herald_session=tok'), true)).toBeUndefined();
    expect(presentedSessionToken(request('__Host-herald_session=tok'), true)).toBe('tok');
    expect(presentedSessionToken(request('herald_session=no%20spaces'), false)).toBeUndefined();
    expect(presentedSessionToken(request(undefined), false)).toBeUndefined();
  });
});
