/**
 * `webhook_events` (and a pending `webhook_deliveries` row per subscribed
 * endpoint): each event is recorded in the transaction of the change that
 * causes it, so a crash cannot lose it.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM, SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const WEBHOOK_EVENT_TYPES = [
  'post.published',
  'post.failed',
  'post.pending_approval',
  'post.approved',
  'post.rejected',
  'post.deleted',
  'delivery.failed',
  'channel.disconnected',
  'channel.expiring',
  'network.degraded',
  'network.recovered',
  'post.metrics',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only to an endpoint that names them (one per metrics snapshot: many); an endpoint made without `events` gets the others. */
export const OPT_IN_WEBHOOK_EVENTS: readonly WebhookEventType[] = ['post.metrics'];
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter((type) => !OPT_IN_WEBHOOK_EVENTS.includes(type));

export interface WebhookEventInput {
  workspaceId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

export const WEBHOOK_EVENTS_SQL = {
  /**
   * Each event ($2, JSON rows) some live endpoint of its workspace ($1, every
   * workspace involved) subscribes to, with one pending delivery per such
   * endpoint. The payload's timestamp is the event's own creation time.
   */
  record: new Statement(
    `WITH endpoints AS (
       SELECT id, workspace_id, events FROM webhook_endpoints WHERE workspace_id = ANY($1::uuid[]) AND deleted_at IS NULL
     ), new_events AS (
       INSERT INTO webhook_events (workspace_id, type, payload, created_at)
       SELECT e.workspace_id, e.type,
              jsonb_build_object('type', e.type, 'timestamp', to_char(date_trunc('milliseconds', now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', e.data),
              date_trunc('milliseconds', now())
         FROM jsonb_to_recordset($2::jsonb) AS e(workspace_id uuid, type text, data jsonb)
        WHERE EXISTS (SELECT 1 FROM endpoints x WHERE x.workspace_id = e.workspace_id AND e.type = ANY(x.events))
       RETURNING id, workspace_id, type
     )
     INSERT INTO webhook_deliveries (endpoint_id, event_id)
     SELECT x.id, n.id FROM new_events n JOIN endpoints x ON x.workspace_id = n.workspace_id AND n.type = ANY(x.events)
     RETURNING id`,
  ),
};

@Injectable()
export class WebhookEventsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Records events, and one pending delivery per subscribed endpoint, in the
   * caller's transaction and in one statement however many (none for a
   * workspace without a subscribed endpoint). Each event names its own
   * workspace. Returns the webhook delivery ids to enqueue after commit (the
   * reconciler finds any that were not).
   */
  async record(_scope: SystemScope, events: WebhookEventInput[], on: Executor): Promise<string[]> {
    if (events.length === 0) return [];
    const workspaceIds = [...new Set(events.map((event) => event.workspaceId))];
    const rows = await this.rows<{ id: string }>(
      WEBHOOK_EVENTS_SQL.record,
      [workspaceIds, JSON.stringify(events.map((event) => ({ workspace_id: event.workspaceId, type: event.type, data: event.data })))],
      on,
    );
    return rows.map((row) => row.id);
  }

  /** `record` for events of one workspace (the API's changes: a post submitted, approved, rejected). */
  async recordFor(tenant: Tenant, events: { type: WebhookEventType; data: Record<string, unknown> }[], on: Executor): Promise<string[]> {
    return this.record(
      SYSTEM,
      events.map((event) => ({ workspaceId: tenant.workspaceId, ...event })),
      on,
    );
  }
}
