/**
 * Postgres behind PgBouncer (Debian's 1.18), as the README's Deploy section
 * promises: the e2e publish suite (test/publish.e2e-spec.ts's) passes with
 * the API and the worker on a transaction pool with
 * DATABASE_PREPARED_STATEMENTS=off and on a session pool with them on;
 * a transaction pool with them on breaks Herald's named statements; and
 * `npm run migrate` refuses a transaction pool, naming it, and migrates
 * through DATABASE_DIRECT_URL. Each PgBouncer is the test's own process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Statement, dataSourceOptions, runStatement } from '../libs/db/src';
import { POSTGRES_ADMIN_URL, databaseUrl, templateDatabase, testDatabase } from './support/env';
import { PgBouncer } from './support/pgbouncer';
import { publishingEndToEnd } from './support/publish-suite';
import { Stack } from './support/stack';

const ROOT = join(__dirname, '..');

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of this run: a copy of the migrated template, or empty. */
async function createDatabase(kind: string, migrated: boolean): Promise<string> {
  const database = testDatabase(kind);
  await admin((client) => client.query(`CREATE DATABASE "${database}"${migrated ? ` TEMPLATE "${templateDatabase()}"` : ''}`));
  return database;
}

async function dropDatabase(database: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
}

/** `npm run migrate` as an operator runs it, with `env` only (besides PATH). */
function migrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/libs/db/src/migrate.js')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('Postgres behind PgBouncer', () => {
  let transactionPool: PgBouncer;
  let sessionPool: PgBouncer;

  beforeAll(async () => {
    // Not skipped when missing: a skipped spec would let the README's claim go untested.
    if (!PgBouncer.available()) throw new Error('pgbouncer is not installed: apt-get install pgbouncer (.ci/run does)');
    [transactionPool, sessionPool] = await Promise.all([PgBouncer.start({ mode: 'transaction' }), PgBouncer.start({ mode: 'session' })]);
  });

  afterAll(async () => {
    await Promise.all([transactionPool?.stop(), sessionPool?.stop()]);
  });

  /**
   * The e2e publish suite (test/publish.e2e-spec.ts's) with the API and the
   * worker on Postgres through `pool()`, then checks that they really were
   * its clients and that no statement was refused on the way.
   */
  function publishingThrough(pool: () => PgBouncer, env: Record<string, string>): void {
    const suite = publishingEndToEnd(async () => {
      const database = await createDatabase('pgbouncer', true);
      // Migrated directly (the template), then the apps pointed at the pooler; the test's own queries stay direct.
      return Stack.start({ database, env: { DATABASE_URL: pool().url(database), ...env } });
    });

    it('went through PgBouncer: the API and the worker are its clients, and no statement or startup parameter was refused', async () => {
      const stack = suite.stack();
      const clients = await pool().admin<{ database: string }>('SHOW CLIENTS');
      expect(clients.filter((client) => client.database === stack.database).length).toBeGreaterThanOrEqual(2);
      // Fewer server connections than the apps' clients: they shared them.
      const servers = await pool().admin<{ database: string }>('SHOW SERVERS');
      expect(servers.filter((server) => server.database === stack.database).length).toBeLessThanOrEqual(5);
      expect(stack.logs()).not.toMatch(/prepared statement|unsupported startup parameter/);
      const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'published'`);
      expect(rows[0].n).toBeGreaterThan(90);
    });
  }

  describe('the e2e publish suite through a transaction pool with DATABASE_PREPARED_STATEMENTS=off', () => {
    // PgBouncer refuses the statement_timeout startup parameter: behind it the timeout belongs to the server (README).
    publishingThrough(() => transactionPool, { DATABASE_PREPARED_STATEMENTS: 'off', DATABASE_STATEMENT_TIMEOUT: '0' });
  });

  describe('the e2e publish suite through a session pool with prepared statements on', () => {
    publishingThrough(() => sessionPool, { DATABASE_PREPARED_STATEMENTS: 'on', DATABASE_STATEMENT_TIMEOUT: '0' });
  });

  it("breaks named statements through a transaction pool, and DATABASE_PREPARED_STATEMENTS=off is what mends it", async () => {
    const database = await createDatabase('pgbouncer_named', true);
    const read = new Statement(`SELECT count(*)::int AS n FROM workspaces WHERE name = $1`);
    // Eight clients on PgBouncer's five servers: some client lands on a server another prepared the statement on.
    const calls = async (preparedStatements: boolean): Promise<PromiseSettledResult<unknown>[]> => {
      const dataSource = await new DataSource(dataSourceOptions({ url: transactionPool.url(database), poolSize: 8, preparedStatements, statementTimeoutMs: 0 })).initialize();
      try {
        const settled: PromiseSettledResult<unknown>[] = [];
        for (let round = 0; round < 3; round += 1) {
          settled.push(...(await Promise.allSettled(Array.from({ length: 24 }, (_, index) => runStatement(dataSource.manager, read, [`w${index}`])))));
        }
        return settled;
      } finally {
        await dataSource.destroy();
      }
    };
    try {
      const named = await calls(true);
      const errors = named.filter((result): result is PromiseRejectedResult => result.status === 'rejected').map((result) => String(result.reason));
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error).toMatch(/prepared statement "herald_[0-9a-f]{24}" (already exists|does not exist)/);

      const unnamed = await calls(false);
      expect(unnamed.filter((result) => result.status === 'rejected')).toEqual([]);
    } finally {
      await dropDatabase(database);
    }
  });

  it('refuses to migrate through a transaction pool, naming it, and migrates through DATABASE_DIRECT_URL or a session pool', async () => {
    const database = await createDatabase('pgbouncer_migrate', false);
    const tables = async (): Promise<number> => {
      const client = new Client({ connectionString: databaseUrl(database) });
      await client.connect();
      try {
        return (await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n;
      } finally {
        await client.end();
      }
    };
    try {
      // No statement timeout asked for: PgBouncer would refuse that first, and the refusal must be the pooler's own.
      const pooled = { DATABASE_URL: transactionPool.url(database), DATABASE_STATEMENT_TIMEOUT: '0' };
      const refused = await migrate(pooled);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('DATABASE_URL reaches Postgres through a transaction pooler');
      expect(refused.output).toContain('DATABASE_DIRECT_URL');
      expect(await tables()).toBe(0);

      // DATABASE_DIRECT_URL pointed at the pooler too is refused under its own name.
      const refusedDirect = await migrate({ ...pooled, DATABASE_DIRECT_URL: transactionPool.url(database) });
      expect(refusedDirect.code).toBe(1);
      expect(refusedDirect.output).toContain('DATABASE_DIRECT_URL reaches Postgres through a transaction pooler');

      const direct = await migrate({ ...pooled, DATABASE_DIRECT_URL: databaseUrl(database) });
      expect(direct).toMatchObject({ code: 0, output: expect.stringContaining(`migrate: applied `) });
      expect(await tables()).toBeGreaterThan(5);

      // A session pool keeps a session per client: migrate takes it.
      const session = await migrate({ DATABASE_URL: sessionPool.url(database), DATABASE_STATEMENT_TIMEOUT: '0' });
      expect(session).toMatchObject({ code: 0, output: expect.stringContaining(`${database} is up to date`) });
    } finally {
      await dropDatabase(database);
    }
  });
});
