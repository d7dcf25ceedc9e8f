/** `api_keys`: a workspace's keys, kept as SHA-256 hashes. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { ApiKey } from '../entities/api-key.entity';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = 'id, workspace_id, name, prefix, key_hash, role, channel_ids, created_at, last_used_at, revoked_at, made_by_kind, made_by_id, maker_user_id';
/** A key's maker's name: a person's (else their email) or a key's. */
const MADE_BY_NAME = `CASE k.made_by_kind WHEN 'user' THEN (SELECT COALESCE(NULLIF(u.name, ''), u.email) FROM users u WHERE u.id = k.made_by_id)
  WHEN 'api_key' THEN (SELECT m.name FROM api_keys m WHERE m.id = k.made_by_id AND m.workspace_id = k.workspace_id) END AS made_by_name`;

export const API_KEYS_SQL = {
  insert: new Statement(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, role, made_by_kind, made_by_id, maker_user_id, channel_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[]) RETURNING ${COLUMNS}`,
  ),
  list: new Statement(`SELECT ${COLUMNS.split(', ').map((column) => `k.${column}`).join(', ')}, ${MADE_BY_NAME} FROM api_keys k WHERE k.workspace_id = $1 ORDER BY k.created_at, k.id`),
  /** The live keys that answer to a person ($2) with one of the roles $3, revoked: their maker left, or no longer holds those roles. */
  revokeAnsweringTo: new Statement(
    `UPDATE api_keys SET revoked_at = now() WHERE workspace_id = $1 AND maker_user_id = $2 AND revoked_at IS NULL AND role = ANY($3::text[]) RETURNING id, name, role`,
  ),
  /** A live key, its row share-locked until the transaction ends (a revocation waits, and what it makes meanwhile is seen by it). */
  findLiveLocked: new Statement(`SELECT id, role, maker_user_id FROM api_keys WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL FOR SHARE`),
  /** Whether a key is live, by id. */
  isLive: new Statement(`SELECT role FROM api_keys WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL`),
  revoke: new Statement(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE workspace_id = $1 AND id = $2 RETURNING id, name, role, revoked_at = now() AS just_revoked`),
  touch: new Statement(`UPDATE api_keys SET last_used_at = now() WHERE workspace_id = $1 AND id = $2`),
  findLive: new Statement(`SELECT id, workspace_id, role, channel_ids, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`),
};

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: string;
  channel_ids: string[] | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  made_by_kind: string | null;
  made_by_id: string | null;
  maker_user_id: string | null;
  made_by_name?: string | null;
}

/** Who made a key: a person, another key, or the operator (unknown, null, for keys made before makers were recorded). */
export interface KeyMaker {
  kind: 'user' | 'api_key' | 'operator';
  id: string | null;
}

@Injectable()
export class ApiKeysRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** A new key, made by `madeBy`, answering to the person `makerUserId` (none for the operator's, or a key's that answers to nobody). */
  async insert(
    tenant: Tenant,
    key: { name: string; prefix: string; keyHash: string; role: string; channelIds?: string[] | null; madeBy?: KeyMaker; makerUserId?: string | null },
    on?: Executor,
  ): Promise<ApiKey> {
    const values = [tenant.workspaceId, key.name, key.prefix, key.keyHash, key.role, key.madeBy?.kind ?? null, key.madeBy?.id ?? null, key.makerUserId ?? null, key.channelIds ?? null];
    return toApiKey((await this.one<ApiKeyRow>(API_KEYS_SQL.insert, values, on))!);
  }

  /** Revokes the live keys answering to `userId` whose role is one of `roles`; answers them. */
  async revokeAnsweringTo(tenant: Tenant, userId: string, roles: readonly string[], on: Executor): Promise<{ id: string; name: string; role: string }[]> {
    return this.rows<{ id: string; name: string; role: string }>(API_KEYS_SQL.revokeAnsweringTo, [tenant.workspaceId, userId, roles], on);
  }

  /** A live key of the workspace, share-locked for the transaction; undefined when it is revoked or unknown. */
  async findLiveLocked(tenant: Tenant, id: string, on: Executor): Promise<{ id: string; role: string; makerUserId: string | null } | undefined> {
    const row = await this.one<{ id: string; role: string; maker_user_id: string | null }>(API_KEYS_SQL.findLiveLocked, [tenant.workspaceId, id], on);
    return row && { id: row.id, role: row.role, makerUserId: row.maker_user_id };
  }

  /** The role of a live key of the workspace; undefined when it is revoked or unknown. */
  async liveRole(tenant: Tenant, id: string): Promise<string | undefined> {
    return (await this.one<{ role: string }>(API_KEYS_SQL.isLive, [tenant.workspaceId, id]))?.role;
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
  async findLive(_scope: SystemScope, keyHash: string): Promise<{ id: string; workspaceId: string; role: string; channelIds: string[] | null; lastUsedAt: Date | null } | undefined> {
    const row = await this.one<{ id: string; workspace_id: string; role: string; channel_ids: string[] | null; last_used_at: Date | null }>(API_KEYS_SQL.findLive, [keyHash]);
    return row && { id: row.id, workspaceId: row.workspace_id, role: row.role, channelIds: row.channel_ids, lastUsedAt: row.last_used_at };
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
    channelIds: row.channel_ids,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    madeBy: row.made_by_kind ? { kind: row.made_by_kind, id: row.made_by_id, name: row.made_by_name ?? null } : null,
    makerUserId: row.maker_user_id,
  });
}
