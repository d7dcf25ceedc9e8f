import { createHash } from 'node:crypto';
import { EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * A hot statement, sent as a named prepared statement: Postgres parses and
 * plans it once per connection instead of on every call. In the benchmark's
 * create path that halved Postgres's CPU per post (see README, Benchmark).
 *
 * Only for statements whose best plan does not depend on the values (lookups
 * by primary key or by exact match): after five calls Postgres may keep one
 * generic plan for all values. Range scans whose plan depends on the data
 * (the sweep, the lists) stay unprepared.
 */
export class Statement {
  /** Named after the text, so two texts never share a name on a connection. */
  readonly name: string;

  constructor(readonly text: string) {
    this.name = `herald_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  }
}

/**
 * Runs `statement` on the manager's transaction if it has one, else on a
 * pooled connection, and answers its rows (for UPDATE ... RETURNING too).
 * Errors are TypeORM's QueryFailedError, as `manager.query` throws them.
 */
export async function runStatement<Row>(manager: EntityManager, statement: Statement, values: unknown[]): Promise<Row[]> {
  const config = { name: statement.name, text: statement.text, values };
  try {
    const runner = manager.queryRunner as PostgresQueryRunner | undefined;
    if (runner && !runner.isReleased) {
      const client = (await runner.connect()) as { query(config: object): Promise<{ rows: Row[] }> };
      return (await client.query(config)).rows;
    }
    const pool = (manager.connection.driver as PostgresDriver).master as { query(config: object): Promise<{ rows: Row[] }> };
    return (await pool.query(config)).rows;
  } catch (error) {
    throw new QueryFailedError(statement.text, values, error as Error);
  }
}
