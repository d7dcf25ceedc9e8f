import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deliveries.network_ref`: the network's handle on a post, kept before the
 * call that publishes it (a Bluesky record key, a Threads or Instagram
 * container id), so a lookup after a crash asks for that post by it instead
 * of matching text.
 */
export class DeliveryNetworkRef1764300000000 implements MigrationInterface {
  name = 'DeliveryNetworkRef1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN network_ref varchar(512)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN network_ref`);
  }
}
