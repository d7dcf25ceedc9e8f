import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKey, Statement, runStatement } from '@herald/db';
import { NotFound } from '../common/problems';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedApiKey extends ApiKeyView {
  /** The whole key. Shown once: only its hash is stored. */
  key: string;
}

const LIVE_KEY = new Statement(`SELECT id, workspace_id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`);

/** Don't write `last_used_at` on every request: once a minute per key is enough to be useful. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * How long this process trusts a key it read. A key revoked through this
 * process is refused at once; through another API process, within this.
 */
export const AUTH_CACHE_MS = 1000;
const AUTH_CACHE_SIZE = 10_000;

interface RecentKey {
  id: string;
  workspaceId: string;
  lastUsedAt: number | null;
  readAt: number;
}

/** Issues, authenticates and revokes workspace API keys (`hrld_` + 32 random bytes, stored as SHA-256). */
@Injectable()
export class ApiKeysService {
  private readonly recent = new Map<string, RecentKey>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async issue(workspaceId: string, name: string, manager: EntityManager = this.dataSource.manager): Promise<IssuedApiKey> {
    const key = `hrld_${randomBytes(32).toString('base64url')}`;
    const saved = await manager.save(
      manager.create(ApiKey, { workspaceId, name, prefix: key.slice(0, 12), keyHash: hashKey(key), lastUsedAt: null, revokedAt: null }),
    );
    return { ...toView(saved), key };
  }

  async list(workspaceId: string): Promise<ApiKeyView[]> {
    const keys = await this.dataSource.manager.find(ApiKey, { where: { workspaceId }, order: { createdAt: 'ASC' } });
    return keys.map(toView);
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    const result = await this.dataSource.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND workspace_id = $2 RETURNING id`,
      [id, workspaceId],
    );
    if ((result as unknown[][])[0]?.length === 0) throw new NotFound('API key', id);
    this.forget(id);
  }

  /**
   * The live key matching a presented secret, or undefined. A key read from
   * Postgres is trusted for AUTH_CACHE_MS by this process (one read per key
   * per interval instead of one per request); revoking it here forgets it at
   * once. Unknown secrets are never remembered.
   */
  async authenticate(presented: string): Promise<{ id: string; workspaceId: string } | undefined> {
    if (!presented.startsWith('hrld_') || presented.length > 100) return undefined;
    const hash = hashKey(presented);
    const now = Date.now();
    let key = this.recent.get(hash);
    if (!key || now - key.readAt > AUTH_CACHE_MS) {
      const [row] = await runStatement<{ id: string; workspace_id: string; last_used_at: Date | null }>(this.dataSource.manager, LIVE_KEY, [hash]);
      if (!row) {
        this.recent.delete(hash);
        return undefined;
      }
      key = { id: row.id, workspaceId: row.workspace_id, lastUsedAt: row.last_used_at?.getTime() ?? null, readAt: now };
      this.remember(hash, key);
    }
    if (key.lastUsedAt === null || now - key.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      key.lastUsedAt = now;
      await this.dataSource.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [key.id]);
    }
    return { id: key.id, workspaceId: key.workspaceId };
  }

  private remember(hash: string, key: RecentKey): void {
    this.recent.delete(hash);
    this.recent.set(hash, key);
    // Oldest first in a Map: past the bound, the least recently read goes.
    if (this.recent.size > AUTH_CACHE_SIZE) this.recent.delete(this.recent.keys().next().value!);
  }

  private forget(id: string): void {
    for (const [hash, key] of this.recent) if (key.id === id) this.recent.delete(hash);
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
