/**
 * Compact JWS with HS256, as Bluesky's reference PDS signs its session
 * tokens (access `at+jwt`, refresh `refresh+jwt`): a header, claims with
 * `iat` and `exp` in seconds, and an HMAC-SHA256 signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface JwtClaims {
  scope: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti?: string;
}

export function signJwt(typ: string, claims: JwtClaims, secret: Buffer): string {
  const head = Buffer.from(JSON.stringify({ typ, alg: 'HS256' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${head}.${body}.${signature(`${head}.${body}`, secret)}`;
}

export type JwtCheck = { ok: true; typ: string; claims: JwtClaims; expired: boolean } | { ok: false };

/** The token's type and claims when its signature is ours; `expired` when `exp` has passed at `nowSeconds`. */
export function verifyJwt(token: string, secret: Buffer, nowSeconds: number): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false };
  const [head, body, sig] = parts as [string, string, string];
  const expected = Buffer.from(signature(`${head}.${body}`, secret));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false };
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { typ?: unknown; alg?: unknown };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtClaims;
    if (header.alg !== 'HS256' || typeof header.typ !== 'string' || typeof claims.exp !== 'number') return { ok: false };
    return { ok: true, typ: header.typ, claims, expired: claims.exp <= nowSeconds };
  } catch {
    return { ok: false };
  }
}

function signature(input: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}
