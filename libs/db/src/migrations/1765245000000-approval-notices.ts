import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `approval_notices`: a post submitted for approval, to be emailed to the
 * workspace's approvers. Written in the transaction of the submission (an
 * outbox: a crash cannot lose it), taken once by whichever API instance
 * sweeps first (`sent_at`), and only where email goes out at all.
 */
export class ApprovalNotices1765245000000 implements MigrationInterface {
  name = 'ApprovalNotices1765245000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approval_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        submitted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX approval_notices_unsent_idx ON approval_notices (created_at) WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE INDEX approval_notices_post_idx ON approval_notices (post_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE approval_notices`);
  }
}
