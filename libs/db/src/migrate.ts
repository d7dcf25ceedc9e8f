/**
 * `npm run migrate`: applies pending migrations to DATABASE_DIRECT_URL when it
 * is set, else DATABASE_URL, then exits. Refuses a transaction pooler
 * (PgBouncer in transaction mode): migrations hold a session-level advisory
 * lock for their whole run and run DDL that must not share a pooled server
 * with the apps' traffic; they want Postgres itself (or a session pool).
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@herald/config';
import { runMigrations } from './data-source';
import { isTransactionPooled } from './pooler';

async function main(): Promise<void> {
  const config = loadConfig();
  const url = config.databaseDirectUrl ?? config.databaseUrl;
  const variable = config.databaseDirectUrl ? 'DATABASE_DIRECT_URL' : 'DATABASE_URL';
  if (await isTransactionPooled(url)) {
    throw new ConfigError([
      `${variable} reaches Postgres through a transaction pooler (server connections change between transactions, as with PgBouncer's pool_mode = transaction). ` +
        'npm run migrate needs a session of its own: set DATABASE_DIRECT_URL to Postgres itself (or a session-mode pool) and run it again.',
    ]);
  }
  const applied = await runMigrations(url, { statementTimeoutMs: config.databaseStatementTimeoutMs });
  const target = new URL(url);
  console.log(
    applied.length === 0
      ? `migrate: ${target.pathname.slice(1)} is up to date`
      : `migrate: applied ${applied.join(', ')} to ${target.pathname.slice(1)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `migrate failed: ${String(error)}`);
  process.exit(1);
});
