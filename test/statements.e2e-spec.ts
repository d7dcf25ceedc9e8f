/**
 * The prepared-statement helper against a real Postgres: it must behave as
 * `manager.query` does (inside the caller's transaction when there is one,
 * rows for UPDATE ... RETURNING, QueryFailedError with the driver's code)
 * while Postgres plans each statement once per connection.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { Statement, runStatement } from '../libs/db/src';
import { POSTGRES_ADMIN_URL, TEMPLATE_DATABASE, databaseUrl } from './support/env';

describe('runStatement', () => {
  const database = `herald_e2e_statements_${randomBytes(3).toString('hex')}`;
  let dataSource: DataSource;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${TEMPLATE_DATABASE}"`);
    dataSource = await new DataSource({ type: 'postgres', url: databaseUrl(database), extra: { max: 1 }, applicationName: 'statements-test' }).initialize();
    await dataSource.query(`INSERT INTO workspaces (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'one')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  const rename = new Statement(`UPDATE workspaces SET name = $2 WHERE id = $1 RETURNING name`);
  const read = new Statement(`SELECT name FROM workspaces WHERE id = $1`);
  const id = '00000000-0000-4000-8000-000000000001';

  it('names a statement after its text: the same text shares a name, another text never does', () => {
    expect(new Statement(read.text).name).toBe(read.name);
    expect(rename.name).not.toBe(read.name);
    expect(read.name).toMatch(/^herald_[0-9a-f]{24}$/);
  });

  it('answers the rows of an UPDATE ... RETURNING, and is prepared once on the connection', async () => {
    expect(await runStatement(dataSource.manager, rename, [id, 'two'])).toEqual([{ name: 'two' }]);
    expect(await runStatement(dataSource.manager, read, [id])).toEqual([{ name: 'two' }]);
    // One pooled connection: the second call of a statement reuses its plan there.
    await runStatement(dataSource.manager, read, [id]);
    const prepared: { name: string }[] = await dataSource.query(`SELECT name FROM pg_prepared_statements ORDER BY name`);
    expect(prepared.map((row) => row.name).sort()).toEqual([read.name, rename.name].sort());
  });

  it('runs inside the caller’s transaction: rolled back with it', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await runStatement(manager, rename, [id, 'inside']);
        expect(await runStatement(manager, read, [id])).toEqual([{ name: 'inside' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await runStatement(dataSource.manager, read, [id])).toEqual([{ name: 'two' }]);
  });

  it('fails as manager.query fails: a QueryFailedError carrying the driver’s code', async () => {
    const insert = new Statement(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`);
    const error = await runStatement(dataSource.manager, insert, [id, 'duplicate']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as { code?: string }).code).toBe('23505');
  });
});
