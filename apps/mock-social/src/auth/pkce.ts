/**
 * PKCE (RFC 7636) as an authorization server checks it: a verifier of at
 * least 43 unreserved characters whose S256 transform (base64url of its
 * SHA-256, unpadded) is the challenge the authorize request carried, or,
 * with the `plain` method (X takes it), the challenge itself. The
 * RFC's upper bound of 128 is not enforced: X's own SDK
 * (@xdevplatform/xdk 0.6) sends 171-character verifiers, so X takes them.
 */
import { createHash } from 'node:crypto';

const VERIFIER = /^[A-Za-z0-9._~-]{43,256}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export type ChallengeMethod = 'S256' | 'plain';

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A well-formed challenge: for S256 32 bytes of base64url, for plain a verifier itself. */
export function isValidChallenge(challenge: string, method: ChallengeMethod = 'S256'): boolean {
  return method === 'S256' ? CHALLENGE.test(challenge) : VERIFIER.test(challenge);
}

/** Whether this verifier answers this challenge (S256 unless told). */
export function verifierMatches(verifier: string | undefined, challenge: string, method: ChallengeMethod = 'S256'): boolean {
  return typeof verifier === 'string' && VERIFIER.test(verifier) && (method === 'S256' ? s256(verifier) : verifier) === challenge;
}
