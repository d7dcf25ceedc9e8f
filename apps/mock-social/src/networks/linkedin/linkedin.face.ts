/**
 * LinkedIn as the gate sees it: errors `{status, serviceErrorCode, code,
 * message}` (65600 invalid, 65601 revoked, 65602 expired token), 422 for
 * content it refuses, 429 without rate-limit headers, and the
 * `LinkedIn-Version` header its `/rest` API requires.
 */
import type { FastifyRequest } from 'fastify';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { Answer, headerOf } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { MockWorld } from '../../world';

export const LINKEDIN_ERRORS: ErrorFormat = {
  invalidStatus: 422,
  body: (status, kind, message) => ({
    status,
    ...(kind === 'rate_limited' ? { serviceErrorCode: 101 } : kind === 'invalid' ? { serviceErrorCode: 100 } : {}),
    code: { invalid: 'UNPROCESSABLE_ENTITY', rate_limited: 'TOO_MANY_REQUESTS', server_error: 'INTERNAL_SERVER_ERROR', not_found: 'NOT_FOUND' }[kind],
    message,
  }),
  // LinkedIn sends no rate-limit headers; its limits are daily, reset at midnight UTC.
  rateLimitHeaders: () => ({}),
  usualLimit: { limit: 150, windowSeconds: 86400 },
};

const UNAUTHORIZED: Record<string, Answer> = {
  unknown: { status: 401, body: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' } },
  revoked: { status: 401, body: { status: 401, serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN', message: 'The token used in the request has been revoked by the user' } },
  expired: { status: 401, body: { status: 401, serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired' } },
};

export function linkedinFace(world: MockWorld): NetworkFace {
  return {
    network: 'linkedin',
    errors: LINKEDIN_ERRORS,
    authenticate(request: FastifyRequest) {
      const checked = world.tokens.check(bearerOf(headerOf(request, 'authorization')), 'linkedin');
      if (checked.state === 'valid' && checked.grant.kind === 'access') return { account: checked.grant };
      if (checked.state === 'unknown') return { refusal: UNAUTHORIZED.unknown! };
      return { refusal: UNAUTHORIZED[checked.state === 'expired' ? 'expired' : checked.state === 'revoked' ? 'revoked' : 'unknown']!, handle: checked.grant.handle };
    },
  };
}

/** LinkedIn's answer to a `/rest` call without a valid `LinkedIn-Version` (YYYYMM), or undefined. */
export function versionProblem(request: FastifyRequest): Answer | undefined {
  const version = headerOf(request, 'linkedin-version');
  if (version === undefined) {
    return { status: 400, body: { status: 400, code: 'VERSION_MISSING', message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.' } };
  }
  if (!/^20\d{2}(0[1-9]|1[0-2])(\.\d{2})?$/.test(version)) {
    return { status: 426, body: { status: 426, code: 'NONEXISTENT_VERSION', message: `Requested version ${version} is not active` } };
  }
  return undefined;
}
