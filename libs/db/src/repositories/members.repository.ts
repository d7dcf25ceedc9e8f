/**
 * `members`: a person's role in a workspace. The role is read on every
 * request a person makes (`roleOf`, as the workspace the request names), so
 * a member removed here, or whose role changed, is judged by that at their
 * next request.
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
  /** The role, its row share-locked: a removal or a role change waits for the transaction, and then sees what it made. */
  roleOfLocked: new Statement(`SELECT role FROM members WHERE workspace_id = $1 AND user_id = $2 FOR SHARE`),
  /** The workspace's members in the order they joined, after a position ($2, $3), with their names and emails. */
  page: new Statement(
    `SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM members m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = $1 AND ($2::timestamptz IS NULL OR (m.created_at, m.user_id) > ($2, $3::uuid))
      ORDER BY m.created_at, m.user_id LIMIT $4`,
  ),
  /** One member, row-locked for the transaction that changes or removes them. */
  findLocked: new Statement(
    `SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM members m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = $1 AND m.user_id = $2 FOR UPDATE OF m`,
  ),
  /** The workspace's owners, row-locked: two changes at once cannot each leave the other's owner as the last, then remove them both. */
  ownersLocked: new Statement(`SELECT user_id FROM members WHERE workspace_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`),
  setRole: new Statement(`UPDATE members SET role = $3 WHERE workspace_id = $1 AND user_id = $2 RETURNING user_id`),
  remove: new Statement(`DELETE FROM members WHERE workspace_id = $1 AND user_id = $2 RETURNING user_id`),
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

/** A member as `GET /v1/members` lists them. */
export interface MemberOfWorkspace {
  userId: string;
  email: string;
  name: string;
  role: string;
  joinedAt: Date;
}

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: string;
  created_at: Date;
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

  /** The person's role, their membership share-locked until the transaction ends; undefined when they are not a member. */
  async roleOfLocked(tenant: Tenant, userId: string, on: Executor): Promise<string | undefined> {
    return (await this.one<{ role: string }>(MEMBERS_SQL.roleOfLocked, [tenant.workspaceId, userId], on))?.role;
  }

  /** Up to `limit` members in the order they joined, after `after` (the last of the previous page). */
  async page(tenant: Tenant, after: { joinedAt: Date; userId: string } | undefined, limit: number): Promise<MemberOfWorkspace[]> {
    const rows = await this.rows<MemberRow>(MEMBERS_SQL.page, [tenant.workspaceId, after?.joinedAt ?? null, after?.userId ?? null, limit]);
    return rows.map(toMember);
  }

  async findLocked(tenant: Tenant, userId: string, on: Executor): Promise<MemberOfWorkspace | undefined> {
    const row = await this.one<MemberRow>(MEMBERS_SQL.findLocked, [tenant.workspaceId, userId], on);
    return row && toMember(row);
  }

  /** The ids of the workspace's owners, each row locked until the transaction ends. */
  async ownersLocked(tenant: Tenant, on: Executor): Promise<string[]> {
    return (await this.rows<{ user_id: string }>(MEMBERS_SQL.ownersLocked, [tenant.workspaceId], on)).map((row) => row.user_id);
  }

  async setRole(tenant: Tenant, userId: string, role: string, on?: Executor): Promise<boolean> {
    return (await this.rows(MEMBERS_SQL.setRole, [tenant.workspaceId, userId, role], on)).length > 0;
  }

  async remove(tenant: Tenant, userId: string, on?: Executor): Promise<boolean> {
    return (await this.rows(MEMBERS_SQL.remove, [tenant.workspaceId, userId], on)).length > 0;
  }

  /** Every workspace the person belongs to, oldest membership first: the person's own list, across workspaces. */
  async ofUser(_scope: SystemScope, userId: string, on?: Executor): Promise<Membership[]> {
    const rows = await this.rows<{ workspace_id: string; name: string; role: string }>(MEMBERS_SQL.ofUser, [userId], on);
    return rows.map((row) => ({ workspaceId: row.workspace_id, name: row.name, role: row.role }));
  }
}

function toMember(row: MemberRow): MemberOfWorkspace {
  return { userId: row.user_id, email: row.email, name: row.name, role: row.role, joinedAt: row.created_at };
}
