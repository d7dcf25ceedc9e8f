import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channels people can tell apart, and a first run that works:
 * - a channel's name and avatar as its network gives them (`display_name`,
 *   `channel_avatars`: the normalised image, a few KB, kept beside the row
 *   it belongs to and gone with it), and when they were last read;
 * - a connected account is one channel per network account id (and host),
 *   not per handle: handles change, and a LinkedIn or Facebook name is no
 *   unique key; older rows without an account id keep the handle rule;
 * - Mastodon handles as the network writes them, `@name@instance`;
 * - whether a channel's posting schedule is still the default one;
 * - the workspace's zone, which new channels take;
 * - saved groups of channels.
 */
export class ChannelIdentity1765231400000 implements MigrationInterface {
  name = 'ChannelIdentity1765231400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE workspaces ADD COLUMN timezone varchar(64) NOT NULL DEFAULT 'UTC'`);
    await queryRunner.query(`
      ALTER TABLE channels
        ADD COLUMN display_name varchar(300),
        ADD COLUMN avatar_etag varchar(64),
        ADD COLUMN profile_refreshed_at timestamptz,
        ADD COLUMN schedule_is_default boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE channel_avatars (
        channel_id uuid PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        content_type varchar(40) NOT NULL,
        bytes bytea NOT NULL,
        etag varchar(64) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`UPDATE channels SET handle = '@' || handle WHERE network = 'mastodon' AND handle NOT LIKE '@%'`);
    await queryRunner.query(`DROP INDEX channels_account_uq`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX channels_network_account_uq ON channels (workspace_id, network, COALESCE(host, ''), account_id) WHERE deleted_at IS NULL AND account_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX channels_account_uq ON channels (workspace_id, network, lower(handle)) WHERE deleted_at IS NULL AND account_id IS NULL`);
    await queryRunner.query(`
      CREATE TABLE channel_groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX channel_groups_name_uq ON channel_groups (workspace_id, lower(name))`);
    await queryRunner.query(`
      CREATE TABLE channel_group_members (
        group_id uuid NOT NULL REFERENCES channel_groups(id) ON DELETE CASCADE,
        channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        position int NOT NULL,
        PRIMARY KEY (group_id, channel_id)
      )`);
    await queryRunner.query(`CREATE INDEX channel_group_members_channel_idx ON channel_group_members (channel_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_group_members`);
    await queryRunner.query(`DROP TABLE channel_groups`);
    await queryRunner.query(`DROP INDEX channels_account_uq`);
    await queryRunner.query(`DROP INDEX channels_network_account_uq`);
    await queryRunner.query(`UPDATE channels SET handle = substr(handle, 2) WHERE network = 'mastodon' AND handle LIKE '@%'`);
    await queryRunner.query(`CREATE UNIQUE INDEX channels_account_uq ON channels (workspace_id, network, lower(handle)) WHERE deleted_at IS NULL`);
    await queryRunner.query(`DROP TABLE channel_avatars`);
    await queryRunner.query(`ALTER TABLE channels DROP COLUMN display_name, DROP COLUMN avatar_etag, DROP COLUMN profile_refreshed_at, DROP COLUMN schedule_is_default`);
    await queryRunner.query(`ALTER TABLE workspaces DROP COLUMN timezone`);
  }
}
