import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deliveries_post_idx (post_id)` duplicated what the unique index on
 * (post_id, channel_id) already serves: every lookup by post uses either.
 * Each delivery written or moved to another status paid for both.
 */
export class DropRedundantDeliveryIndex1764200000000 implements MigrationInterface {
  name = 'DropRedundantDeliveryIndex1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS deliveries_post_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS deliveries_post_idx ON deliveries (post_id)`);
  }
}
