import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics (docs/analytics.md):
 * - `metric_snapshots`: what a published delivery had earned at one
 *   moment, one row per snapshot (history, never overwritten); the shared
 *   figures as columns (null: the network does not report it), the
 *   network's own under `extra`. Read by delivery (its history) and by
 *   workspace and time (the aggregates); BRIN on `taken_at` keeps the
 *   time index small at millions of rows (rows arrive in time order).
 * - `metric_schedules`: one row per published delivery being followed:
 *   how many scheduled snapshots it has had (`step`), when the next is due,
 *   a refresh asked for, the worker's lease on it, and why it ended
 *   (`done`, or `deleted` when the network says the post is gone).
 * - `deliveries_published_idx`: the worker finds newly published
 *   deliveries to follow without reading the others.
 */
export class Analytics1765242000000 implements MigrationInterface {
  name = 'Analytics1765242000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE metric_snapshots (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        delivery_id uuid NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        post_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        taken_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        kind varchar(12) NOT NULL CHECK (kind IN ('scheduled', 'refresh')),
        impressions bigint, likes bigint, reposts bigint, replies bigint, quotes bigint,
        bookmarks bigint, clicks bigint, saves bigint, shares bigint, video_views bigint,
        engagements bigint NOT NULL,
        extra jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX metric_snapshots_delivery_idx ON metric_snapshots (delivery_id, taken_at DESC)`);
    await queryRunner.query(`CREATE INDEX metric_snapshots_workspace_idx ON metric_snapshots (workspace_id, channel_id)`);
    await queryRunner.query(`CREATE INDEX metric_snapshots_taken_brin ON metric_snapshots USING brin (taken_at)`);
    await queryRunner.query(`
      CREATE TABLE metric_schedules (
        delivery_id uuid PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        channel_id uuid NOT NULL,
        published_at timestamptz NOT NULL,
        step int NOT NULL DEFAULT 0,
        next_at timestamptz,
        refresh_at timestamptz,
        refreshed_at timestamptz,
        lease_until timestamptz,
        last_taken_at timestamptz,
        ended_at timestamptz,
        ended_reason varchar(16) CHECK (ended_reason IN ('done', 'deleted'))
      )`);
    await queryRunner.query(`CREATE INDEX metric_schedules_due_idx ON metric_schedules (LEAST(next_at, refresh_at)) WHERE ended_at IS NULL`);
    await queryRunner.query(`CREATE INDEX metric_schedules_workspace_idx ON metric_schedules (workspace_id)`);
    await queryRunner.query(`CREATE INDEX deliveries_published_idx ON deliveries (published_at) WHERE status = 'published'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX deliveries_published_idx`);
    await queryRunner.query(`DROP TABLE metric_schedules`);
    await queryRunner.query(`DROP TABLE metric_snapshots`);
  }
}
