import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKey, ApiKeysRepository, ChannelsRepository, Executor, Tenant, inTransaction } from '@herald/db';
import { AccessService, ApiKeyAuthenticator, ApiKeyRole, AuthContext, DEFAULT_API_KEY_ROLE, Maker, Makers, hashKey } from '../access';
import { AuditActor, AuditLog } from '../audit';
import { NotFound, UnprocessableRequest } from '../common/problems';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: string;
  /** The channels it is limited to; null: the whole workspace. */
  channelIds: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Who made it (a person, another key, the operator); null for a key made before makers were recorded. */
  createdBy: { kind: string; id: string | null; name?: string } | null;
}

export interface IssuedApiKey extends ApiKeyView {
  /** The whole key. Shown once: only its hash is stored. */
  key: string;
}

/**
 * Issues, lists and revokes a workspace's API keys (`hrld_` + 32 random
 * bytes, stored as SHA-256). A key acts with the role it is made with
 * (`editor` unless its maker names another, never above the maker's own),
 * on the whole workspace or on some of its channels (`channelIds`).
 * It records its maker and answers to the person behind them: it is revoked
 * when that person leaves the workspace or loses the role it has
 * (members/maker-revocations.ts).
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysRepository,
    private readonly access: AccessService,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly audit: AuditLog,
    private readonly makers: Makers,
    private readonly channels: ChannelsRepository,
  ) {}

  create(auth: AuthContext, name: string, role: ApiKeyRole = DEFAULT_API_KEY_ROLE, channelIds?: string[]): Promise<IssuedApiKey> {
    const tenant = this.access.tenantGranting(auth, 'keys.manage', [role]);
    return inTransaction(this.dataSource, async (tx) => {
      const limitedTo = channelIds && (await this.liveChannels(tenant, channelIds, tx));
      return this.issue(tenant, name, role, auth.actor, tx, await this.makers.of(auth, role, tx), auth.address, limitedTo);
    });
  }

  /** A new key for the workspace, in the transaction `on` (the workspace's own, when the operator makes it), made by `maker`, in the audit log as `by`'s. */
  async issue(tenant: Tenant, name: string, role: ApiKeyRole, by: AuditActor, on: Executor, maker: Maker, ip?: string, channelIds?: string[]): Promise<IssuedApiKey> {
    const key = `hrld_${randomBytes(32).toString('base64url')}`;
    const saved = await this.apiKeys.insert(tenant, { name, prefix: key.slice(0, 12), keyHash: hashKey(key), role, channelIds, ...maker }, on);
    await this.audit.record(tenant, by, 'api_key.created', { type: 'api_key', id: saved.id }, { name, role, ...(channelIds ? { channelIds } : {}) }, { ip, on });
    return { ...toView(saved), key };
  }

  /** The ids, each a live channel of the workspace (share-locked, so none is removed meanwhile); a 422 names those that are not. */
  private async liveChannels(tenant: Tenant, ids: string[], tx: Executor): Promise<string[]> {
    const asked = ids.map((id) => id.toLowerCase());
    const live = new Set((await this.channels.liveAmong(tenant, asked, 'share', tx)).map((channel) => channel.id));
    const errors = asked.flatMap((id, index) => (live.has(id) ? [] : [{ path: `channelIds[${index}]`, message: `channel ${id} is not a channel of this workspace` }]));
    if (errors.length > 0) throw new UnprocessableRequest(errors.map((error) => error.message).join('; '), errors);
    return asked;
  }

  async list(auth: AuthContext): Promise<ApiKeyView[]> {
    return (await this.apiKeys.list(this.access.tenant(auth, 'keys.manage'))).map(toView);
  }

  async revoke(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'keys.manage');
    await inTransaction(this.dataSource, async (tx) => {
      const revoked = await this.apiKeys.revoke(tenant, id, tx);
      if (!revoked) throw new NotFound('API key', id);
      if (revoked.justRevoked) await this.audit.recordAs(auth, 'api_key.revoked', { type: 'api_key', id }, { name: revoked.name, role: revoked.role }, tx);
    });
    this.authenticator.forget(id);
  }
}

function toView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    channelIds: key.channelIds,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdBy: key.madeBy && { kind: key.madeBy.kind, id: key.madeBy.id, ...(key.madeBy.name ? { name: key.madeBy.name } : {}) },
  };
}
