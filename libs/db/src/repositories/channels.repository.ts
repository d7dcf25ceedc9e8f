/** `channels`: a workspace's connected accounts, their zones, posting schedules, statuses and (encrypted) tokens. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant, inScope } from '../access/scope';
import { Channel, ChannelLinks, ChannelStatus, PostDefaults, PostingScheduleValue } from '../entities/channel.entity';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = `id, workspace_id, network, handle, timezone, posting_schedule, status, access_token, refresh_token, token_expires_at,
  account_id, host, details, post_defaults, network_options, stale_after_seconds, evergreen_min_repeat_days, links, expiry_warned_at, display_name, avatar_etag, profile_refreshed_at, schedule_is_default,
  created_at, updated_at, deleted_at`;
/** What creating a post reads of a channel: never its tokens. */
const POST_COLUMNS = 'id, workspace_id, network, handle, timezone, posting_schedule, status, details, post_defaults, network_options, links';

/** The workspace's live channels among some ids ($2), in id order, under each kind of lock. */
const liveAmong = (lock: '' | 'FOR UPDATE' | 'FOR SHARE') =>
  new Statement(`SELECT ${POST_COLUMNS} FROM channels WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL ORDER BY id ${lock}`.trim());

export const CHANNELS_SQL = {
  insert: new Statement(
    `INSERT INTO channels (workspace_id, network, handle, timezone, posting_schedule, status, access_token, refresh_token, token_expires_at, account_id, host, details, post_defaults,
                           display_name, schedule_is_default, profile_refreshed_at)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11, $12, $13, $14, now()) RETURNING ${COLUMNS}`,
  ),
  /** The workspace's live channel for an account of a network ($2, $3), on its host ($4) where it has one. */
  findAccount: new Statement(
    `SELECT ${COLUMNS} FROM channels
      WHERE workspace_id = $1 AND network = $2 AND (account_id = $3 OR (account_id IS NULL AND lower(handle) = lower($5)))
        AND host IS NOT DISTINCT FROM $4 AND deleted_at IS NULL
      ORDER BY account_id NULLS LAST LIMIT 1`,
  ),
  /** The same channel connected again: new tokens and what connecting found (its handle and name as the network gives them now), active. */
  reconnect: new Statement(
    `UPDATE channels SET handle = $3, access_token = $4, refresh_token = $5, token_expires_at = $6, account_id = $7, host = $8, details = $9,
            display_name = COALESCE($10, display_name), profile_refreshed_at = now(),
            status = 'active', expiry_warned_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  ),
  /** A channel's credentials ($1), row-locked: one refresh at a time per channel, whichever process asks. */
  credentialsLocked: new Statement(`SELECT ${COLUMNS} FROM channels WHERE id = $1 FOR UPDATE`),
  storeTokens: new Statement(
    `UPDATE channels SET access_token = $2, refresh_token = COALESCE($3, refresh_token), token_expires_at = $4, updated_at = now() WHERE id = $1`,
  ),
  /** A network's ($1) live channels whose access token lapses before $2 and can be renewed (with a refresh token, or $3: with the token itself), soonest first, $4 at a time. */
  /** Live, active channels whose queue recycles evergreen posts, any workspace. */
  recycling: planned(
    `SELECT ${COLUMNS} FROM channels WHERE evergreen_min_repeat_days IS NOT NULL AND deleted_at IS NULL AND status = 'active' ORDER BY id LIMIT $1`,
  ),
  renewalsDue: planned(
    `SELECT ${COLUMNS} FROM channels
      WHERE network = $1 AND deleted_at IS NULL AND status = 'active' AND token_expires_at < $2 AND ($3::boolean OR refresh_token IS NOT NULL)
      ORDER BY token_expires_at LIMIT $4`,
  ),
  /** Live channels of networks renewed with refresh tokens ($1) that have none, lapsing before $2, not yet announced; soonest first, $3 at a time. */
  unrenewableLapsing: planned(
    `SELECT ${COLUMNS} FROM channels
      WHERE network = ANY($1::text[]) AND deleted_at IS NULL AND status = 'active' AND refresh_token IS NULL AND expiry_warned_at IS NULL AND token_expires_at < $2
      ORDER BY token_expires_at LIMIT $3`,
  ),
  markWarned: new Statement(`UPDATE channels SET expiry_warned_at = now() WHERE id = $1`),
  /** A page newest first, after the keyset position ($2, $3) when given; for a tenant limited to some channels ($5), of those. */
  page: planned(
    `SELECT ${COLUMNS} FROM channels
      WHERE workspace_id = $1 AND deleted_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        AND ($5::uuid[] IS NULL OR id = ANY($5::uuid[]))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  find: new Statement(`SELECT ${COLUMNS} FROM channels WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`),
  findLocked: new Statement(`SELECT ${COLUMNS} FROM channels WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`),
  liveAmong: liveAmong(''),
  liveAmongLocked: liveAmong('FOR UPDATE'),
  liveAmongShared: liveAmong('FOR SHARE'),
  /** Among some ids, removed ones too (a retry must say a channel is gone). */
  among: new Statement(`SELECT ${COLUMNS} FROM channels WHERE workspace_id = $1 AND id = ANY($2::uuid[])`),
  /** The name and handle the network gives the account now. */
  setProfile: new Statement(
    `UPDATE channels SET handle = $3, display_name = $4, details = details || COALESCE($5::jsonb, '{}'::jsonb), profile_refreshed_at = now(), updated_at = now()
      WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  ),
  /** A schedule given ($4) is no longer the default one. */
  update: new Statement(
    `UPDATE channels SET timezone = COALESCE($3, timezone), posting_schedule = COALESCE($4, posting_schedule),
            schedule_is_default = CASE WHEN $4::jsonb IS NULL THEN schedule_is_default ELSE false END,
            status = COALESCE($5, status), access_token = COALESCE($6, access_token), post_defaults = COALESCE($7, post_defaults),
            stale_after_seconds = CASE WHEN $8::boolean THEN $9::int ELSE stale_after_seconds END,
            evergreen_min_repeat_days = CASE WHEN $10::boolean THEN $11::int ELSE evergreen_min_repeat_days END,
            network_options = COALESCE($12::jsonb, network_options), links = COALESCE($13::jsonb, links), updated_at = now()
      WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  ),
  remove: new Statement(`UPDATE channels SET deleted_at = now(), updated_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`),
  /**
   * Serializes posting-quota checks of the workspace's channels ($2) until
   * the transaction ends: an advisory lock per channel, taken in id order
   * (no row is locked or written). Another workspace's ids lock nothing.
   */
  lockForQuota: new Statement(
    `SELECT id, pg_advisory_xact_lock(hashtextextended(id::text, 14)) FROM (
       SELECT id FROM channels WHERE workspace_id = $1 AND id = ANY($2::uuid[]) ORDER BY id) mine`,
  ),
  /** Which workspaces have live channels on a network, and at which hosts (a network's events go to them). */
  hostsOfNetwork: new Statement(`SELECT DISTINCT workspace_id, host FROM channels WHERE network = $1 AND deleted_at IS NULL`),
  /** The network refused these channels' tokens: disconnected (once); answers those it changed. */
  disconnect: new Statement(
    `UPDATE channels SET status = 'disconnected', updated_at = now() WHERE id = ANY($1::uuid[]) AND status <> 'disconnected'
     RETURNING id, workspace_id, network, handle`,
  ),
};

interface ChannelRow {
  id: string;
  workspace_id: string;
  network: string;
  handle: string;
  timezone: string;
  posting_schedule: PostingScheduleValue;
  status: ChannelStatus;
  details: Record<string, unknown>;
  post_defaults?: PostDefaults;
  network_options?: Record<string, unknown>;
  stale_after_seconds?: number | null;
  evergreen_min_repeat_days?: number | null;
  links?: ChannelLinks;
  access_token?: string;
  refresh_token?: string | null;
  token_expires_at?: Date | null;
  account_id?: string | null;
  host?: string | null;
  expiry_warned_at?: Date | null;
  display_name?: string | null;
  avatar_etag?: string | null;
  profile_refreshed_at?: Date | null;
  schedule_is_default?: boolean;
  created_at?: Date;
  updated_at?: Date;
  deleted_at?: Date | null;
}

/** What connecting an account found, with its tokens (encrypted by the caller). */
export interface ChannelConnection {
  handle: string;
  accessToken: string;
  refreshToken?: string | null;
  tokenExpiresAt?: Date | null;
  accountId?: string | null;
  host?: string | null;
  details?: Record<string, unknown>;
  /** The account's name as the network gives it, where it gave one. */
  displayName?: string | null;
}

export interface NewChannel extends ChannelConnection {
  network: string;
  postDefaults?: PostDefaults;
  timezone: string;
  postingSchedule: PostingScheduleValue;
  /** The schedule is Herald's default for a new channel. */
  scheduleIsDefault?: boolean;
}

export interface ChannelChanges {
  timezone?: string;
  postingSchedule?: PostingScheduleValue;
  status?: ChannelStatus;
  /** Encrypted by the caller. */
  accessToken?: string;
  postDefaults?: PostDefaults;
  /** Null turns it off; undefined leaves it. */
  staleAfterSeconds?: number | null;
  /** Recycling its evergreen posts: the least days between two times of one post (null: off). */
  evergreenMinRepeatDays?: number | null;
  /** The options every post to it tells its network unless the post says otherwise (all of them: replaces what it had). */
  networkOptions?: Record<string, unknown>;
  /** Its links settings, all of them (replaces what it had; `{}` clears). */
  links?: ChannelLinks;
}

@Injectable()
export class ChannelsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Throws Postgres's unique violation (23505) when the account is already connected to the workspace. */
  async insert(tenant: Tenant, channel: NewChannel, on?: Executor): Promise<Channel> {
    const row = await this.one<ChannelRow>(CHANNELS_SQL.insert, [
      tenant.workspaceId,
      channel.network,
      channel.handle,
      channel.timezone,
      JSON.stringify(channel.postingSchedule),
      channel.accessToken,
      channel.refreshToken ?? null,
      channel.tokenExpiresAt ?? null,
      channel.accountId ?? null,
      channel.host ?? null,
      JSON.stringify(channel.details ?? {}),
      JSON.stringify(channel.postDefaults ?? {}),
      channel.displayName ?? null,
      channel.scheduleIsDefault ?? false,
    ], on);
    return toChannel(row!);
  }

  /** The live channel this account already is in the workspace (found by its network id, or by handle for older channels). */
  async findAccount(tenant: Tenant, network: string, account: { accountId: string; handle: string; host?: string | null }, on?: Executor): Promise<Channel | undefined> {
    const row = await this.one<ChannelRow>(CHANNELS_SQL.findAccount, [tenant.workspaceId, network, account.accountId, account.host ?? null, account.handle], on);
    return row && toChannel(row);
  }

  /** Connected again: the same channel (id, schedule, slot queue) with new credentials, active. */
  async reconnect(tenant: Tenant, id: string, connection: ChannelConnection, on?: Executor): Promise<Channel | undefined> {
    const row = await this.one<ChannelRow>(
      CHANNELS_SQL.reconnect,
      [
        tenant.workspaceId,
        id,
        connection.handle,
        connection.accessToken,
        connection.refreshToken ?? null,
        connection.tokenExpiresAt ?? null,
        connection.accountId ?? null,
        connection.host ?? null,
        JSON.stringify(connection.details ?? {}),
        connection.displayName ?? null,
      ],
      on,
    );
    return row && toChannel(row);
  }

  /** The handle and name the network gives the account now, and what its details say now (merged over the kept ones); undefined when the workspace has no such live channel. */
  async setProfile(tenant: Tenant, id: string, profile: { handle: string; displayName: string | null; details?: Record<string, unknown> }, on?: Executor): Promise<Channel | undefined> {
    const row = await this.one<ChannelRow>(CHANNELS_SQL.setProfile, [tenant.workspaceId, id, profile.handle, profile.displayName, profile.details ? JSON.stringify(profile.details) : null], on);
    return row && toChannel(row);
  }

  /** A channel's credentials under its row lock, for the transaction `on` (a token refresh). */
  async credentialsLocked(_scope: SystemScope, id: string, on: Executor): Promise<Channel | undefined> {
    const row = await this.one<ChannelRow>(CHANNELS_SQL.credentialsLocked, [id], on);
    return row && toChannel(row);
  }

  /** Renewed tokens (encrypted by the caller); a refresh token is kept when the network sent none. */
  async storeTokens(_scope: SystemScope, id: string, tokens: { accessToken: string; refreshToken?: string | null; expiresAt?: Date | null }, on: Executor): Promise<void> {
    await this.rows(CHANNELS_SQL.storeTokens, [id, tokens.accessToken, tokens.refreshToken ?? null, tokens.expiresAt ?? null], on);
  }

  async recycling(_scope: SystemScope, limit: number): Promise<Channel[]> {
    return (await this.rows<ChannelRow>(CHANNELS_SQL.recycling, [limit])).map(toChannel);
  }

  async renewalsDue(_scope: SystemScope, network: string, before: Date, renewsWithAccessToken: boolean, limit: number): Promise<Channel[]> {
    return (await this.rows<ChannelRow>(CHANNELS_SQL.renewalsDue, [network, before, renewsWithAccessToken, limit])).map(toChannel);
  }

  async unrenewableLapsing(_scope: SystemScope, networks: string[], before: Date, limit: number): Promise<Channel[]> {
    return (await this.rows<ChannelRow>(CHANNELS_SQL.unrenewableLapsing, [networks, before, limit])).map(toChannel);
  }

  async markWarned(_scope: SystemScope, id: string, on?: Executor): Promise<void> {
    await this.rows(CHANNELS_SQL.markWarned, [id], on);
  }

  /** `limit` + 1 rows newest first, after `after` when given (see `toPage`). */
  async page(tenant: Tenant, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<Channel[]> {
    const rows = await this.rows<ChannelRow>(CHANNELS_SQL.page, [tenant.workspaceId, after?.createdAt ?? null, after?.id ?? null, limit + 1, tenant.channelIds ?? null]);
    return rows.map(toChannel);
  }

  /** A live channel (not one outside the channels a tenant is limited to); with `lock`, row-locked for the transaction `on`. */
  async find(tenant: Tenant, id: string, options: { lock?: boolean; on?: Executor } = {}): Promise<Channel | undefined> {
    if (!inScope(tenant, id)) return undefined;
    const row = await this.one<ChannelRow>(options.lock ? CHANNELS_SQL.findLocked : CHANNELS_SQL.find, [tenant.workspaceId, id], options.on);
    return row && toChannel(row);
  }

  /**
   * The workspace's live channels among `ids` (their token left out), in id
   * order, under a row lock (`update`), a share lock (`share`) or none.
   */
  async liveAmong(tenant: Tenant, ids: string[], lock: 'update' | 'share' | 'none', on?: Executor): Promise<Channel[]> {
    const statement = lock === 'update' ? CHANNELS_SQL.liveAmongLocked : lock === 'share' ? CHANNELS_SQL.liveAmongShared : CHANNELS_SQL.liveAmong;
    // Those outside the channels a tenant is limited to are, for it, not there.
    return (await this.rows<ChannelRow>(statement, [tenant.workspaceId, ids.filter((id) => inScope(tenant, id))], on)).map(toChannel);
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
        changes.postDefaults !== undefined ? JSON.stringify(changes.postDefaults) : null,
        changes.staleAfterSeconds !== undefined,
        changes.staleAfterSeconds ?? null,
        changes.evergreenMinRepeatDays !== undefined,
        changes.evergreenMinRepeatDays ?? null,
        changes.networkOptions !== undefined ? JSON.stringify(changes.networkOptions) : null,
        changes.links !== undefined ? JSON.stringify(changes.links) : null,
      ],
      on,
    );
    return row && toChannel(row);
  }

  /** Marks the channel removed (its history stays); false when the workspace has no such live channel. */
  async remove(tenant: Tenant, id: string, on?: Executor): Promise<boolean> {
    return (await this.rows(CHANNELS_SQL.remove, [tenant.workspaceId, id], on)).length > 0;
  }

  /** Answers the ids it locked (the workspace's own). */
  async lockForQuota(tenant: Tenant, ids: string[], on: Executor): Promise<string[]> {
    return (await this.rows<{ id: string }>(CHANNELS_SQL.lockForQuota, [tenant.workspaceId, ids], on)).map((row) => row.id);
  }

  async hostsOfNetwork(_scope: SystemScope, network: string): Promise<{ workspaceId: string; host: string | null }[]> {
    const rows = await this.rows<{ workspace_id: string; host: string | null }>(CHANNELS_SQL.hostsOfNetwork, [network]);
    return rows.map((row) => ({ workspaceId: row.workspace_id, host: row.host }));
  }

  /** The network refused these channels' tokens (whichever workspaces they are in); answers those newly disconnected. */
  async disconnect(_scope: SystemScope, ids: string[], on?: Executor): Promise<{ id: string; workspaceId: string; network: string; handle: string }[]> {
    const rows = await this.rows<{ id: string; workspace_id: string; network: string; handle: string }>(CHANNELS_SQL.disconnect, [ids], on);
    return rows.map((row) => ({ id: row.id, workspaceId: row.workspace_id, network: row.network, handle: row.handle }));
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
    details: row.details ?? {},
    postDefaults: row.post_defaults ?? {},
    networkOptions: row.network_options ?? {},
    staleAfterSeconds: row.stale_after_seconds ?? null,
    evergreenMinRepeatDays: row.evergreen_min_repeat_days ?? null,
    links: row.links ?? {},
    displayName: row.display_name ?? null,
    avatarEtag: row.avatar_etag ?? null,
    profileRefreshedAt: row.profile_refreshed_at ?? null,
    scheduleIsDefault: row.schedule_is_default ?? false,
    ...(row.access_token !== undefined
      ? {
          accessToken: row.access_token,
          refreshToken: row.refresh_token ?? null,
          tokenExpiresAt: row.token_expires_at ?? null,
          accountId: row.account_id ?? null,
          host: row.host ?? null,
          expiryWarnedAt: row.expiry_warned_at ?? null,
        }
      : {}),
    ...(row.created_at !== undefined ? { createdAt: row.created_at, updatedAt: row.updated_at, deletedAt: row.deleted_at ?? null } : {}),
  });
}
