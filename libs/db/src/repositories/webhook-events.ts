import { EntityManager } from 'typeorm';

export const WEBHOOK_EVENT_TYPES = ['post.published', 'post.failed', 'delivery.failed', 'channel.disconnected'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Records an event and one pending delivery per subscribed endpoint, in the
 * caller's transaction: the event commits with the change that causes it, so
 * a crash cannot lose it. Returns the webhook delivery ids to enqueue after
 * commit (the reconciler finds any that were not).
 */
export async function recordWebhookEvent(
  manager: EntityManager,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<string[]> {
  const endpoints: { id: string }[] = await manager.query(
    `SELECT id FROM webhook_endpoints WHERE workspace_id = $1 AND deleted_at IS NULL AND $2 = ANY(events)`,
    [workspaceId, type],
  );
  if (endpoints.length === 0) return [];
  const [event] = (await manager.query(
    `INSERT INTO webhook_events (workspace_id, type, payload) VALUES ($1, $2, $3::jsonb) RETURNING id, created_at`,
    [workspaceId, type, JSON.stringify({})],
  )) as { id: string; created_at: Date }[];
  const payload = { type, timestamp: event!.created_at.toISOString(), data };
  await manager.query(`UPDATE webhook_events SET payload = $2::jsonb WHERE id = $1`, [event!.id, JSON.stringify(payload)]);
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id) SELECT unnest($1::uuid[]), $2 RETURNING id`,
    [endpoints.map((endpoint) => endpoint.id), event!.id],
  );
  return rows.map((row) => row.id);
}
