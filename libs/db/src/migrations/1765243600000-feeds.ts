import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feeds (`/v1/feeds`): an RSS, Atom or JSON feed a workspace follows for a
 * set of channels, with what its last poll learnt (ETag, Last-Modified,
 * failures, the error) and when it is polled next; and each item seen, once
 * per feed and guid (the primary key), with the post made of it.
 */
export class Feeds1765243600000 implements MigrationInterface {
  name = 'Feeds1765243600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE feeds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        url varchar(2048) NOT NULL,
        channel_ids uuid[] NOT NULL,
        mode varchar(8) NOT NULL CHECK (mode IN ('queue', 'draft', 'now')),
        template text NOT NULL,
        interval_minutes int NOT NULL CHECK (interval_minutes >= 1),
        skip_existing boolean NOT NULL DEFAULT false,
        status varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'broken')),
        maker_kind varchar(8) NOT NULL,
        maker_id uuid NOT NULL,
        maker_role varchar(16) NOT NULL,
        etag text,
        last_modified text,
        next_poll_at timestamptz NOT NULL DEFAULT now(),
        last_polled_at timestamptz,
        last_changed_at timestamptz,
        failures int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX feeds_workspace_idx ON feeds (workspace_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX feeds_due_idx ON feeds (next_poll_at) WHERE status = 'active'`);
    await queryRunner.query(`
      CREATE TABLE feed_items (
        feed_id uuid NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        guid varchar(500) NOT NULL,
        title text NOT NULL,
        link text NOT NULL,
        post_id uuid REFERENCES posts(id) ON DELETE SET NULL,
        problem text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed_id, guid)
      )`);
    await queryRunner.query(`CREATE INDEX feed_items_recent_idx ON feed_items (feed_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX feed_items_post_idx ON feed_items (post_id) WHERE post_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE feed_items`);
    await queryRunner.query(`DROP TABLE feeds`);
  }
}
