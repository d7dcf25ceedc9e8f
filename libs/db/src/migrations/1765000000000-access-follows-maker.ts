import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access that ends with the person who gave it (PRODUCT.md section 15).
 * Each API key records its maker (`made_by_kind`/`made_by_id`: a person,
 * another key, or the operator) and the person it answers to
 * (`maker_user_id`: the person who made it, or the person behind the key
 * that made it); each invitation records that person too. Removing a
 * member revokes the keys and pending invitations that answer to them;
 * lowering their role revokes those that grant more than the new role.
 * Keys made before this have no maker (null) and keep working as they did;
 * invitations made by a person are given that person (they were recorded
 * as `invited_by`), the others none.
 *
 * A connect flow records the session that started it (a person's flow is
 * finished only by that browser), and a workspace may allow origins, besides
 * the web app's own, that a flow may send the browser back to.
 * Actors are kept by kind and id without a foreign key, as elsewhere.
 */
export class AccessFollowsMaker1765000000000 implements MigrationInterface {
  name = 'AccessFollowsMaker1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE api_keys
        ADD COLUMN made_by_kind varchar(16) CHECK (made_by_kind IN ('user', 'api_key', 'operator')),
        ADD COLUMN made_by_id uuid,
        ADD COLUMN maker_user_id uuid`);
    await queryRunner.query(`CREATE INDEX api_keys_maker_idx ON api_keys (workspace_id, maker_user_id) WHERE revoked_at IS NULL AND maker_user_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE invitations ADD COLUMN maker_user_id uuid`);
    await queryRunner.query(`UPDATE invitations SET maker_user_id = invited_by_id WHERE invited_by_kind = 'user'`);
    await queryRunner.query(
      `CREATE INDEX invitations_maker_idx ON invitations (workspace_id, maker_user_id) WHERE accepted_at IS NULL AND revoked_at IS NULL AND maker_user_id IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE oauth_flows ADD COLUMN started_session_id uuid`);
    await queryRunner.query(`ALTER TABLE workspaces ADD COLUMN allowed_redirect_origins text[] NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE workspaces DROP COLUMN allowed_redirect_origins`);
    await queryRunner.query(`ALTER TABLE oauth_flows DROP COLUMN started_session_id`);
    await queryRunner.query(`DROP INDEX invitations_maker_idx`);
    await queryRunner.query(`ALTER TABLE invitations DROP COLUMN maker_user_id`);
    await queryRunner.query(`DROP INDEX api_keys_maker_idx`);
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN made_by_kind, DROP COLUMN made_by_id, DROP COLUMN maker_user_id`);
  }
}
