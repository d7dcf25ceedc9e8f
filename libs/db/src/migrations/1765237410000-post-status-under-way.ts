import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A post out on one channel and still scheduled on another is now
 * `publishing` (under way), not `scheduled` (see `derivePostStatus`): the
 * stored statuses of such posts are derived again. Down: back to
 * `scheduled`, as the old rule had it.
 */
export class PostStatusUnderWay1765237410000 implements MigrationInterface {
  name = 'PostStatusUnderWay1765237410000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE posts p SET status = 'publishing'
       WHERE p.status = 'scheduled'
         AND EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.status = 'published')
         AND EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.status = 'scheduled')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE posts p SET status = 'scheduled'
       WHERE p.status = 'publishing'
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.status = 'publishing')
         AND EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.status = 'scheduled')`);
  }
}
