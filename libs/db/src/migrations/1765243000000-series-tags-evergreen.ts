import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Content that keeps coming (PRODUCT.md section 13), part A:
 * - `series`: a recurring post (an RRULE in a zone); the worker makes its
 *   occurrences ahead as ordinary posts (`posts.series_id`,
 *   `posts.occurrence_at`), one per series and occurrence time however
 *   often or concurrently it expands (`posts_series_occurrence_key`).
 * - `posts.tags` (names, any case kept, filtered by) and the workspace's
 *   `tags` (a name and a colour, unique per workspace in any case).
 * - Evergreen: `posts.evergreen` marks a post a channel may recycle;
 *   `channels.evergreen_min_repeat_days` turns recycling on for a channel
 *   (null: off); a recycled copy names its original (`posts.recycled_from`);
 *   a post skipped on a channel says why (`posts.evergreen_skips`, by channel).
 */
export class SeriesTagsEvergreen1765243000000 implements MigrationInterface {
  name = 'SeriesTagsEvergreen1765243000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE series (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        text text NOT NULL,
        variants jsonb NOT NULL DEFAULT '{}',
        channel_ids uuid[] NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        evergreen boolean NOT NULL DEFAULT false,
        rule varchar(500) NOT NULL,
        timezone varchar(64) NOT NULL,
        start_at timestamptz NOT NULL,
        until timestamptz,
        count integer,
        status varchar(8) NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
        expanded_until timestamptz NOT NULL,
        created_by_kind varchar(16),
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await queryRunner.query(`CREATE INDEX series_workspace_idx ON series (workspace_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX series_expand_idx ON series (expanded_until) WHERE status = 'active'`);
    await queryRunner.query(`
      ALTER TABLE posts
        ADD COLUMN series_id uuid REFERENCES series(id) ON DELETE SET NULL,
        ADD COLUMN occurrence_at timestamptz,
        ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN evergreen boolean NOT NULL DEFAULT false,
        ADD COLUMN recycled_from uuid REFERENCES posts(id) ON DELETE SET NULL,
        ADD COLUMN evergreen_skips jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE UNIQUE INDEX posts_series_occurrence_key ON posts (series_id, occurrence_at)`);
    await queryRunner.query(`CREATE INDEX posts_tags_idx ON posts USING gin (tags)`);
    await queryRunner.query(`CREATE INDEX posts_recycled_from_idx ON posts (recycled_from) WHERE recycled_from IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE tags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name varchar(50) NOT NULL,
        colour varchar(7) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX tags_workspace_name_key ON tags (workspace_id, lower(name))`);
    await queryRunner.query(`ALTER TABLE channels ADD COLUMN evergreen_min_repeat_days integer CHECK (evergreen_min_repeat_days BETWEEN 1 AND 3650)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE channels DROP COLUMN evergreen_min_repeat_days`);
    await queryRunner.query(`DROP TABLE tags`);
    await queryRunner.query(`ALTER TABLE posts DROP COLUMN evergreen_skips, DROP COLUMN recycled_from, DROP COLUMN evergreen, DROP COLUMN tags, DROP COLUMN occurrence_at, DROP COLUMN series_id`);
    await queryRunner.query(`DROP TABLE series`);
  }
}
