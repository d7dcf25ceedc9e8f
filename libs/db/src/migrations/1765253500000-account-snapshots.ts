import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account figures (docs/analytics.md#account-figures):
 * - `account_snapshots`: a channel's followers (and what else its network
 *   gives: following, posts, under `extra` the rest) at one reading, one
 *   row per channel per reading (history, never overwritten); read by
 *   channel and time (its history) and by workspace and time (the page).
 * - `account_schedules`: one row per channel followed: when its next
 *   reading is due (`ANALYTICS_ACCOUNT_INTERVAL` after the last, a day;
 *   the first an hour after the channel was added)
 *   and the worker's lease on it (also how long a refused read waits).
 */
export class AccountSnapshots1765253500000 implements MigrationInterface {
  name = 'AccountSnapshots1765253500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE account_snapshots (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        taken_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        followers bigint,
        following bigint,
        posts bigint,
        extra jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX account_snapshots_channel_idx ON account_snapshots (channel_id, taken_at DESC)`);
    await queryRunner.query(`CREATE INDEX account_snapshots_workspace_idx ON account_snapshots (workspace_id, taken_at)`);
    await queryRunner.query(`
      CREATE TABLE account_schedules (
        channel_id uuid PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        next_at timestamptz NOT NULL,
        lease_until timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX account_schedules_due_idx ON account_schedules (next_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE account_schedules`);
    await queryRunner.query(`DROP TABLE account_snapshots`);
  }
}
