/** `workspaces`: the tenants. Made by the operator, so the scope is SYSTEM. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope } from '../access/scope';
import { Workspace } from '../entities/workspace.entity';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const WORKSPACES_SQL = {
  insert: new Statement(`INSERT INTO workspaces (name) VALUES ($1) RETURNING id, name, created_at`),
};

@Injectable()
export class WorkspacesRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(_scope: SystemScope, name: string, on?: Executor): Promise<Workspace> {
    const row = (await this.one<{ id: string; name: string; created_at: Date }>(WORKSPACES_SQL.insert, [name], on))!;
    return Object.assign(new Workspace(), { id: row.id, name: row.name, createdAt: row.created_at });
  }
}
