/** A database of its own for one integration test file, cloned from the run's migrated template. */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { POSTGRES_ADMIN_URL, databaseUrl, templateDatabase, testDatabase } from './env';

export interface TestDatabase {
  name: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

export async function cloneDatabase(kind: string): Promise<TestDatabase> {
  const name = testDatabase(kind);
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`));
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl(name), extra: { max: 4 }, applicationName: `herald-${kind}-test` }).initialize();
  return {
    name,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
