import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CSV imports (`POST /v1/posts/import`): each row made into a post is kept
 * by a hash of its cells, per workspace, so the same file (or the same row)
 * sent again makes nothing twice; the key is written in the transaction
 * that writes the post.
 */
export class PostImportRows1765243500000 implements MigrationInterface {
  name = 'PostImportRows1765243500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE post_import_rows (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        row_hash char(64) NOT NULL,
        post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, row_hash)
      )`);
    await queryRunner.query(`CREATE INDEX post_import_rows_post_idx ON post_import_rows (post_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE post_import_rows`);
  }
}
