/** After the run: its template goes (each file drops its own database when it stops). */
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL, templateDatabase } from './env';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${templateDatabase()}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
