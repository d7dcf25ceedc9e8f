/** `channels`: a workspace's connected accounts, their zones, posting schedules, statuses and (encrypted) tokens. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Channel, ChannelStatus, PostingScheduleValue } from '../entities/channel.entity';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = 'id, workspace_id, network, handle, timezone, posting_schedule, status, access_token, created_at, updated_at, deleted_at';
/** What creating a post reads of a channel: never its token. */
const POST_COLUMNS = 'id, workspace_id, network, handle, timezone, posting_schedule, status';

/** The workspace's live channels among some ids ($2), in id order, under each kind of lock. */
const liveAmong = (lock: '' | 'FOR UPDATE' | 'FOR SHARE') =>
  new Statement(`SELECT ${POST_COLUMNS} FROM channels WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL ORDER BY id ${lock}`.trim());

export const CHANNELS_SQL = {
  insert: new Statement(
    `INSERT INTO channels (workspace_id, network, handle, timezone, posting_schedule, status, access_token)
     VALUES ($1, $2, $3, $4, $5, 'active', $6) RETURNING ${COLUMNS}`,
  ),
  /** A page newest first, after the keyset position ($2, $3) when given. */
  page: planned(
    `SELECT ${COLUMNS} FROM channels
      WHERE workspace_id = $1 AND deleted_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  find: new Statement(`SELECT ${COLUMNS} FROM channels WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`),
  findLocked: new Statement(`SELECT ${COLUMNS} FROM channels WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`),
  liveAmong: liveAmong(''),
  liveAmongLocked: liveAmong('FOR UPDATE'),
  liveAmongShared: liveAmong('FOR SHARE'),
  /** Among some ids, removed ones too (a retry must say a channel is gone). */
  among: new Statement(`SELECT ${COLUMNS} FROM channels WHERE workspace_id = $1 AND id = ANY($2::uuid[])`),
  update: new Statement(
    `UPDATE channels SET timezone = COALESCE($3, timezone), posting_schedule = COALESCE($4, posting_schedule),
            status = COALESCE($5, status), access_token = COALESCE($6, access_token), updated_at = now()
      WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  ),
  remove: new Statement(`UPDATE channels SET deleted_at = now(), updated_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`),
  disconnect: new Statement(`UPDATE channels SET status = 'disconnected', updated_at = now() WHERE id = ANY($1::uuid[])`),
};

interface ChannelRow {
  id: string;
  workspace_id: string;
  network: string;
  handle: string;
  timezone: string;
  posting_schedule: PostingScheduleValue;
  status: ChannelStatus;
  access_token?: string;
  created_at?: Date;
  updated_at?: Date;
  deleted_at?: Date | null;
}

export interface NewChannel {
  network: string;
  handle: string;
  timezone: string;
  postingSchedule: PostingScheduleValue;
  /** Encrypted by the caller. */
  accessToken: string;
}

export interface ChannelChanges {
  timezone?: string;
  postingSchedule?: PostingScheduleValue;
  status?: ChannelStatus;
  /** Encrypted by the caller. */
  accessToken?: string;
}

@Injectable()
export class ChannelsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Throws Postgres's unique violation (23505) when the account is already connected to the workspace. */
  async insert(tenant: Tenant, channel: NewChannel): Promise<Channel> {
    const row = await this.one<ChannelRow>(CHANNELS_SQL.insert, [
      tenant.workspaceId,
      channel.network,
      channel.handle,
      channel.timezone,
      JSON.stringify(channel.postingSchedule),
      channel.accessToken,
    ]);
    return toChannel(row!);
  }

  /** `limit` + 1 rows newest first, after `after` when given (see `toPage`). */
  async page(tenant: Tenant, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<Channel[]> {
    const rows = await this.rows<ChannelRow>(CHANNELS_SQL.page, [tenant.workspaceId, after?.createdAt ?? null, after?.id ?? null, limit + 1]);
    return rows.map(toChannel);
  }

  /** A live channel; with `lock`, row-locked for the transaction `on`. */
  async find(tenant: Tenant, id: string, options: { lock?: boolean; on?: Executor } = {}): Promise<Channel | undefined> {
    const row = await this.one<ChannelRow>(options.lock ? CHANNELS_SQL.findLocked : CHANNELS_SQL.find, [tenant.workspaceId, id], options.on);
    return row && toChannel(row);
  }

  /**
   * The workspace's live channels among `ids` (their token left out), in id
   * order, under a row lock (`update`), a share lock (`share`) or none.
   */
  async liveAmong(tenant: Tenant, ids: string[], lock: 'update' | 'share' | 'none', on?: Executor): Promise<Channel[]> {
    const statement = lock === 'update' ? CHANNELS_SQL.liveAmongLocked : lock === 'share' ? CHANNELS_SQL.liveAmongShared : CHANNELS_SQL.liveAmong;
    return (await this.rows<ChannelRow>(statement, [tenant.workspaceId, ids], on)).map(toChannel);
  }

  /** The workspace's channels among `ids`, removed ones included. */
  async among(tenant: Tenant, ids: string[], on?: Executor): Promise<Channel[]> {
    return (await this.rows<ChannelRow>(CHANNELS_SQL.among, [tenant.workspaceId, ids], on)).map(toChannel);
  }

  /** Writes the given changes; undefined when the workspace has no such live channel. */
  async update(tenant: Tenant, id: string, changes: ChannelChanges, on?: Executor): Promise<Channel | undefined> {
    const row = await this.one<ChannelRow>(
      CHANNELS_SQL.update,
      [
        tenant.workspaceId,
        id,
        changes.timezone ?? null,
        changes.postingSchedule ? JSON.stringify(changes.postingSchedule) : null,
        changes.status ?? null,
        changes.accessToken ?? null,
      ],
      on,
    );
    return row && toChannel(row);
  }

  /** Marks the channel removed (its history stays); false when the workspace has no such live channel. */
  async remove(tenant: Tenant, id: string, on?: Executor): Promise<boolean> {
    return (await this.rows(CHANNELS_SQL.remove, [tenant.workspaceId, id], on)).length > 0;
  }

  /** The network revoked these channels' tokens (a publish outcome, whichever workspaces they are in). */
  async disconnect(_scope: SystemScope, ids: string[], on?: Executor): Promise<void> {
    await this.rows(CHANNELS_SQL.disconnect, [ids], on);
  }
}

function toChannel(row: ChannelRow): Channel {
  return Object.assign(new Channel(), {
    id: row.id,
    workspaceId: row.workspace_id,
    network: row.network,
    handle: row.handle,
    timezone: row.timezone,
    postingSchedule: row.posting_schedule,
    status: row.status,
    ...(row.access_token !== undefined ? { accessToken: row.access_token } : {}),
    ...(row.created_at !== undefined ? { createdAt: row.created_at, updatedAt: row.updated_at, deletedAt: row.deleted_at ?? null } : {}),
  });
}
