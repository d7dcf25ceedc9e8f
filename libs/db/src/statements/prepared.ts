import { createHash } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
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
 *
 * Whether prepared ones are sent named is the data source's choice
 * (DATABASE_PREPARED_STATEMENTS, see `namesStatements`): a pooler that hands
 * out server connections per transaction cannot carry them.
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

/** What a data source's options say besides TypeORM's own: whether prepared statements go named (absent: they do). */
export interface StatementPolicy {
  preparedStatements?: boolean;
}

/** Whether `dataSource` sends prepared statements named; false behind a pooler that cannot carry them. */
export function namesStatements(dataSource: DataSource): boolean {
  return (dataSource.options as StatementPolicy).preparedStatements !== false;
}

/** The query pg sends: named (prepared once per connection) only if the statement is prepared and the data source names statements. */
export function queryConfig(statement: Statement, values: unknown[], named: boolean): { name?: string; text: string; values: unknown[] } {
  return statement.name && named ? { name: statement.name, text: statement.text, values } : { text: statement.text, values };
}

/**
 * Runs `statement` on the manager's transaction if it has one, else on a
 * pooled connection, and answers its rows (for UPDATE ... RETURNING too).
 * Errors are TypeORM's QueryFailedError, as `manager.query` throws them.
 */
export async function runStatement<Row>(manager: EntityManager, statement: Statement, values: unknown[]): Promise<Row[]> {
  const config = queryConfig(statement, values, namesStatements(manager.connection));
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
