import { DataSource, DataSourceOptions } from 'typeorm';
import type { HeraldConfig } from '@herald/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { StatementPolicy } from './statements/prepared';

export interface DataSourceSettings {
  url: string;
  /** Connection pool size of this process. */
  poolSize?: number;
  applicationName?: string;
  /** Send prepared statements named (the default); false behind a pooler that cannot carry them (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
  /** Asked for at connection startup; 0 asks for none (DATABASE_STATEMENT_TIMEOUT). Default 30 s. */
  statementTimeoutMs?: number;
}

/** A process's settings from the config: every process (API, worker, scripts) connects the way the environment says. */
export function databaseSettings(config: HeraldConfig, applicationName: string, poolSize: number): DataSourceSettings {
  return {
    url: config.databaseUrl,
    poolSize,
    applicationName,
    preparedStatements: config.databasePreparedStatements,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  };
}

/** The one way every process (and every test) connects to Postgres. Never `synchronize`. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions & StatementPolicy {
  const statementTimeoutMs = settings.statementTimeoutMs ?? 30_000;
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'herald_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    applicationName: settings.applicationName ?? 'herald',
    // Read back from the data source by runStatement.
    preparedStatements: settings.preparedStatements ?? true,
    extra: {
      max: settings.poolSize ?? 20,
      connectionTimeoutMillis: 5000,
      // A statement stuck behind a lock or a dead server must not hang a request forever.
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    },
  };
}

/** Every `npm run migrate` takes this session-level advisory lock, so two at once (two deploys) run one after the other. */
const MIGRATE_LOCK = 'herald:migrate';

/**
 * Applies pending migrations; returns their names. Holds MIGRATE_LOCK on a
 * connection of its own meanwhile: a session lock, which needs Postgres
 * itself or a session pool (migrate.ts refuses a transaction pooler).
 */
export async function runMigrations(url: string, settings: Omit<DataSourceSettings, 'url' | 'poolSize' | 'applicationName'> = {}): Promise<string[]> {
  const dataSource = createDataSource({ ...settings, url, poolSize: 3, applicationName: 'herald-migrate' });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    const [{ locked }] = (await lock.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [MIGRATE_LOCK])) as { locked: boolean }[];
    if (!locked) {
      console.log('migrate: waiting for another migrate to finish');
      await lock.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [MIGRATE_LOCK]);
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    // Ending the session releases the lock too; unlocking first keeps a pooled connection clean.
    await lock.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
