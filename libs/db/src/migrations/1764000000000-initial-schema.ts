import { MigrationInterface, QueryRunner } from 'typeorm';

/** Workspaces, keys, channels, posts, deliveries, attempts and idempotency records. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      );

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        prefix varchar(32) NOT NULL,
        key_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id, created_at);

      CREATE TABLE channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        network varchar(20) NOT NULL,
        handle varchar(200) NOT NULL,
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        posting_schedule jsonb NOT NULL DEFAULT '{"slots": []}',
        status varchar(16) NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'paused', 'disconnected')),
        access_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        deleted_at timestamptz
      );
      CREATE UNIQUE INDEX channels_account_uq ON channels (workspace_id, network, lower(handle)) WHERE deleted_at IS NULL;
      CREATE INDEX channels_workspace_idx ON channels (workspace_id, created_at DESC, id DESC);

      CREATE TABLE posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        text text NOT NULL,
        media jsonb NOT NULL DEFAULT '[]',
        variants jsonb NOT NULL DEFAULT '{}',
        -- Timestamps keep millisecond precision so a list cursor (a JS Date) matches them exactly.
        status varchar(24) NOT NULL,
        request_id varchar(64),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      );
      CREATE INDEX posts_workspace_idx ON posts (workspace_id, created_at DESC, id DESC);
      CREATE INDEX posts_workspace_status_idx ON posts (workspace_id, status, created_at DESC, id DESC);

      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        channel_id uuid NOT NULL REFERENCES channels(id),
        status varchar(16) NOT NULL
          CHECK (status IN ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
        schedule_mode varchar(8) NOT NULL CHECK (schedule_mode IN ('at', 'queue', 'next', 'now', 'draft')),
        scheduled_at timestamptz,
        due_at timestamptz,
        claimed_at timestamptz,
        lease_expires_at timestamptz,
        attempt_count int NOT NULL DEFAULT 0,
        published_at timestamptz,
        external_id varchar(255),
        external_url varchar(2048),
        last_error_code varchar(64),
        last_error_message text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (post_id, channel_id)
      );
      -- The reconciler's sweep: work that is due soon, or claims whose lease ran out.
      CREATE INDEX deliveries_due_idx ON deliveries (due_at) WHERE status = 'scheduled';
      CREATE INDEX deliveries_lease_idx ON deliveries (lease_expires_at) WHERE status = 'publishing';
      CREATE INDEX deliveries_channel_idx ON deliveries (channel_id, status, scheduled_at);
      CREATE INDEX deliveries_post_idx ON deliveries (post_id);

      CREATE TABLE attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        number int NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        outcome varchar(20) NOT NULL,
        error_code varchar(64),
        error_message text,
        http_status int,
        latency_ms int NOT NULL
      );
      CREATE INDEX attempts_delivery_idx ON attempts (delivery_id, started_at);

      CREATE TABLE idempotency_records (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        key varchar(255) NOT NULL,
        request_fingerprint char(64) NOT NULL,
        response_status int NOT NULL, -- 0 while the first request is in progress
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (workspace_id, key)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE idempotency_records;
      DROP TABLE attempts;
      DROP TABLE deliveries;
      DROP TABLE posts;
      DROP TABLE channels;
      DROP TABLE api_keys;
      DROP TABLE workspaces;
    `);
  }
}
