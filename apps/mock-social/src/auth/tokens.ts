/**
 * Every token the mock networks issued, with its account, kind and life:
 * access tokens that expire, refresh tokens that are refused once rotated,
 * and what fault rules did to them (revoked; counted as expired when
 * `expireTokens` was set after they were issued).
 */
import { randomBytes } from 'node:crypto';
import { Account } from '../accounts';

export type TokenKind = 'access' | 'refresh' | 'page';

export interface Grant extends Account {
  kind: TokenKind;
  scope: string;
  clientId?: string;
  issuedAt: number;
  /** Epoch ms; none for tokens that do not expire (Mastodon's, Page tokens). */
  expiresAt?: number;
  revoked: boolean;
  /** A refresh token that has been used (rotated away). */
  used: boolean;
  /** Made expired by an `expireTokens` fault rule. */
  expiredByRule: boolean;
}

export type TokenState = { state: 'valid'; grant: Grant } | { state: 'expired' | 'revoked' | 'used'; grant: Grant } | { state: 'unknown' };

export interface IssueOptions extends Account {
  kind: TokenKind;
  scope?: string;
  clientId?: string;
  ttlSeconds?: number;
  /** Use this string (a signed JWT) instead of a random one. */
  token?: string;
}

/** Which accounts' tokens a fault rule acts on: any field left out matches all. */
export interface GrantMatch {
  network?: string;
  handle?: string;
  /** One Mastodon instance's tokens only. */
  instanceUrl?: string;
}

export class TokenStore {
  private grants = new Map<string, Grant>();

  issue(options: IssueOptions, now = Date.now()): string {
    const token = options.token ?? randomBytes(24).toString('base64url');
    this.grants.set(token, {
      network: options.network,
      handle: options.handle,
      ...(options.instanceUrl ? { instanceUrl: options.instanceUrl } : {}),
      kind: options.kind,
      scope: options.scope ?? '',
      ...(options.clientId ? { clientId: options.clientId } : {}),
      issuedAt: now,
      ...(options.ttlSeconds !== undefined ? { expiresAt: now + options.ttlSeconds * 1000 } : {}),
      revoked: false,
      used: false,
      expiredByRule: false,
    });
    return token;
  }

  /** What this token is for this network (and instance): valid, or why not. */
  check(token: string | undefined, network: string, instanceUrl?: string, now = Date.now()): TokenState {
    const grant = token === undefined ? undefined : this.grants.get(token);
    if (!grant || grant.network !== network || (grant.instanceUrl ?? undefined) !== instanceUrl) return { state: 'unknown' };
    if (grant.revoked) return { state: 'revoked', grant };
    if (grant.used) return { state: 'used', grant };
    if (grant.expiredByRule || (grant.expiresAt !== undefined && grant.expiresAt <= now)) return { state: 'expired', grant };
    return { state: 'valid', grant };
  }

  /** Marks a refresh token used: it is refused from now on. */
  markUsed(token: string): void {
    const grant = this.grants.get(token);
    if (grant) grant.used = true;
  }

  revoke(token: string): boolean {
    const grant = this.grants.get(token);
    if (grant) grant.revoked = true;
    return grant !== undefined;
  }

  /** `revokeToken`: every token of the matching accounts is refused from now on. */
  revokeMatching(match: GrantMatch): number {
    return this.each(match, (grant) => (grant.revoked = true));
  }

  /** `expireTokens`: every access token issued so far to the matching accounts counts as expired. */
  expireMatching(match: GrantMatch): number {
    return this.each(match, (grant) => {
      if (grant.kind === 'access') grant.expiredByRule = true;
    });
  }

  private each({ network, handle, instanceUrl }: GrantMatch, change: (grant: Grant) => void): number {
    let count = 0;
    for (const grant of this.grants.values()) {
      if ((!network || grant.network === network) && (!handle || grant.handle === handle) && (!instanceUrl || grant.instanceUrl === instanceUrl)) {
        change(grant);
        count += 1;
      }
    }
    return count;
  }
}

/** The bearer token of an Authorization header. */
export function bearerOf(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}
