import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Taking a published post back down (`POST /v1/posts/:id/unpublish`),
 * durable in Postgres so that it happens once and survives a lost Redis or
 * a dead worker: `unpublish_due_at` set on a published delivery says a
 * delete is wanted and when a worker should next try it (a claim moves it
 * a lease ahead, and every write of the claim is fenced on that value; the
 * reconciler gives a job to every one that is due and has none).
 * `unpublish_attempts` counts the tries, `unpublish_error_*` says why the
 * last one failed. Once every part is off the network the delivery is
 * `deleted` (at `deleted_at`); each part of a thread (and a first comment
 * that is a reply) is marked as it goes, so a retry resumes where it stopped.
 */
export class Unpublish1765246000000 implements MigrationInterface {
  name = 'Unpublish1765246000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
        ADD CONSTRAINT deliveries_status_check
          CHECK (status IN ('draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'missed', 'deleted')),
        ADD COLUMN deleted_at timestamptz,
        ADD COLUMN unpublish_due_at timestamptz,
        ADD COLUMN unpublish_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN unpublish_error_code varchar(64),
        ADD COLUMN unpublish_error_message text`);
    await queryRunner.query(`CREATE INDEX deliveries_unpublish_due_idx ON deliveries (unpublish_due_at) WHERE unpublish_due_at IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE delivery_parts ADD COLUMN deleted_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A deleted delivery was published once: it goes back to that (the network no longer has it).
    await queryRunner.query(`UPDATE deliveries SET status = 'published' WHERE status = 'deleted'`);
    await queryRunner.query(`UPDATE posts SET status = 'published' WHERE status = 'deleted'`);
    await queryRunner.query(`ALTER TABLE delivery_parts DROP COLUMN deleted_at`);
    await queryRunner.query(`DROP INDEX deliveries_unpublish_due_idx`);
    await queryRunner.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
        ADD CONSTRAINT deliveries_status_check
          CHECK (status IN ('draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'missed')),
        DROP COLUMN deleted_at, DROP COLUMN unpublish_due_at, DROP COLUMN unpublish_attempts, DROP COLUMN unpublish_error_code, DROP COLUMN unpublish_error_message`);
  }
}
