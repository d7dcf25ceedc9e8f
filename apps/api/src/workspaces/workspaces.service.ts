import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM, WorkspacesRepository, inTransaction } from '@herald/db';
import { AccessService } from '../access';
import { ApiKeysService } from './api-keys.service';

export interface CreatedWorkspace {
  id: string;
  name: string;
  createdAt: string;
  /** The workspace's first API key, shown once. */
  apiKey: string;
}

/** Tenants, made by the operator (behind the admin token). */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workspaces: WorkspacesRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly access: AccessService,
  ) {}

  /**
   * A workspace and its first key, in one transaction. The first key is
   * `admin`: it is the operator's way in to a workspace nobody has signed
   * in to yet (connecting its channels, making its webhooks and the keys
   * its programs use, inviting its first people), so it may do everything
   * but what only an owner, a person, may.
   */
  async create(name: string): Promise<CreatedWorkspace> {
    return inTransaction(this.dataSource, async (tx) => {
      const workspace = await this.workspaces.insert(SYSTEM, name, tx);
      const operator = { kind: 'operator', id: null } as const;
      const key = await this.apiKeys.issue(this.access.newWorkspace(workspace.id), 'default', 'admin', operator, tx, { madeBy: operator, makerUserId: null });
      return { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString(), apiKey: key.key };
    });
  }
}
