/** `attempts`: every call to a network, the audit trail a user reads when a post failed. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Attempt, AttemptOutcome } from '../entities/attempt.entity';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const ATTEMPTS_SQL = {
  /**
   * Each outcome's attempt ($1, JSON rows), numbered after the delivery's
   * last; then every delivery of the posts involved ($2) as they now stand
   * (what their posts' statuses are derived from), in the same round trip.
   */
  insertReadingSiblings: new Statement(
    `WITH attempt AS (
       INSERT INTO attempts (delivery_id, number, started_at, finished_at, outcome, error_code, error_message, http_status, latency_ms)
       SELECT a.delivery_id, (SELECT COALESCE(max(number), 0) + 1 FROM attempts WHERE delivery_id = a.delivery_id),
              a.started_at, a.finished_at, a.outcome, a.error_code, a.error_message, a.http_status, a.latency_ms
         FROM jsonb_to_recordset($1::jsonb) AS a(delivery_id uuid, started_at timestamptz, finished_at timestamptz, outcome text,
                                                 error_code text, error_message text, http_status int, latency_ms int))
     SELECT post_id, status FROM deliveries WHERE post_id = ANY($2::uuid[])`,
  ),
  /** The attempts of a workspace's deliveries ($2), oldest first. */
  ofDeliveries: new Statement(
    `SELECT a.id, a.delivery_id, a.number, a.started_at, a.finished_at, a.outcome, a.error_code, a.error_message, a.http_status, a.latency_ms
       FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
      WHERE d.workspace_id = $1 AND a.delivery_id = ANY($2::uuid[]) ORDER BY a.started_at, a.number`,
  ),
};

/** One attempt as the outcome recorder writes it. */
export interface NewAttemptRow {
  delivery_id: string;
  started_at: string;
  finished_at: string;
  outcome: AttemptOutcome;
  error_code: string | null;
  error_message: string | null;
  http_status: number | null;
  latency_ms: number;
}

interface AttemptRow {
  id: string;
  delivery_id: string;
  number: number;
  started_at: Date;
  finished_at: Date;
  outcome: AttemptOutcome;
  error_code: string | null;
  error_message: string | null;
  http_status: number | null;
  latency_ms: number;
}

@Injectable()
export class AttemptsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Writes the attempts of a batch of outcomes; answers the statuses of every delivery of `postIds`, as they now stand. */
  async insertReadingSiblings(_scope: SystemScope, attempts: NewAttemptRow[], postIds: string[], on: Executor): Promise<{ postId: string; status: string }[]> {
    const rows = await this.rows<{ post_id: string; status: string }>(ATTEMPTS_SQL.insertReadingSiblings, [JSON.stringify(attempts), postIds], on);
    return rows.map((row) => ({ postId: row.post_id, status: row.status }));
  }

  async ofDeliveries(tenant: Tenant, deliveryIds: string[], on?: Executor): Promise<Attempt[]> {
    if (deliveryIds.length === 0) return [];
    const rows = await this.rows<AttemptRow>(ATTEMPTS_SQL.ofDeliveries, [tenant.workspaceId, deliveryIds], on);
    return rows.map((row) =>
      Object.assign(new Attempt(), {
        id: row.id,
        deliveryId: row.delivery_id,
        number: row.number,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        outcome: row.outcome,
        errorCode: row.error_code,
        errorMessage: row.error_message,
        httpStatus: row.http_status,
        latencyMs: row.latency_ms,
      }),
    );
  }
}
