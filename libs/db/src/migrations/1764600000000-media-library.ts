import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The media library: `media`, one row per file a workspace uploaded or
 * imported (type from its bytes, size, dimensions, duration, its stored key,
 * a thumbnail, the versions derived to fit networks), found by content hash
 * so the same bytes are one row per workspace and one file in the store.
 * `posts.media` items now name a `mediaId`; a GIN index finds the posts that
 * use a file. `deliveries.network_media`: the networks' ids of files a
 * delivery uploaded, reused by its retries.
 */
export class MediaLibrary1764600000000 implements MigrationInterface {
  name = 'MediaLibrary1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE media (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        sha256 char(64) NOT NULL,
        storage_key text NOT NULL,
        mime_type varchar(64) NOT NULL,
        kind varchar(8) NOT NULL CHECK (kind IN ('image', 'video')),
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        width int,
        height int,
        duration_ms int,
        animated boolean NOT NULL DEFAULT false,
        orientation smallint,
        filename varchar(255),
        source_url text,
        thumbnail jsonb,
        derivatives jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        deleted_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX media_workspace_sha256 ON media (workspace_id, sha256) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX media_workspace_page ON media (workspace_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX media_sha256 ON media (sha256)`);
    await queryRunner.query(`CREATE INDEX media_deleted ON media (deleted_at) WHERE deleted_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX posts_media ON posts USING gin (media jsonb_path_ops) WHERE media <> '[]'::jsonb`);
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN network_media jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN network_media`);
    await queryRunner.query(`DROP INDEX posts_media`);
    await queryRunner.query(`DROP TABLE media`);
  }
}
