import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channels connected to the real networks: what connecting found (the
 * account's network id, its own host for a Mastodon instance or a Bluesky
 * PDS, details such as an instance's limits), the refresh token and when the
 * access token lapses (both encrypted tokens like the access token), and
 * when a person was last warned that it will lapse. The OAuth flows in
 * progress (single-use, ten minutes, their PKCE verifier encrypted), and the
 * app Herald registered on each Mastodon instance.
 *
 * Channels from before keep working: without a host they are reached at
 * the network's (or the mock's) default, without an account id by handle.
 */
export class ChannelConnections1764400000000 implements MigrationInterface {
  name = 'ChannelConnections1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE channels
        ADD COLUMN account_id varchar(255),
        ADD COLUMN host varchar(2048),
        ADD COLUMN refresh_token text,
        ADD COLUMN token_expires_at timestamptz,
        ADD COLUMN expiry_warned_at timestamptz,
        ADD COLUMN details jsonb NOT NULL DEFAULT '{}',
        -- What every post to the channel gets unless it says otherwise (Mastodon: visibility, language).
        ADD COLUMN post_defaults jsonb NOT NULL DEFAULT '{}';
      -- The token sweep: channels whose access token lapses soon.
      CREATE INDEX channels_token_expiry_idx ON channels (token_expires_at) WHERE deleted_at IS NULL AND status = 'active';

      CREATE TABLE oauth_flows (
        state varchar(128) PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        network varchar(20) NOT NULL,
        instance_url varchar(2048),
        redirect_uri varchar(2048) NOT NULL,
        code_verifier text NOT NULL, -- encrypted
        -- Set when the person has several accounts to pick from (Facebook Pages, Instagram accounts): encrypted JSON.
        pending_accounts text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      );
      CREATE INDEX oauth_flows_expiry_idx ON oauth_flows (expires_at);

      CREATE TABLE mastodon_apps (
        instance_url varchar(2048) PRIMARY KEY,
        client_id varchar(512) NOT NULL,
        client_secret text NOT NULL, -- encrypted
        redirect_uri varchar(2048) NOT NULL,
        pkce boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE mastodon_apps;
      DROP TABLE oauth_flows;
      DROP INDEX channels_token_expiry_idx;
      ALTER TABLE channels DROP COLUMN account_id, DROP COLUMN host, DROP COLUMN refresh_token, DROP COLUMN token_expires_at,
        DROP COLUMN expiry_warned_at, DROP COLUMN details, DROP COLUMN post_defaults;
    `);
  }
}
