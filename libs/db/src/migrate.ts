/** `npm run migrate`: applies pending migrations to DATABASE_URL, then exits. */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@herald/config';
import { runMigrations } from './data-source';

async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await runMigrations(config.databaseUrl);
  const target = new URL(config.databaseUrl);
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
