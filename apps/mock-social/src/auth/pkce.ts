/**
 * PKCE (RFC 7636) as an authorization server checks it: a verifier of at
 * least 43 unreserved characters whose S256 transform (base64url of its
 * SHA-256, unpadded) is the challenge the authorize request carried. The
 * RFC's upper bound of 128 is not enforced: X's own SDK
 * (@xdevplatform/xdk 0.6) sends 171-character verifiers, so X takes them.
 */
import { createHash } from 'node:crypto';

const VERIFIER = /^[A-Za-z0-9._~-]{43,256}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A well-formed S256 challenge (32 bytes of base64url). */
export function isValidChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** Whether this verifier answers this S256 challenge. */
export function verifierMatches(verifier: string | undefined, challenge: string): boolean {
  return typeof verifier === 'string' && VERIFIER.test(verifier) && s256(verifier) === challenge;
}
