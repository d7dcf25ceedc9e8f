/**
 * What every repository shares: the data source, and running one of its
 * statements on a transaction (`on`, an open transaction's manager) or on a
 * pooled connection. A repository is the one home of its table's SQL: one
 * statement per method, the scope (a Tenant, or SYSTEM) first.
 */
import { DataSource, EntityManager } from 'typeorm';
import { Statement, runStatement } from '../statements/prepared';

/** An open transaction's manager, or the data source's own (each statement on its own pooled connection). */
export type Executor = EntityManager;

export abstract class Repository {
  constructor(protected readonly dataSource: DataSource) {}

  protected rows<Row>(statement: Statement, values: unknown[], on?: Executor): Promise<Row[]> {
    return runStatement<Row>(on ?? this.dataSource.manager, statement, values);
  }

  protected async one<Row>(statement: Statement, values: unknown[], on?: Executor): Promise<Row | undefined> {
    return (await this.rows<Row>(statement, values, on))[0];
  }
}

/** Runs `work` in one transaction; its manager is what the repositories' `on` parameter takes. */
export function inTransaction<T>(dataSource: DataSource, work: (tx: Executor) => Promise<T>): Promise<T> {
  return dataSource.transaction(work);
}
