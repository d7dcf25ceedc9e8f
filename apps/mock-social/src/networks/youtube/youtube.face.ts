/**
 * YouTube (Data API v3) as the gate sees it: Google's errors `{error: {code,
 * message, errors: [{message, domain, reason}]}}`, 400 for what it refuses,
 * 401 `authError` for a bad or lapsed token; no rate-limit headers (Google
 * sends none: its limits are quota units a day and 403s).
 */
import type { FastifyRequest } from 'fastify';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { headerOf } from '../../http/answer';
import { ErrorFormat, ErrorKind } from '../../http/server';
import { MockWorld } from '../../world';

const REASONS: Record<ErrorKind, string> = { invalid: 'badRequest', rate_limited: 'rateLimitExceeded', server_error: 'backendError', not_found: 'notFound' };

/** Google's error body. */
export function googleError(code: number, reason: string, message: string, domain = 'youtube.api'): { error: unknown } {
  return { error: { code, message, errors: [{ message, domain, reason }] } };
}

export const YOUTUBE_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (status, kind, message) => googleError(status, REASONS[kind], message, kind === 'invalid' ? 'youtube.video' : 'global'),
  rateLimitHeaders: () => ({}),
  // Google states no per-minute cap for uploads; its daily units are the limit.
  usualLimit: { limit: 100, windowSeconds: 60 },
  rateLimitedMessage: 'The request cannot be completed because you have exceeded your rate limit.',
};

export function youtubeFace(world: MockWorld): NetworkFace {
  return {
    network: 'youtube',
    errors: YOUTUBE_ERRORS,
    authenticate(request: FastifyRequest) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'youtube');
      if (checked.state === 'valid' && checked.grant.kind === 'access') return { account: checked.grant };
      const refusal = {
        status: 401,
        body: googleError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'global'),
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      };
      return checked.state === 'unknown' ? { refusal } : { refusal, handle: checked.grant.handle };
    },
  };
}
