/**
 * Google Business Profile as the gate sees it: Google's errors of its newer
 * APIs, `{error: {code, message, status}}` (`INVALID_ARGUMENT` 400,
 * `UNAUTHENTICATED` 401, `PERMISSION_DENIED` 403, `NOT_FOUND` 404,
 * `RESOURCE_EXHAUSTED` 429); no rate-limit headers (Google sends none).
 * Its limits: 300 queries a minute a project, 10 edits a minute a location
 * (developers.google.com `/my-business/content/limits`).
 */
import type { FastifyRequest } from 'fastify';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { headerOf } from '../../http/answer';
import { ErrorFormat, ErrorKind } from '../../http/server';
import { MockWorld } from '../../world';

const STATUSES: Record<ErrorKind, string> = { invalid: 'INVALID_ARGUMENT', rate_limited: 'RESOURCE_EXHAUSTED', server_error: 'INTERNAL', not_found: 'NOT_FOUND' };

/** Google's error body (google.rpc.Status as JSON). */
export function googleStatus(code: number, status: string, message: string): { error: { code: number; message: string; status: string } } {
  return { error: { code, message, status } };
}

export const GOOGLE_BUSINESS_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (status, kind, message) => googleStatus(status, STATUSES[kind], message),
  rateLimitHeaders: () => ({}),
  usualLimit: { limit: 300, windowSeconds: 60 },
  rateLimitedMessage: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'mybusiness.googleapis.com'.",
};

export function googleBusinessFace(world: MockWorld): NetworkFace {
  return {
    network: 'google_business',
    errors: GOOGLE_BUSINESS_ERRORS,
    authenticate(request: FastifyRequest) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'google_business');
      if (checked.state === 'valid' && checked.grant.kind === 'access') return { account: checked.grant };
      const refusal = {
        status: 401,
        body: googleStatus(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'),
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      };
      return checked.state === 'unknown' ? { refusal } : { refusal, handle: checked.grant.handle };
    },
  };
}
