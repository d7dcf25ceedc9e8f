/**
 * Unpublish: taking published deliveries back down, durable in `deliveries`
 * (see the Unpublish migration). The API asks for it (`request`, under the
 * post's lock); a worker claims one delivery at a time by moving its
 * `unpublish_due_at` a lease ahead (a conditional UPDATE: one claim, one
 * holder), and every write of its claim is fenced on that value, so a
 * worker that stalled past its lease changes nothing another has done since.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const UNPUBLISH_SQL = {
  /** The workspace's published deliveries ($2) not already being unpublished: due now ($3), their last error forgotten. */
  request: new Statement(
    `UPDATE deliveries SET unpublish_due_at = $3, unpublish_attempts = 0, unpublish_error_code = NULL, unpublish_error_message = NULL, updated_at = now()
      WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status = 'published' AND unpublish_due_at IS NULL
      RETURNING id`,
  ),
  /**
   * A claim of a due unpublish ($1): its due time moves a lease ($2 seconds)
   * ahead, the new value fencing the claim's writes; with its channel (by
   * primary key) and its parts still on the network.
   */
  claim: new Statement(
    `WITH claimed AS (
       UPDATE deliveries d SET unpublish_due_at = date_trunc('milliseconds', now()) + make_interval(secs => $2), unpublish_attempts = d.unpublish_attempts + 1
        WHERE d.id = $1 AND d.status = 'published' AND d.unpublish_due_at <= now() + interval '25 milliseconds'
        RETURNING d.id, d.workspace_id, d.post_id, d.channel_id, d.external_id, d.unpublish_due_at, d.unpublish_attempts)
     SELECT d.id, d.workspace_id, d.post_id, d.channel_id, d.external_id, d.unpublish_due_at, d.unpublish_attempts,
            c.network, c.handle, c.access_token, c.account_id, c.host, c.token_expires_at, c.details, c.status AS channel_status, c.deleted_at AS channel_deleted_at,
            (SELECT json_agg(json_build_object('idx', s.idx, 'kind', s.kind, 'external_id', s.external_id) ORDER BY s.idx)
               FROM delivery_parts s WHERE s.delivery_id = d.id AND s.status = 'published' AND s.deleted_at IS NULL AND s.external_id IS NOT NULL) AS steps,
            EXISTS (SELECT 1 FROM delivery_parts s WHERE s.delivery_id = d.id) AS has_steps
       FROM claimed d CROSS JOIN LATERAL (SELECT network, handle, access_token, account_id, host, token_expires_at, details, status, deleted_at FROM channels WHERE id = d.channel_id) c`,
  ),
  /** One part ($2) of a delivery ($1) is off the network: a retry does not delete it again. */
  partDeleted: new Statement(`UPDATE delivery_parts SET deleted_at = now(), updated_at = now() WHERE delivery_id = $1 AND idx = $2 AND deleted_at IS NULL`),
  /** The claim ($2) is done: the delivery is `deleted`. Answers it when this claim was still the delivery's. */
  markDeleted: new Statement(
    `UPDATE deliveries SET status = 'deleted', deleted_at = now(), unpublish_due_at = NULL, unpublish_error_code = NULL, unpublish_error_message = NULL, updated_at = now()
      WHERE id = $1 AND status = 'published' AND unpublish_due_at = $2
      RETURNING id`,
  ),
  /** The claim ($2) failed: tried again at $3 (null: given up), with why ($4, $5). */
  markFailed: new Statement(
    `UPDATE deliveries SET unpublish_due_at = $3, unpublish_error_code = $4, unpublish_error_message = $5, updated_at = now()
      WHERE id = $1 AND status = 'published' AND unpublish_due_at = $2
      RETURNING id`,
  ),
  /** Unpublishes due by $1 (the reconciler gives each a job when Redis has none), soonest first. */
  dueBy: new Statement(
    `SELECT id, unpublish_due_at FROM deliveries
      WHERE unpublish_due_at IS NOT NULL AND unpublish_due_at <= $1 AND status = 'published'
      ORDER BY unpublish_due_at LIMIT $2`,
  ),
};

