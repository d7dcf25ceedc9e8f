/**
 * Authorization codes: bound to the client, the redirect URI, the scope, the
 * account that consented and (PKCE) the challenge; single-use, and short
 * lived (30 s by default, X's rule).
 */
import { randomBytes } from 'node:crypto';
import { ChallengeMethod, verifierMatches } from './pkce';

export interface CodeGrant {
  network: string;
  instanceUrl?: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  handle: string;
  challenge?: string;
  /** How the challenge was made (S256 when absent). */
  challengeMethod?: ChallengeMethod;
}

export type Redemption =
  | { ok: true; grant: CodeGrant }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'client' | 'redirect_uri' | 'verifier' };

interface Stored extends CodeGrant {
  expiresAt: number;
  used: boolean;
}

export class AuthorizationCodes {
  private codes = new Map<string, Stored>();

  constructor(private readonly ttlSeconds: number) {}

  issue(grant: CodeGrant, now = Date.now()): string {
    this.prune(now);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: now + this.ttlSeconds * 1000, used: false });
    return code;
  }

  /**
   * Redeems a code for the client that presents it. The code is spent by
   * this attempt whatever its outcome: a second use is refused.
   */
  redeem(
    code: unknown,
    presented: { network: string; instanceUrl?: string; clientId: string; redirectUri: unknown; verifier: unknown },
    now = Date.now(),
  ): Redemption {
    const stored = typeof code === 'string' ? this.codes.get(code) : undefined;
    if (!stored || stored.network !== presented.network || stored.instanceUrl !== presented.instanceUrl) return { ok: false, reason: 'unknown' };
    if (stored.used) return { ok: false, reason: 'used' };
    stored.used = true;
    if (stored.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (stored.clientId !== presented.clientId) return { ok: false, reason: 'client' };
    if (stored.redirectUri !== presented.redirectUri) return { ok: false, reason: 'redirect_uri' };
    if (stored.challenge !== undefined && !verifierMatches(typeof presented.verifier === 'string' ? presented.verifier : undefined, stored.challenge, stored.challengeMethod)) {
      return { ok: false, reason: 'verifier' };
    }
    return { ok: true, grant: grantOf(stored) };
  }

  /** Forgets codes long past their life (a used or expired code is still told apart from an unknown one for a while). */
  private prune(now: number): void {
    if (this.codes.size < 10_000) return;
    for (const [code, stored] of this.codes) if (stored.expiresAt + 3_600_000 < now) this.codes.delete(code);
  }
}

function grantOf(stored: Stored): CodeGrant {
  return {
    network: stored.network,
    ...(stored.instanceUrl !== undefined ? { instanceUrl: stored.instanceUrl } : {}),
    clientId: stored.clientId,
    redirectUri: stored.redirectUri,
    scope: stored.scope,
    handle: stored.handle,
    ...(stored.challenge !== undefined ? { challenge: stored.challenge } : {}),
    ...(stored.challengeMethod !== undefined ? { challengeMethod: stored.challengeMethod } : {}),
  };
}

/** Why a code was refused, in words a token endpoint answers with. */
export const CODE_PROBLEMS: Record<Exclude<Redemption, { ok: true }>['reason'], string> = {
  unknown: 'The authorization code is invalid.',
  used: 'The authorization code has already been used.',
  expired: 'The authorization code has expired.',
  client: 'The authorization code was issued to another client.',
  redirect_uri: 'redirect_uri does not match the one of the authorization request.',
  verifier: 'The code_verifier does not match the code_challenge.',
};
