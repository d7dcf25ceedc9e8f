/** `api_keys`: a workspace's keys, kept as SHA-256 hashes. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { ApiKey } from '../entities/api-key.entity';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = 'id, workspace_id, name, prefix, key_hash, role, created_at, last_used_at, revoked_at';

export const API_KEYS_SQL = {
  insert: new Statement(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, role) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`),
  list: new Statement(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id`),
  revoke: new Statement(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE workspace_id = $1 AND id = $2 RETURNING id, name, role, revoked_at = now() AS just_revoked`),
  touch: new Statement(`UPDATE api_keys SET last_used_at = now() WHERE workspace_id = $1 AND id = $2`),
  findLive: new Statement(`SELECT id, workspace_id, role, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`),
};

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

@Injectable()
export class ApiKeysRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(tenant: Tenant, key: { name: string; prefix: string; keyHash: string; role: string }, on?: Executor): Promise<ApiKey> {
    return toApiKey((await this.one<ApiKeyRow>(API_KEYS_SQL.insert, [tenant.workspaceId, key.name, key.prefix, key.keyHash, key.role], on))!);
  }

  async list(tenant: Tenant): Promise<ApiKey[]> {
    return (await this.rows<ApiKeyRow>(API_KEYS_SQL.list, [tenant.workspaceId])).map(toApiKey);
  }

  /** Revokes (once; a second revoke keeps the first time, and says it was not this one). Undefined when the workspace has no such key. */
  async revoke(tenant: Tenant, id: string, on?: Executor): Promise<{ id: string; name: string; role: string; justRevoked: boolean } | undefined> {
    const row = await this.one<{ id: string; name: string; role: string; just_revoked: boolean }>(API_KEYS_SQL.revoke, [tenant.workspaceId, id], on);
    return row && { id: row.id, name: row.name, role: row.role, justRevoked: row.just_revoked };
  }

  async touch(tenant: Tenant, id: string): Promise<void> {
    await this.rows(API_KEYS_SQL.touch, [tenant.workspaceId, id]);
  }

  /** The live key with this hash, whichever workspace's: how a request finds its workspace. */
  async findLive(_scope: SystemScope, keyHash: string): Promise<{ id: string; workspaceId: string; role: string; lastUsedAt: Date | null } | undefined> {
    const row = await this.one<{ id: string; workspace_id: string; role: string; last_used_at: Date | null }>(API_KEYS_SQL.findLive, [keyHash]);
    return row && { id: row.id, workspaceId: row.workspace_id, role: row.role, lastUsedAt: row.last_used_at };
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return Object.assign(new ApiKey(), {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    prefix: row.prefix,
    keyHash: row.key_hash,
    role: row.role,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  });
}
