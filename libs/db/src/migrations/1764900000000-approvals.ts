import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approvals, and who did what on posts. A delivery may now be
 * `pending_approval` (a contributor's post: it holds no slot and no job
 * until an owner, admin or editor approves it). A post keeps the schedule
 * last asked for it (`schedule`, as given: mode, instant or wall time and
 * zone), who created and last edited it (an actor: a `user` or an
 * `api_key`, by id), and the last review decision: `approved` or
 * `rejected` (with the reviewer's note), by whom and when. Actors are kept
 * by kind and id without a foreign key: a person or key that is gone still
 * says who did it.
 */
export class Approvals1764900000000 implements MigrationInterface {
  name = 'Approvals1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const actorKind = (column: string) => `ADD COLUMN ${column} varchar(8) CHECK (${column} IN ('user', 'api_key'))`;
    await queryRunner.query(`
      ALTER TABLE posts
        ADD COLUMN schedule jsonb,
        ${actorKind('created_by_kind')}, ADD COLUMN created_by_id uuid,
        ${actorKind('updated_by_kind')}, ADD COLUMN updated_by_id uuid,
        ADD COLUMN review_state varchar(10) CHECK (review_state IN ('approved', 'rejected')),
        ADD COLUMN review_note text,
        ${actorKind('reviewed_by_kind')}, ADD COLUMN reviewed_by_id uuid,
        ADD COLUMN reviewed_at timestamptz,
        ADD CONSTRAINT posts_review_check CHECK ((review_state IS NULL) = (reviewed_at IS NULL))`);
    await queryRunner.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
        ADD CONSTRAINT deliveries_status_check
          CHECK (status IN ('draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'missed'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // What awaited approval goes back to draft: never published without one.
    await queryRunner.query(`UPDATE deliveries SET status = 'draft', scheduled_at = NULL, due_at = NULL WHERE status = 'pending_approval'`);
    await queryRunner.query(`UPDATE posts SET status = 'draft' WHERE status = 'pending_approval'`);
    await queryRunner.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
        ADD CONSTRAINT deliveries_status_check CHECK (status IN ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'missed'))`);
    await queryRunner.query(`
      ALTER TABLE posts DROP CONSTRAINT posts_review_check,
        DROP COLUMN schedule, DROP COLUMN created_by_kind, DROP COLUMN created_by_id, DROP COLUMN updated_by_kind, DROP COLUMN updated_by_id,
        DROP COLUMN review_state, DROP COLUMN review_note, DROP COLUMN reviewed_by_kind, DROP COLUMN reviewed_by_id, DROP COLUMN reviewed_at`);
  }
}
