/**
 * `channel_groups` and `channel_group_members`: a workspace's saved sets of
 * channels ("Client A"), names unique per workspace (any case). A group
 * lists only live channels: a removed channel's memberships are deleted with
 * it, and reads skip any that remain.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const GROUP = `g.id, g.name, g.created_at, g.updated_at,
  COALESCE((SELECT array_agg(m.channel_id ORDER BY m.position) FROM channel_group_members m JOIN channels c ON c.id = m.channel_id
             WHERE m.group_id = g.id AND c.deleted_at IS NULL), '{}') AS channel_ids`;

export const CHANNEL_GROUPS_SQL = {
  list: planned(`SELECT ${GROUP} FROM channel_groups g WHERE g.workspace_id = $1 ORDER BY lower(g.name), g.id`),
  find: new Statement(`SELECT ${GROUP} FROM channel_groups g WHERE g.workspace_id = $1 AND g.id = $2`),
  findLocked: new Statement(`SELECT id FROM channel_groups WHERE workspace_id = $1 AND id = $2 FOR UPDATE`),
  insert: new Statement(`INSERT INTO channel_groups (workspace_id, name) VALUES ($1, $2) RETURNING id`),
  rename: new Statement(`UPDATE channel_groups SET name = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`),
  touch: new Statement(`UPDATE channel_groups SET updated_at = now() WHERE workspace_id = $1 AND id = $2`),
  clearMembers: new Statement(`DELETE FROM channel_group_members m USING channel_groups g WHERE g.id = m.group_id AND g.workspace_id = $1 AND g.id = $2`),
  /** The channels ($3, in order) that are the workspace's live ones join the group. */
  addMembers: new Statement(
    `INSERT INTO channel_group_members (group_id, channel_id, position)
     SELECT $2, given.id, given.position FROM unnest($3::uuid[]) WITH ORDINALITY AS given(id, position)
       JOIN channels c ON c.id = given.id AND c.workspace_id = $1 AND c.deleted_at IS NULL`,
  ),
  remove: new Statement(`DELETE FROM channel_groups WHERE workspace_id = $1 AND id = $2 RETURNING id`),
  /** A removed channel leaves every group of its workspace. */
  dropChannel: new Statement(`DELETE FROM channel_group_members m USING channel_groups g WHERE g.id = m.group_id AND g.workspace_id = $1 AND m.channel_id = $2`),
};

export interface ChannelGroup {
  id: string;
  name: string;
  channelIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

interface GroupRow {
  id: string;
  name: string;
  channel_ids: string[];
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class ChannelGroupsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async list(tenant: Tenant): Promise<ChannelGroup[]> {
    return (await this.rows<GroupRow>(CHANNEL_GROUPS_SQL.list, [tenant.workspaceId])).map(toGroup);
  }

  async find(tenant: Tenant, id: string, on?: Executor): Promise<ChannelGroup | undefined> {
    const row = await this.one<GroupRow>(CHANNEL_GROUPS_SQL.find, [tenant.workspaceId, id], on);
    return row && toGroup(row);
  }

  /** Row-locks the group for the transaction `on`; false when the workspace has none such. */
  async lock(tenant: Tenant, id: string, on: Executor): Promise<boolean> {
    return (await this.one(CHANNEL_GROUPS_SQL.findLocked, [tenant.workspaceId, id], on)) !== undefined;
  }

  /** Throws Postgres's unique violation (23505) when the workspace has a group of that name. */
  async insert(tenant: Tenant, name: string, on: Executor): Promise<string> {
    return (await this.one<{ id: string }>(CHANNEL_GROUPS_SQL.insert, [tenant.workspaceId, name], on))!.id;
  }

  /** Throws Postgres's unique violation (23505) when the workspace has another group of that name. */
  async rename(tenant: Tenant, id: string, name: string, on: Executor): Promise<void> {
    await this.rows(CHANNEL_GROUPS_SQL.rename, [tenant.workspaceId, id, name], on);
  }

  /** The group's channels, replaced by `channelIds` in that order (the workspace's live channels among them). */
  async setMembers(tenant: Tenant, id: string, channelIds: string[], on: Executor): Promise<void> {
    await this.rows(CHANNEL_GROUPS_SQL.clearMembers, [tenant.workspaceId, id], on);
    await this.rows(CHANNEL_GROUPS_SQL.addMembers, [tenant.workspaceId, id, channelIds], on);
    await this.rows(CHANNEL_GROUPS_SQL.touch, [tenant.workspaceId, id], on);
  }

  async remove(tenant: Tenant, id: string): Promise<boolean> {
    return (await this.rows(CHANNEL_GROUPS_SQL.remove, [tenant.workspaceId, id])).length > 0;
  }

  async dropChannel(tenant: Tenant, channelId: string, on?: Executor): Promise<void> {
    await this.rows(CHANNEL_GROUPS_SQL.dropChannel, [tenant.workspaceId, channelId], on);
  }
}

function toGroup(row: GroupRow): ChannelGroup {
  return { id: row.id, name: row.name, channelIds: row.channel_ids, createdAt: row.created_at, updatedAt: row.updated_at };
}
