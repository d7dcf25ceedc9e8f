import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deliveries.claim_token`: a fresh value at every claim and every takeover
 * of an ended one (a fencing token). A worker's writes to the delivery it
 * claimed (its outcome, a new lease, giving the claim back, the network's
 * handle on the post) carry it and change nothing once another worker has
 * taken the claim over: a worker that stalled past its lease (Redis failing
 * over under it) can no longer put a delivery back to `scheduled` while the
 * worker that recovered it is publishing it, which published it twice.
 */
export class DeliveryClaimToken1765231000000 implements MigrationInterface {
  name = 'DeliveryClaimToken1765231000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN claim_token uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN claim_token`);
  }
}
