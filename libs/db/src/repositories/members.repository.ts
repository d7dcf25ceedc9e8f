/**
 * `members`: a person's role in a workspace. The role is read on every
 * request a person makes (`roleOf`, as the workspace the request names), so
 * a member removed here is refused at their next request.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const MEMBERS_SQL = {
  insert: new Statement(`INSERT INTO members (workspace_id, user_id, role) VALUES ($1, $2, $3) RETURNING workspace_id, user_id, role, created_at`),
  roleOf: new Statement(`SELECT role FROM members WHERE workspace_id = $1 AND user_id = $2`),
  ofUser: new Statement(
    `SELECT m.workspace_id, w.name, m.role FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1 ORDER BY m.created_at, m.workspace_id`,
  ),
};

export interface Member {
  workspaceId: string;
  userId: string;
  role: string;
  createdAt: Date;
}

/** A workspace a person belongs to, as `GET /v1/auth/me` lists it. */
export interface Membership {
  workspaceId: string;
  name: string;
  role: string;
}

@Injectable()
export class MembersRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(tenant: Tenant, userId: string, role: string, on?: Executor): Promise<Member> {
    const row = (await this.one<{ workspace_id: string; user_id: string; role: string; created_at: Date }>(MEMBERS_SQL.insert, [tenant.workspaceId, userId, role], on))!;
    return { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, createdAt: row.created_at };
  }

  /** The person's role in this workspace; undefined when they are not (or no longer) a member. */
  async roleOf(tenant: Tenant, userId: string, on?: Executor): Promise<string | undefined> {
    return (await this.one<{ role: string }>(MEMBERS_SQL.roleOf, [tenant.workspaceId, userId], on))?.role;
  }

  /** Every workspace the person belongs to, oldest membership first: the person's own list, across workspaces. */
  async ofUser(_scope: SystemScope, userId: string, on?: Executor): Promise<Membership[]> {
    const rows = await this.rows<{ workspace_id: string; name: string; role: string }>(MEMBERS_SQL.ofUser, [userId], on);
    return rows.map((row) => ({ workspaceId: row.workspace_id, name: row.name, role: row.role }));
  }
}
