/**
 * What the OAuth flow for MCP clients hands out, sealed with the
 * installation's encryption key (TokenCipher: AES-256-GCM, so neither read
 * nor forged by the client): a registered client, an authorization code,
 * an access token and a refresh token. Codes and tokens carry a session of
 * the person who authorized (sessions table: revoked by sign-out
 * everywhere, ended by the idle timeout); a code's or a refresh token's use
 * ends that session and makes the next, so each is used once (rotation).
 */
import { Injectable } from '@nestjs/common';
import { TokenCipher } from '@herald/db';

export const CLIENT_PREFIX = 'hmcp_client_';
export const CODE_PREFIX = 'hmcp_code_';
export const ACCESS_PREFIX = 'hmcp_at_';
export const REFRESH_PREFIX = 'hmcp_rt_';

export const CODE_TTL_MS = 60_000;
export const ACCESS_TTL_MS = 3_600_000;
export const REFRESH_TTL_MS = 30 * 86_400_000;

export interface RegisteredClient {
  redirectUris: string[];
  name: string;
}

export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  /** The session made for the client when the person allowed it. */
  session: string;
  workspaceId: string;
  exp: number;
}

export interface TokenGrant {
  clientId: string;
  session: string;
  workspaceId: string;
  exp: number;
}

@Injectable()
export class OAuthGrants {
  constructor(private readonly cipher: TokenCipher) {}

  seal(prefix: string, payload: object): string {
    return prefix + this.cipher.encrypt(JSON.stringify(payload));
  }

  /** The payload, or undefined when the value is not one of ours, was tampered with, or has expired. */
  open<T extends object>(prefix: string, value: unknown): T | undefined {
    if (typeof value !== 'string' || !value.startsWith(prefix) || value.length > 4096) return undefined;
    try {
      const payload = JSON.parse(this.cipher.decrypt(value.slice(prefix.length))) as T & { exp?: number };
      return payload.exp !== undefined && payload.exp < Date.now() ? undefined : payload;
    } catch {
      return undefined;
    }
  }
}
