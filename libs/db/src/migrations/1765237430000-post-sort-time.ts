import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A post's time, for listing posts by when they go out (`GET /v1/posts`):
 * `posts.sort_at`, its earliest delivery's `scheduled_at` (null when none
 * has one), so a page is an index scan, not a read of every post's
 * deliveries. A new post's is written with it; a trigger keeps it when a
 * delivery's time changes (an edit, an approval, a queue reordered or
 * shuffled, a `next` moving the queue down), whichever code does it. Only
 * the API changes delivery times; the worker's hot path never does, so it
 * never fires there.
 */
export class PostSortTime1765237430000 implements MigrationInterface {
  name = 'PostSortTime1765237430000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE posts ADD COLUMN sort_at timestamptz`);
    await queryRunner.query(`
      UPDATE posts p SET sort_at = d.at
        FROM (SELECT post_id, min(scheduled_at) AS at FROM deliveries GROUP BY post_id) d
       WHERE d.post_id = p.id AND d.at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX posts_workspace_sort_idx ON posts (workspace_id, sort_at DESC NULLS LAST, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE FUNCTION posts_sort_at_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE posts p SET sort_at = (SELECT min(d.scheduled_at) FROM deliveries d WHERE d.post_id = NEW.post_id)
         WHERE p.id = NEW.post_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER deliveries_sort_at AFTER UPDATE OF scheduled_at ON deliveries
        FOR EACH ROW WHEN (OLD.scheduled_at IS DISTINCT FROM NEW.scheduled_at) EXECUTE FUNCTION posts_sort_at_follow()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER deliveries_sort_at ON deliveries`);
    await queryRunner.query(`DROP FUNCTION posts_sort_at_follow()`);
    await queryRunner.query(`ALTER TABLE posts DROP COLUMN sort_at`);
  }
}
