/**
 * Once per test run: a migrated template database that every e2e file copies
 * (CREATE DATABASE ... TEMPLATE is fast), so files run in parallel on their
 * own data. Also drops what an interrupted earlier run left behind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../libs/db/src/data-source';
import { POSTGRES_ADMIN_URL, TEMPLATE_DATABASE, databaseUrl } from './env';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(join(__dirname, '../../dist/apps/api/src/main.js'))) {
    throw new Error('dist/ is missing: the e2e tests run the built apps. Run `npm run build` first (`npm test` does).');
  }
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    const leftovers: { datname: string }[] = (
      await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'herald_e2e_%'`)
    ).rows;
    for (const { datname } of leftovers) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(TEMPLATE_DATABASE));
}
