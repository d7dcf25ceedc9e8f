/**
 * Bluesky's PDS as the gate sees it: XRPC errors `{error, message}`,
 * `RateLimit-*` headers (reset in epoch seconds), and session JWTs (HS256):
 * a missing token is 401 AuthMissing, a bad one 401 InvalidToken, an
 * expired one **400** ExpiredToken, as the reference PDS answers.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { signJwt, verifyJwt } from '../../auth/jwt';
import { bearerOf } from '../../auth/tokens';
import { AuthOutcome, NetworkFace } from '../../gate';
import { Answer, headerOf } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { MockWorld } from '../../world';

export const BLUESKY_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, kind, message) => ({
    error: { invalid: 'InvalidRequest', rate_limited: 'RateLimitExceeded', server_error: 'InternalServerError', not_found: 'MethodNotImplemented' }[kind],
    message,
  }),
  // Reset in epoch seconds (rounded up); the policy as `<limit>;w=<window seconds>`, as the PDS's rate limiter sends them.
  rateLimitHeaders: (state) => ({
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(state.remaining),
    'ratelimit-reset': String(Math.ceil(state.resetAtMs / 1000)),
    'ratelimit-policy': `${state.limit};w=${state.windowSeconds}`,
  }),
  // The PDS's global limit: 3,000 requests per 5 minutes.
  usualLimit: { limit: 3000, windowSeconds: 300 },
  rateLimitedMessage: 'Rate Limit Exceeded',
};

export const xrpcError = (status: number, error: string, message: string): Answer => ({ status, body: { error, message } });
const REFRESH_TTL_SECONDS = 90 * 86400;

export function blueskyFace(world: MockWorld): NetworkFace {
  return { network: 'bluesky', errors: BLUESKY_ERRORS, authenticate: (request) => checkSessionToken(world, request, 'at+jwt') };
}

/** The account of an access (`at+jwt`) or refresh (`refresh+jwt`) token, or the PDS's answer to it. */
export function checkSessionToken(world: MockWorld, request: FastifyRequest, typ: 'at+jwt' | 'refresh+jwt'): AuthOutcome {
  const token = bearerOf(headerOf(request, 'authorization'));
  if (!token) return { refusal: xrpcError(401, 'AuthMissing', 'Authentication Required') };
  const jwt = verifyJwt(token, world.jwtSecret, Math.floor(Date.now() / 1000));
  if (!jwt.ok) return { refusal: xrpcError(401, 'InvalidToken', 'Token could not be verified') };
  if (jwt.typ !== typ) return { refusal: xrpcError(401, 'InvalidToken', 'Invalid token type') };
  const checked = world.tokens.check(token, 'bluesky');
  if (checked.state === 'unknown') return { refusal: xrpcError(401, 'InvalidToken', 'Token could not be verified') };
  const handle = checked.grant.handle;
  if (checked.state === 'expired') return { refusal: xrpcError(400, 'ExpiredToken', 'Token has expired'), handle };
  if (checked.state === 'used' || checked.state === 'revoked') {
    return { refusal: typ === 'refresh+jwt' ? xrpcError(400, 'ExpiredToken', 'Token has been revoked') : xrpcError(401, 'InvalidToken', 'Token has been revoked'), handle };
  }
  return { account: checked.grant };
}

/** A new session for a handle: an access JWT of MOCK_ACCESS_TOKEN_TTL_SECONDS and a 90-day refresh JWT. */
export function issueSession(world: MockWorld, handle: string): { accessJwt: string; refreshJwt: string; did: string } {
  const did = world.accounts.blueskyDid(handle);
  const iat = Math.floor(Date.now() / 1000);
  const ttl = world.config.accessTokenTtlSeconds;
  const aud = `did:web:${world.config.publicHost}`;
  const jti = () => randomBytes(12).toString('base64url');
  const accessJwt = signJwt('at+jwt', { scope: 'com.atproto.appPass', sub: did, aud, iat, exp: iat + ttl, jti: jti() }, world.jwtSecret);
  const refreshJwt = signJwt('refresh+jwt', { scope: 'com.atproto.refresh', sub: did, aud, iat, exp: iat + REFRESH_TTL_SECONDS, jti: jti() }, world.jwtSecret);
  world.tokens.issue({ network: 'bluesky', handle, kind: 'access', scope: 'com.atproto.appPass', ttlSeconds: ttl, token: accessJwt });
  world.tokens.issue({ network: 'bluesky', handle, kind: 'refresh', scope: 'com.atproto.refresh', ttlSeconds: REFRESH_TTL_SECONDS, token: refreshJwt });
  return { accessJwt, refreshJwt, did };
}

/** The DID document of an account: its handle, a signing key, and this mock as its PDS. */
export function didDocOf(world: MockWorld, handle: string, did: string): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/suites/secp256k1-2019/v1'],
    id: did,
    alsoKnownAs: [`at://${handle}`],
    verificationMethod: [{ id: `${did}#atproto`, type: 'Multikey', controller: did, publicKeyMultibase: `zQ3sh${did.slice(8, 32)}mock` }],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: world.url('bluesky') }],
  };
}
