/**
 * Finds the live key behind a presented secret (`hrld_` + 32 random bytes,
 * stored as SHA-256). A key read from Postgres is trusted for AUTH_CACHE_MS
 * by this process (one read per key per interval instead of one per
 * request); revoking it through this process forgets it at once, through
 * another within AUTH_CACHE_MS. Unknown secrets are never remembered.
 */
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApiKeysRepository, SYSTEM, tenantOf } from '@herald/db';
import { Role, isRole } from './permissions';

/** Don't write `last_used_at` on every request: once a minute per key is enough to be useful. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** How long this process trusts a key it read. */
export const AUTH_CACHE_MS = 1000;
const AUTH_CACHE_SIZE = 10_000;

interface RecentKey {
  id: string;
  workspaceId: string;
  role: Role;
  channelIds: string[] | null;
  lastUsedAt: number | null;
  readAt: number;
}

@Injectable()
export class ApiKeyAuthenticator {
  private readonly recent = new Map<string, RecentKey>();

  constructor(private readonly apiKeys: ApiKeysRepository) {}

  async authenticate(presented: string): Promise<{ id: string; workspaceId: string; role: Role; channelIds: string[] | null } | undefined> {
    if (!presented.startsWith('hrld_') || presented.length > 100) return undefined;
    const hash = hashKey(presented);
    const now = Date.now();
    let key = this.recent.get(hash);
    if (!key || now - key.readAt > AUTH_CACHE_MS) {
      const found = await this.apiKeys.findLive(SYSTEM, hash);
      if (!found || !isRole(found.role)) {
        this.recent.delete(hash);
        return undefined;
      }
      key = { id: found.id, workspaceId: found.workspaceId, role: found.role, channelIds: found.channelIds, lastUsedAt: found.lastUsedAt?.getTime() ?? null, readAt: now };
      this.remember(hash, key);
    }
    if (key.lastUsedAt === null || now - key.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      key.lastUsedAt = now;
      await this.apiKeys.touch(tenantOf(key.workspaceId), key.id);
    }
    return { id: key.id, workspaceId: key.workspaceId, role: key.role, channelIds: key.channelIds };
  }

  /** A key revoked here is refused at once by this process. */
  forget(id: string): void {
    for (const [hash, key] of this.recent) if (key.id === id) this.recent.delete(hash);
  }

  private remember(hash: string, key: RecentKey): void {
    this.recent.delete(hash);
    this.recent.set(hash, key);
    // Oldest first in a Map: past the bound, the least recently read goes.
    if (this.recent.size > AUTH_CACHE_SIZE) this.recent.delete(this.recent.keys().next().value!);
  }
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
