/** `idempotency_records`: the first answer to a create call made with an `Idempotency-Key`, per workspace. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Repository } from './repository';

export const IDEMPOTENCY_RECORDS_SQL = {
  /** A pending record ($3 the fingerprint), or the takeover of one abandoned more than $4 seconds ago; a row when claimed. */
  claim: new Statement(
    `INSERT INTO idempotency_records (workspace_id, key, request_fingerprint, response_status, response_body)
     VALUES ($1, $2, $3, 0, 'null'::jsonb)
     ON CONFLICT (workspace_id, key) DO UPDATE
       SET request_fingerprint = EXCLUDED.request_fingerprint, created_at = date_trunc('milliseconds', now())
       WHERE idempotency_records.response_status = 0 AND idempotency_records.created_at < now() - make_interval(secs => $4)
     RETURNING key`,
  ),
  find: new Statement(`SELECT request_fingerprint, response_status, response_body, created_at FROM idempotency_records WHERE workspace_id = $1 AND key = $2`),
  store: new Statement(`UPDATE idempotency_records SET response_status = $3, response_body = $4::jsonb WHERE workspace_id = $1 AND key = $2`),
  release: new Statement(`DELETE FROM idempotency_records WHERE workspace_id = $1 AND key = $2 AND response_status = 0`),
};

export interface StoredAnswer {
  fingerprint: string;
  /** 0 while the first request is still in progress. */
  status: number;
  body: unknown;
  createdAt: Date;
}

@Injectable()
export class IdempotencyRecordsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** True when this request now holds the key (new, or taken over from a request abandoned `abandonedAfterMs` ago). */
  async claim(tenant: Tenant, key: string, fingerprint: string, abandonedAfterMs: number): Promise<boolean> {
    return (await this.rows(IDEMPOTENCY_RECORDS_SQL.claim, [tenant.workspaceId, key, fingerprint, abandonedAfterMs / 1000])).length > 0;
  }

  async find(tenant: Tenant, key: string): Promise<StoredAnswer | undefined> {
    const row = await this.one<{ request_fingerprint: string; response_status: number; response_body: unknown; created_at: Date }>(IDEMPOTENCY_RECORDS_SQL.find, [
      tenant.workspaceId,
      key,
    ]);
    return row && { fingerprint: row.request_fingerprint, status: row.response_status, body: row.response_body, createdAt: row.created_at };
  }

  async store(tenant: Tenant, key: string, status: number, body: unknown): Promise<void> {
    await this.rows(IDEMPOTENCY_RECORDS_SQL.store, [tenant.workspaceId, key, status, JSON.stringify(body)]);
  }

  /** Forgets a claim whose request failed without an answer worth replaying. */
  async release(tenant: Tenant, key: string): Promise<void> {
    await this.rows(IDEMPOTENCY_RECORDS_SQL.release, [tenant.workspaceId, key]);
  }
}
