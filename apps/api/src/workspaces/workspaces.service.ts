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

  /** A workspace and its first key, in one transaction. */
  async create(name: string): Promise<CreatedWorkspace> {
    return inTransaction(this.dataSource, async (tx) => {
      const workspace = await this.workspaces.insert(SYSTEM, name, tx);
      const key = await this.apiKeys.issue(this.access.newWorkspace(workspace.id), 'default', tx);
      return { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString(), apiKey: key.key };
    });
  }
}
