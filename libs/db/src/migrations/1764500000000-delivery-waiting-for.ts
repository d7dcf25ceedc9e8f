import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deliveries.waiting_for`: why a scheduled delivery is waiting past its
 * time, when it is (its network's host is down, its rate-limit budget is
 * spent): `{reason, host?, since?, until?}`. Cleared once it is published or
 * fails.
 */
export class DeliveryWaitingFor1764500000000 implements MigrationInterface {
  name = 'DeliveryWaitingFor1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN waiting_for jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN waiting_for`);
  }
}
