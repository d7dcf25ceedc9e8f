import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Workspace } from '@herald/db';
import { ApiKeysService } from './api-keys.service';

export interface CreatedWorkspace {
  id: string;
  name: string;
  createdAt: string;
  /** The workspace's first API key, shown once. */
  apiKey: string;
}

@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** A workspace and its first key, in one transaction. */
  async create(name: string): Promise<CreatedWorkspace> {
    return this.dataSource.transaction(async (manager) => {
      const workspace = await manager.save(manager.create(Workspace, { name }));
      const key = await this.apiKeys.issue(workspace.id, 'default', manager);
      return { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString(), apiKey: key.key };
    });
  }
}
