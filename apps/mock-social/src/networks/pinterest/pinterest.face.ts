/**
 * Pinterest (API v5) as the gate sees it: errors `{code, message}`, 400 for
 * what it refuses, 401 code 2 for a bad or lapsed token, the
 * `x-ratelimit-*` headers on every answer (reset in seconds from now).
 */
import type { FastifyRequest } from 'fastify';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { headerOf } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { MockWorld } from '../../world';

export const PINTEREST_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, kind, message) => ({ code: { invalid: 1, rate_limited: 8, server_error: 0, not_found: 3 }[kind], message }),
  rateLimitHeaders: (state) => ({
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': String(Math.max(0, Math.ceil((state.resetAtMs - Date.now()) / 1000))),
  }),
  // Write endpoints: 100 calls a minute per user [unverified].
  usualLimit: { limit: 100, windowSeconds: 60 },
};

export function pinterestFace(world: MockWorld): NetworkFace {
  return {
    network: 'pinterest',
    errors: PINTEREST_ERRORS,
    authenticate(request: FastifyRequest) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'pinterest');
      if (checked.state === 'valid' && checked.grant.kind === 'access') return { account: checked.grant };
      const refusal = { status: 401, body: { code: 2, message: 'Authentication failed.' } };
      return checked.state === 'unknown' ? { refusal } : { refusal, handle: checked.grant.handle };
    },
  };
}
