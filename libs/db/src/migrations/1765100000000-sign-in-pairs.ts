import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in attempts are also counted per pair of account and client address
 * (`pair`): one address guessing at one account is stopped first, without
 * locking that account for everyone else or that address (an office behind
 * one proxy) out of every account.
 */
export class SignInPairs1765100000000 implements MigrationInterface {
  name = 'SignInPairs1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sign_in_failures DROP CONSTRAINT sign_in_failures_kind_check`);
    await queryRunner.query(`ALTER TABLE sign_in_failures ADD CONSTRAINT sign_in_failures_kind_check CHECK (kind IN ('account', 'address', 'pair', 'reset_account', 'reset_address'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM sign_in_failures WHERE kind = 'pair'`);
    await queryRunner.query(`ALTER TABLE sign_in_failures DROP CONSTRAINT sign_in_failures_kind_check`);
    await queryRunner.query(`ALTER TABLE sign_in_failures ADD CONSTRAINT sign_in_failures_kind_check CHECK (kind IN ('account', 'address', 'reset_account', 'reset_address'))`);
  }
}
