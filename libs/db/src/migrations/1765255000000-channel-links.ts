import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A channel's links settings (`channels.links`: `{utm?, shorten?}`): UTM
 * parameters and short links for every post to it that does not say
 * otherwise (PRODUCT.md section 13, "Links"). `{}`: neither.
 */
export class ChannelLinks1765255000000 implements MigrationInterface {
  name = 'ChannelLinks1765255000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE channels ADD COLUMN links jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE channels DROP COLUMN links`);
  }
}
