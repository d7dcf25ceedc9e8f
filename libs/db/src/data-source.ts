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

/** Applies pending migrations; returns their names. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource({ url, poolSize: 2, applicationName: 'herald-migrate' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
