import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deliveries.waiting_for`: why a scheduled delivery is waiting past its
 * time, when it is (its network's host is down, its rate-limit budget is
 * spent): `{reason, host?, since?, until?, ticket?}`. Cleared once it is
 * published or fails. `channels.stale_after_seconds`: how late a delivery
 * of the channel may still go out; later, it is `missed` (null: always),
 * a delivery status the check constraint now allows.
 */
export class DeliveryWaitingFor1764500000000 implements MigrationInterface {
  name = 'DeliveryWaitingFor1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN waiting_for jsonb`);
    await queryRunner.query(`ALTER TABLE channels ADD COLUMN stale_after_seconds int`);
    await queryRunner.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
        ADD CONSTRAINT deliveries_status_check CHECK (status IN ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'missed'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE deliveries SET status = 'failed' WHERE status = 'missed'`);
    await queryRunner.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
        ADD CONSTRAINT deliveries_status_check CHECK (status IN ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled'))`);
    await queryRunner.query(`ALTER TABLE channels DROP COLUMN stale_after_seconds`);
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN waiting_for`);
  }
}
