import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Teams: `invitations` (a single-use link to join a workspace with a role;
 * only the SHA-256 of its token is kept), `password_resets` (a single-use,
 * expiring token sent by email; its SHA-256 only), `audit_events` (who did
 * what in a workspace), a role on every API key (the keys made before this
 * keep acting as `admin`, as they did; new ones are `editor` unless told),
 * who started each connect flow (so the channel its callback connects is
 * recorded as theirs), and password-reset requests counted beside sign-in
 * failures for throttling.
 */
export class MembersInvitationsAudit1764800000000 implements MigrationInterface {
  name = 'MembersInvitationsAudit1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN role varchar(16) NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'editor', 'contributor', 'viewer'))`);
    await queryRunner.query(`ALTER TABLE api_keys ALTER COLUMN role DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE oauth_flows ADD COLUMN started_by_kind varchar(16), ADD COLUMN started_by_id uuid`);
    await queryRunner.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        email varchar(320) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'contributor', 'viewer')),
        token_hash char(64) NOT NULL UNIQUE,
        invited_by_kind varchar(16) NOT NULL,
        invited_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX invitations_pending_idx ON invitations (workspace_id, created_at DESC, id DESC) WHERE accepted_at IS NULL AND revoked_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id) WHERE used_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        actor_kind varchar(16) NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'operator', 'system')),
        actor_id uuid,
        action varchar(64) NOT NULL,
        subject_type varchar(32) NOT NULL,
        subject_id varchar(200) NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        ip varchar(64),
        at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_page_idx ON audit_events (workspace_id, at DESC, id DESC)`);
    await queryRunner.query(`ALTER TABLE sign_in_failures ALTER COLUMN kind TYPE varchar(16)`);
    await queryRunner.query(`ALTER TABLE sign_in_failures DROP CONSTRAINT sign_in_failures_kind_check`);
    await queryRunner.query(`ALTER TABLE sign_in_failures ADD CONSTRAINT sign_in_failures_kind_check CHECK (kind IN ('account', 'address', 'reset_account', 'reset_address'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM sign_in_failures WHERE kind NOT IN ('account', 'address')`);
    await queryRunner.query(`ALTER TABLE sign_in_failures DROP CONSTRAINT sign_in_failures_kind_check`);
    await queryRunner.query(`ALTER TABLE sign_in_failures ADD CONSTRAINT sign_in_failures_kind_check CHECK (kind IN ('account', 'address'))`);
    await queryRunner.query(`ALTER TABLE sign_in_failures ALTER COLUMN kind TYPE varchar(8)`);
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP TABLE password_resets`);
    await queryRunner.query(`DROP TABLE invitations`);
    await queryRunner.query(`ALTER TABLE oauth_flows DROP COLUMN started_by_kind, DROP COLUMN started_by_id`);
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN role`);
  }
}
