import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An API key may be limited to some of its workspace's channels
 * (`channel_ids`; null: the whole workspace). Such a key sees and acts on
 * those channels and the posts that go only to them, nothing workspace-wide
 * (docs/people.md, "Keys limited to channels"). The ids are not foreign
 * keys: a channel removed later simply matches nothing.
 */
export class KeyChannels1765247000000 implements MigrationInterface {
  name = 'KeyChannels1765247000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN channel_ids uuid[]`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN channel_ids`);
  }
}