/** A claimed unpublish, as the worker reads it. */
export interface UnpublishClaimRow {
  id: string;
  workspaceId: string;
  postId: string;
  channelId: string;
  externalId: string | null;
  /** The claim's fence: the due time it set (its lease's end). */
  leaseEndsAt: Date;
  attempts: number;
  network: string;
  handle: string;
  accessToken: string;
  accountId: string | null;
  host: string | null;
  tokenExpiresAt: Date | null;
  details: Record<string, unknown>;
  channelStatus: string;
  channelDeletedAt: Date | null;
  /** The parts and comment of a delivery of several, still on the network, in order. */
  steps: { idx: number; kind: 'part' | 'comment'; externalId: string }[];
  /** Whether the delivery is of several steps (then `steps` is what is left of them). */
  hasSteps: boolean;
}

interface ClaimDbRow {
  id: string;
  workspace_id: string;
  post_id: string;
  channel_id: string;
  external_id: string | null;
  unpublish_due_at: Date;
  unpublish_attempts: number;
  network: string;
  handle: string;
  access_token: string;
  account_id: string | null;
  host: string | null;
  token_expires_at: Date | null;
  details: Record<string, unknown> | null;
  channel_status: string;
  channel_deleted_at: Date | null;
  steps: { idx: number; kind: 'part' | 'comment'; external_id: string }[] | null;
  has_steps: boolean;
}

@Injectable()
export class UnpublishRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Asks for the unpublish of these published deliveries (under their post's lock); answers those it asked for now. */
  async request(tenant: Tenant, deliveryIds: string[], at: Date, on: Executor): Promise<string[]> {
    if (deliveryIds.length === 0) return [];
    return (await this.rows<{ id: string }>(UNPUBLISH_SQL.request, [tenant.workspaceId, deliveryIds, at], on)).map((row) => row.id);
  }

  async claim(_scope: SystemScope, deliveryId: string, leaseMs: number): Promise<UnpublishClaimRow | undefined> {
    const row = await this.one<ClaimDbRow>(UNPUBLISH_SQL.claim, [deliveryId, leaseMs / 1000]);
    if (!row) return undefined;
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      postId: row.post_id,
      channelId: row.channel_id,
      externalId: row.external_id,
      leaseEndsAt: row.unpublish_due_at,
      attempts: row.unpublish_attempts,
      network: row.network,
      handle: row.handle,
      accessToken: row.access_token,
      accountId: row.account_id,
      host: row.host,
      tokenExpiresAt: row.token_expires_at,
      details: row.details ?? {},
      channelStatus: row.channel_status,
      channelDeletedAt: row.channel_deleted_at,
      steps: (row.steps ?? []).map((step) => ({ idx: step.idx, kind: step.kind, externalId: step.external_id })),
      hasSteps: row.has_steps,
    };
  }

  async partDeleted(_scope: SystemScope, deliveryId: string, idx: number): Promise<void> {
    await this.rows(UNPUBLISH_SQL.partDeleted, [deliveryId, idx]);
  }

  /** True when this claim was still the delivery's (it is `deleted` now). */
  async markDeleted(_scope: SystemScope, deliveryId: string, leaseEndsAt: Date, on: Executor): Promise<boolean> {
    return (await this.rows(UNPUBLISH_SQL.markDeleted, [deliveryId, leaseEndsAt], on)).length > 0;
  }

  /** `retryAt` null: given up. True when this claim was still the delivery's. */
  async markFailed(_scope: SystemScope, deliveryId: string, leaseEndsAt: Date, retryAt: Date | null, error: { code: string; message: string }, on: Executor): Promise<boolean> {
    return (await this.rows(UNPUBLISH_SQL.markFailed, [deliveryId, leaseEndsAt, retryAt, error.code.slice(0, 64), error.message], on)).length > 0;
  }

  async dueBy(_scope: SystemScope, before: Date, limit: number): Promise<{ id: string; dueAt: Date }[]> {
    const rows = await this.rows<{ id: string; unpublish_due_at: Date }>(UNPUBLISH_SQL.dueBy, [before, limit]);
    return rows.map((row) => ({ id: row.id, dueAt: row.unpublish_due_at }));
  }
}
