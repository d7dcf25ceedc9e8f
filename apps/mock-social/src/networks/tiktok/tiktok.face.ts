/**
 * TikTok (API v2) as the gate sees it: errors `{data: {}, error: {code,
 * message, log_id}}` (code `ok` on success), 400 `invalid_params` for what
 * it refuses, 401 `access_token_invalid` for a bad or lapsed token, 429
 * `rate_limit_exceeded`; no rate-limit headers (TikTok sends none).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { headerOf } from '../../http/answer';
import { ErrorFormat, ErrorKind } from '../../http/server';
import { MockWorld } from '../../world';

const CODES: Record<ErrorKind, string> = { invalid: 'invalid_params', rate_limited: 'rate_limit_exceeded', server_error: 'internal_error', not_found: 'invalid_params' };

/** A log id as TikTok writes them: a timestamp and random hex. */
export function logId(): string {
  return `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(10).toString('hex').toUpperCase()}`;
}

/** TikTok's answer body: `data` and an `error` whose code is `ok` on success. */
export function tiktokBody(data: unknown, code = 'ok', message = ''): { data: unknown; error: { code: string; message: string; log_id: string } } {
  return { data, error: { code, message, log_id: logId() } };
}

export const TIKTOK_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, kind, message) => tiktokBody({}, CODES[kind], message),
  rateLimitHeaders: () => ({}),
  // Status fetch: 30 requests a minute per user token (video init 6, creator info 20).
  usualLimit: { limit: 30, windowSeconds: 60 },
  rateLimitedMessage: 'The API rate limit was exceeded. Please try again later.',
};

export function tiktokFace(world: MockWorld): NetworkFace {
  return {
    network: 'tiktok',
    errors: TIKTOK_ERRORS,
    authenticate(request: FastifyRequest) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'tiktok');
      if (checked.state === 'valid' && checked.grant.kind === 'access') return { account: checked.grant };
      const refusal = { status: 401, body: tiktokBody({}, 'access_token_invalid', 'The access token is invalid or not found in the request.') };
      return checked.state === 'unknown' ? { refusal } : { refusal, handle: checked.grant.handle };
    },
  };
}
