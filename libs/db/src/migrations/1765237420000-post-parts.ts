import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room for threads and first comments (PRODUCT.md section 10): a post's
 * `parts` (`[{text, media}]`, the first one also kept as `text` and
 * `media`; null for a post of one part, as every post before this) and its
 * `first_comment` (`{text}`, or null). Nothing publishes them yet.
 */
export class PostParts1765237420000 implements MigrationInterface {
  name = 'PostParts1765237420000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE posts ADD COLUMN parts jsonb, ADD COLUMN first_comment jsonb`);
    await queryRunner.query(`ALTER TABLE posts ADD CONSTRAINT posts_parts_check CHECK (parts IS NULL OR (jsonb_typeof(parts) = 'array' AND jsonb_array_length(parts) >= 2))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE posts DROP COLUMN parts, DROP COLUMN first_comment`);
  }
}
