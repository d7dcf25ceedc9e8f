/** X as the gate sees it: its problem-format errors, `x-rate-limit-*` headers (reset in epoch seconds), and OAuth 2.0 bearer tokens. */
import type { FastifyRequest } from 'fastify';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { headerOf } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { MockWorld } from '../../world';

export const X_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (status, kind, message) => ({
    title: { invalid: 'Invalid Request', rate_limited: 'Too Many Requests', server_error: 'Service Unavailable', not_found: 'Not Found Error' }[kind],
    detail: message,
    type: `https://api.twitter.com/2/problems/${{ invalid: 'invalid-request', rate_limited: 'rate-limit-exceeded', server_error: 'service-unavailable', not_found: 'resource-not-found' }[kind]}`,
    status,
  }),
  // Reset in epoch seconds, rounded up: a client that waits until then is never early.
  rateLimitHeaders: (state) => ({
    'x-rate-limit-limit': String(state.limit),
    'x-rate-limit-remaining': String(state.remaining),
    'x-rate-limit-reset': String(Math.ceil(state.resetAtMs / 1000)),
  }),
  // POST /2/tweets: 100 per 15 minutes per user.
  usualLimit: { limit: 100, windowSeconds: 900 },
};

/**
 * X's 400 for a request it will not take: the specifics in `errors[]`
 * (each the parameters at fault and a message), under a generic title,
 * detail and type, as X API v2 answers validation failures.
 */
export function xInvalidRequest(errors: { parameters: Record<string, string[]>; message: string }[]): { status: number; body: unknown } {
  return {
    status: 400,
    body: { errors, title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' },
  };
}

/** X's words for a text over its weighted 280. */
export const X_TOO_LONG = 'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.';

/** X's answer to a missing, expired or revoked token (the same for all three). */
export const X_UNAUTHORIZED = { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };
export const X_FORBIDDEN = { status: 403, body: { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Forbidden' } };

export function xFace(world: MockWorld): NetworkFace {
  return {
    network: 'x',
    errors: X_ERRORS,
    authenticate(request: FastifyRequest) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'x');
      if (checked.state === 'valid' && checked.grant.kind === 'access') return { account: checked.grant };
      return { refusal: X_UNAUTHORIZED, ...(checked.state !== 'unknown' ? { handle: checked.grant.handle } : {}) };
    },
  };
}
