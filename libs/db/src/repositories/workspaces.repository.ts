/** `workspaces`: the tenants. Made by the operator, so the scope is SYSTEM. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Workspace } from '../entities/workspace.entity';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const WORKSPACES_SQL = {
  insert: new Statement(`INSERT INTO workspaces (name, timezone) VALUES ($1, $2) RETURNING id, name, timezone, created_at, allowed_redirect_origins`),
  find: new Statement(`SELECT id, name, timezone, created_at, allowed_redirect_origins FROM workspaces WHERE id = $1`),
  setTimezone: new Statement(
    `UPDATE workspaces w SET timezone = $2 FROM workspaces old WHERE w.id = $1 AND old.id = w.id
     RETURNING w.id, w.name, w.timezone, w.created_at, w.allowed_redirect_origins, old.timezone AS previous`,
  ),
  setAllowedRedirectOrigins: new Statement(
    `UPDATE workspaces w SET allowed_redirect_origins = $2 FROM workspaces old WHERE w.id = $1 AND old.id = w.id
     RETURNING w.id, w.name, w.timezone, w.created_at, w.allowed_redirect_origins, old.allowed_redirect_origins AS previous`,
  ),
};

interface WorkspaceRow {
  id: string;
  name: string;
  timezone: string;
  created_at: Date;
  allowed_redirect_origins: string[];
}

@Injectable()
export class WorkspacesRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(_scope: SystemScope, name: string, on?: Executor, timezone = 'UTC'): Promise<Workspace> {
    return toWorkspace((await this.one<WorkspaceRow>(WORKSPACES_SQL.insert, [name, timezone], on))!);
  }

  /** Sets the zone new channels take; answers the workspace and the zone it had. */
  async setTimezone(tenant: Tenant, timezone: string, on?: Executor): Promise<{ workspace: Workspace; previous: string } | undefined> {
    const row = await this.one<WorkspaceRow & { previous: string }>(WORKSPACES_SQL.setTimezone, [tenant.workspaceId, timezone], on);
    return row && { workspace: toWorkspace(row), previous: row.previous };
  }

  /** The tenant's own workspace. */
  async find(tenant: Tenant, on?: Executor): Promise<Workspace | undefined> {
    const row = await this.one<WorkspaceRow>(WORKSPACES_SQL.find, [tenant.workspaceId], on);
    return row && toWorkspace(row);
  }

  /** Sets the origins a connect flow may send the browser back to (besides the web app's); answers the workspace and the origins it had. */
  async setAllowedRedirectOrigins(tenant: Tenant, origins: string[], on?: Executor): Promise<{ workspace: Workspace; previous: string[] } | undefined> {
    const row = await this.one<WorkspaceRow & { previous: string[] }>(WORKSPACES_SQL.setAllowedRedirectOrigins, [tenant.workspaceId, origins], on);
    return row && { workspace: toWorkspace(row), previous: row.previous };
  }
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return Object.assign(new Workspace(), { id: row.id, name: row.name, timezone: row.timezone, createdAt: row.created_at, allowedRedirectOrigins: row.allowed_redirect_origins });
}
