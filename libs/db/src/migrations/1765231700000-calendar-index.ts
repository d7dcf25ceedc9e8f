import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /v1/calendar` reads a workspace's deliveries by scheduled time; no
 * index served that (deliveries_channel_idx leads with the channel), so a
 * month was a scan of every delivery of the workspace.
 */
export class CalendarIndex1765231700000 implements MigrationInterface {
  name = 'CalendarIndex1765231700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS deliveries_calendar_idx ON deliveries (workspace_id, scheduled_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS deliveries_calendar_idx`);
  }
}
