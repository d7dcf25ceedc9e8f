import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People: `users` (one per email, whatever its case, with a scrypt password
 * hash), `members` (a person's role in a workspace), `sessions` (a signed-in
 * browser: only the SHA-256 of its cookie is kept, with its CSRF token, its
 * last use and its absolute end), and `sign_in_failures` (recent wrong
 * passwords per account and per client address, for throttling; keyed by a
 * hash, so an unknown email is never stored as written).
 */
export class People1764700000000 implements MigrationInterface {
  name = 'People1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(320) NOT NULL,
        name varchar(200) NOT NULL DEFAULT '',
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        password_changed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_uq ON users (lower(email))`);
    await queryRunner.query(`
      CREATE TABLE members (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role varchar(16) NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'contributor', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX members_user_idx ON members (user_id)`);
    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        last_seen_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_live_idx ON sessions (user_id) WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE sign_in_failures (
        kind varchar(8) NOT NULL CHECK (kind IN ('account', 'address')),
        subject_hash char(64) NOT NULL,
        failures int NOT NULL,
        last_failure_at timestamptz NOT NULL,
        blocked_until timestamptz,
        PRIMARY KEY (kind, subject_hash)
      )`);
    await queryRunner.query(`CREATE INDEX sign_in_failures_last_idx ON sign_in_failures (last_failure_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sign_in_failures`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP TABLE members`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
