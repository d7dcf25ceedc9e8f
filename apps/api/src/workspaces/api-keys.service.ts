import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiKey, ApiKeysRepository, Executor, Tenant } from '@herald/db';
import { AccessService, ApiKeyAuthenticator, AuthContext, hashKey } from '../access';
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

/** Issues, lists and revokes a workspace's API keys (`hrld_` + 32 random bytes, stored as SHA-256). */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly access: AccessService,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  create(auth: AuthContext, name: string): Promise<IssuedApiKey> {
    return this.issue(this.access.tenant(auth, 'keys.manage'), name);
  }

  /** A new key for the workspace (in the transaction `on`, when creating the workspace). */
  async issue(tenant: Tenant, name: string, on?: Executor): Promise<IssuedApiKey> {
    const key = `hrld_${randomBytes(32).toString('base64url')}`;
    const saved = await this.apiKeys.insert(tenant, { name, prefix: key.slice(0, 12), keyHash: hashKey(key) }, on);
    return { ...toView(saved), key };
  }

  async list(auth: AuthContext): Promise<ApiKeyView[]> {
    return (await this.apiKeys.list(this.access.tenant(auth, 'keys.manage'))).map(toView);
  }

  async revoke(auth: AuthContext, id: string): Promise<void> {
    if (!(await this.apiKeys.revoke(this.access.tenant(auth, 'keys.manage'), id))) throw new NotFound('API key', id);
    this.authenticator.forget(id);
  }
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
