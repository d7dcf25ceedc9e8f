/**
 * Once per test run: a migrated template database that every integration
 * and e2e file copies (CREATE DATABASE ... TEMPLATE is fast), so files run on
 * their own data. Also drops what interrupted earlier runs left behind:
 * databases of runs that started more than three hours ago, or whose names
 * carry no run tag. A run still going in another checkout keeps its
 * databases. Both projects name this setup; the second finds the template
 * made and does nothing.
 */
import { Client } from 'pg';
import { runMigrations } from '../../libs/db/src/data-source';
import { DATABASE_PREFIX, POSTGRES_ADMIN_URL, databaseUrl, newRunTag, runStartedAt, templateDatabase } from './env';

const LEFTOVER_AGE_MS = 3 * 3600_000;

export async function createTemplate(): Promise<void> {
  if (process.env.HERALD_E2E_RUN) return;
  process.env.HERALD_E2E_RUN = newRunTag();
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    const existing: { datname: string }[] = (await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [DATABASE_PREFIX])).rows;
    for (const { datname } of existing) {
      const startedAt = runStartedAt(datname);
      if (startedAt === undefined || Date.now() - startedAt > LEFTOVER_AGE_MS) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await admin.query(`CREATE DATABASE "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(templateDatabase()));
}

export default createTemplate;
