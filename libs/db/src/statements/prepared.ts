import { createHash } from 'node:crypto';
import { EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * One SQL statement of a repository. A hot one is sent as a named prepared
 * statement: Postgres parses and plans it once per connection instead of on
 * every call (in the benchmark's create path that halved Postgres's CPU per
 * post, see README). Only statements whose best plan does not depend on the
 * values are prepared (lookups by primary key or exact match): after five
 * calls Postgres may keep one generic plan for all values. Range scans whose
 * plan depends on the data (the sweep, the lists) are sent unnamed, planned
 * each time with their values.
 */
export class Statement {
  /** Named after the text, so two texts never share a name on a connection; undefined when not prepared. */
  readonly name: string | undefined;

  constructor(
    readonly text: string,
    options: { prepared?: boolean } = {},
  ) {
    this.name = options.prepared === false ? undefined : `herald_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  }

  get prepared(): boolean {
    return this.name !== undefined;
  }
}

/** A statement sent unnamed (planned each time with its values): for range scans and lists. */
export function planned(text: string): Statement {
  return new Statement(text, { prepared: false });
}

/**
 * Runs `statement` on the manager's transaction if it has one, else on a
 * pooled connection, and answers its rows (for UPDATE ... RETURNING too).
 * Errors are TypeORM's QueryFailedError, as `manager.query` throws them.
 */
export async function runStatement<Row>(manager: EntityManager, statement: Statement, values: unknown[]): Promise<Row[]> {
  const config = statement.name ? { name: statement.name, text: statement.text, values } : { text: statement.text, values };
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
