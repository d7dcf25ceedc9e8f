/**
 * `channel_avatars`: each channel's avatar as Herald keeps it (normalised,
 * a few KB), served by the API instead of the network's URL; the channel's
 * `avatar_etag` says one is kept, written in the same statement.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const CHANNEL_AVATARS_SQL = {
  /** Keeps the image ($3, $4, $5) of the workspace's live channel $2, and names its ETag on the channel. */
  put: new Statement(
    `WITH channel AS (SELECT id FROM channels WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL),
          saved AS (
            INSERT INTO channel_avatars (channel_id, workspace_id, content_type, bytes, etag)
            SELECT id, $1, $3, $4, $5 FROM channel
            ON CONFLICT (channel_id) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, etag = EXCLUDED.etag, updated_at = now()
            RETURNING channel_id, etag)
     UPDATE channels SET avatar_etag = saved.etag FROM saved WHERE channels.id = saved.channel_id RETURNING channels.id`,
  ),
  /** The network shows no avatar for the account (any more). */
  clear: new Statement(
    `WITH gone AS (DELETE FROM channel_avatars WHERE workspace_id = $1 AND channel_id = $2)
     UPDATE channels SET avatar_etag = NULL WHERE workspace_id = $1 AND id = $2 AND avatar_etag IS NOT NULL`,
  ),
  find: new Statement(
    `SELECT a.content_type, a.bytes, a.etag, a.updated_at FROM channel_avatars a JOIN channels c ON c.id = a.channel_id
      WHERE a.workspace_id = $1 AND a.channel_id = $2 AND c.deleted_at IS NULL`,
  ),
};

export interface ChannelAvatar {
  contentType: string;
  bytes: Buffer;
  etag: string;
  updatedAt: Date;
}

@Injectable()
export class ChannelAvatarsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** False when the workspace has no such live channel. */
  async put(tenant: Tenant, channelId: string, avatar: { contentType: string; bytes: Buffer; etag: string }, on?: Executor): Promise<boolean> {
    return (await this.rows(CHANNEL_AVATARS_SQL.put, [tenant.workspaceId, channelId, avatar.contentType, avatar.bytes, avatar.etag], on)).length > 0;
  }

  async clear(tenant: Tenant, channelId: string, on?: Executor): Promise<void> {
    await this.rows(CHANNEL_AVATARS_SQL.clear, [tenant.workspaceId, channelId], on);
  }

  async find(tenant: Tenant, channelId: string): Promise<ChannelAvatar | undefined> {
    const row = await this.one<{ content_type: string; bytes: Buffer; etag: string; updated_at: Date }>(CHANNEL_AVATARS_SQL.find, [tenant.workspaceId, channelId]);
    return row && { contentType: row.content_type, bytes: row.bytes, etag: row.etag, updatedAt: row.updated_at };
  }
}
