/** `webhook_deliveries`: each event's delivery to each endpoint, its tries and its last answer. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Repository } from './repository';

export const WEBHOOK_DELIVERIES_SQL = {
  /** An endpoint's ($2) most recent deliveries, with their event's type; only the workspace's own endpoint. */
  historyOf: new Statement(
    `SELECT wd.id, wd.event_id, ev.type, wd.status, wd.attempt_count, wd.last_status, wd.last_error, wd.next_attempt_at, wd.delivered_at, wd.created_at
       FROM webhook_deliveries wd JOIN webhook_events ev ON ev.id = wd.event_id JOIN webhook_endpoints e ON e.id = wd.endpoint_id
      WHERE e.workspace_id = $1 AND wd.endpoint_id = $2 ORDER BY wd.created_at DESC, wd.id DESC LIMIT $3`,
  ),
  /** A pending delivery ($1) with what sending it needs: a live endpoint's URL and (encrypted) secret, the event. */
  pending: new Statement(
    `SELECT wd.id, e.url, e.secret, wd.event_id, ev.payload, wd.attempt_count, wd.next_attempt_at
       FROM webhook_deliveries wd
       JOIN webhook_endpoints e ON e.id = wd.endpoint_id AND e.deleted_at IS NULL
       JOIN webhook_events ev ON ev.id = wd.event_id
      WHERE wd.id = $1 AND wd.status = 'pending'`,
  ),
  markDelivered: new Statement(
    `UPDATE webhook_deliveries SET status = 'delivered', attempt_count = $2, last_status = $3, last_error = NULL, delivered_at = now() WHERE id = $1`,
  ),
  markFailed: new Statement(`UPDATE webhook_deliveries SET status = 'failed', attempt_count = $2, last_status = $3, last_error = $4 WHERE id = $1`),
  scheduleRetry: new Statement(`UPDATE webhook_deliveries SET attempt_count = $2, last_status = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1`),
  /** Pending deliveries due by $1, oldest first, $2 at a time (the reconciler re-enqueues what Redis lost). */
  dueBy: planned(`SELECT id, next_attempt_at FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`),
};

export interface WebhookDeliveryEntry {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attemptCount: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface PendingWebhook {
  id: string;
  url: string;
  /** Encrypted. */
  secret: string;
  eventId: string;
  payload: unknown;
  attemptCount: number;
  nextAttemptAt: Date;
}

/** One try's result: the HTTP status (null when no answer came) and what went wrong, storable. */
export interface WebhookTry {
  attempts: number;
  status: number | null;
  error: string | null;
}

@Injectable()
export class WebhookDeliveriesRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async historyOf(tenant: Tenant, endpointId: string, limit = 100): Promise<WebhookDeliveryEntry[]> {
    const rows = await this.rows<{
      id: string;
      event_id: string;
      type: string;
      status: string;
      attempt_count: number;
      last_status: number | null;
      last_error: string | null;
      next_attempt_at: Date;
      delivered_at: Date | null;
      created_at: Date;
    }>(WEBHOOK_DELIVERIES_SQL.historyOf, [tenant.workspaceId, endpointId, limit]);
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      type: row.type,
      status: row.status,
      attemptCount: row.attempt_count,
      lastStatus: row.last_status,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at,
      deliveredAt: row.delivered_at,
      createdAt: row.created_at,
    }));
  }

  async pending(_scope: SystemScope, id: string): Promise<PendingWebhook | undefined> {
    const row = await this.one<{ id: string; url: string; secret: string; event_id: string; payload: unknown; attempt_count: number; next_attempt_at: Date }>(
      WEBHOOK_DELIVERIES_SQL.pending,
      [id],
    );
    return row && { id: row.id, url: row.url, secret: row.secret, eventId: row.event_id, payload: row.payload, attemptCount: row.attempt_count, nextAttemptAt: row.next_attempt_at };
  }

  async markDelivered(_scope: SystemScope, id: string, result: WebhookTry): Promise<void> {
    await this.rows(WEBHOOK_DELIVERIES_SQL.markDelivered, [id, result.attempts, result.status]);
  }

  async markFailed(_scope: SystemScope, id: string, result: WebhookTry): Promise<void> {
    await this.rows(WEBHOOK_DELIVERIES_SQL.markFailed, [id, result.attempts, result.status, result.error]);
  }

  async scheduleRetry(_scope: SystemScope, id: string, result: WebhookTry, at: Date): Promise<void> {
    await this.rows(WEBHOOK_DELIVERIES_SQL.scheduleRetry, [id, result.attempts, result.status, result.error, at]);
  }

  async dueBy(_scope: SystemScope, by: Date, limit: number): Promise<{ id: string; nextAttemptAt: Date }[]> {
    const rows = await this.rows<{ id: string; next_attempt_at: Date }>(WEBHOOK_DELIVERIES_SQL.dueBy, [by, limit]);
    return rows.map((row) => ({ id: row.id, nextAttemptAt: row.next_attempt_at }));
  }
}
