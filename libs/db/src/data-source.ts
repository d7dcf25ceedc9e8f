import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceSettings {
  url: string;
  /** Connection pool size of this process. */
  poolSize?: number;
  applicationName?: string;
}

/** The one way every process (and every test) connects to Postgres. Never `synchronize`. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
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
    extra: {
      max: settings.poolSize ?? 20,
      connectionTimeoutMillis: 5000,
      // A statement stuck behind a lock or a dead server must not hang a request forever.
      statement_timeout: 30_000,
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
