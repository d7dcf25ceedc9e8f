import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a post tells only one network (`posts.network_options`, keyed by
 * network: a YouTube title, a TikTok privacy, a Pinterest board, a Business
 * Profile event), and what a channel gives every post to it unless the post
 * says otherwise (`channels.network_options`: a Pinterest channel's board).
 * Shapes in each network's folder (`<n>.options.ts`).
 */
export class NetworkOptions1765248000000 implements MigrationInterface {
  name = 'NetworkOptions1765248000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE posts ADD COLUMN network_options jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await queryRunner.query(`ALTER TABLE channels ADD COLUMN network_options jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE channels DROP COLUMN network_options`);
    await queryRunner.query(`ALTER TABLE posts DROP COLUMN network_options`);
  }
}
