import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TokenCipher, WEBHOOK_EVENT_TYPES } from '@herald/db';
import { NotFound, UnprocessableRequest } from '../common/problems';
import { UrlPolicy } from '../common/url-safety';
import { CreateWebhookDto } from './dto';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  created_at: Date;
}

/**
 * A workspace's webhook endpoints. The signing secret (`whsec_` + 24 random
 * bytes) is shown once at creation and kept encrypted like channel tokens.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly urls: UrlPolicy,
  ) {}

  async create(workspaceId: string, input: CreateWebhookDto): Promise<WebhookView & { secret: string }> {
    const refusal = this.urls.refusal(input.url);
    if (refusal) throw new UnprocessableRequest(`url ${refusal}`, [{ path: 'url', message: refusal }]);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const [row] = (await this.dataSource.query(
      `INSERT INTO webhook_endpoints (workspace_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING id, url, events, created_at`,
      [workspaceId, input.url, input.events ?? [...WEBHOOK_EVENT_TYPES], this.cipher.encrypt(secret)],
    )) as EndpointRow[];
    return { ...toView(row!), secret };
  }

  async list(workspaceId: string): Promise<{ data: WebhookView[]; nextCursor: null }> {
    const rows: EndpointRow[] = await this.dataSource.query(
      `SELECT id, url, events, created_at FROM webhook_endpoints WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    );
    return { data: rows.map(toView), nextCursor: null };
  }

  async get(workspaceId: string, id: string): Promise<WebhookView> {
    const rows: EndpointRow[] = await this.dataSource.query(
      `SELECT id, url, events, created_at FROM webhook_endpoints WHERE id = $1 AND workspace_id = $2 AND deleted_at IS NULL`,
      [id, workspaceId],
    );
    if (!rows[0]) throw new NotFound('Webhook', id);
    return toView(rows[0]);
  }

  /** The endpoint's most recent deliveries: which event, how many tries, the last answer. */
  async deliveries(workspaceId: string, id: string) {
    await this.get(workspaceId, id);
    const rows: { id: string; event_id: string; type: string; status: string; attempt_count: number; last_status: number | null; last_error: string | null; next_attempt_at: Date; delivered_at: Date | null; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT wd.id, wd.event_id, ev.type, wd.status, wd.attempt_count, wd.last_status, wd.last_error, wd.next_attempt_at, wd.delivered_at, wd.created_at
           FROM webhook_deliveries wd JOIN webhook_events ev ON ev.id = wd.event_id
          WHERE wd.endpoint_id = $1 ORDER BY wd.created_at DESC, wd.id DESC LIMIT 100`,
        [id],
      );
    return {
      data: rows.map((row) => ({
        id: row.id,
        eventId: row.event_id,
        type: row.type,
        status: row.status,
        attempts: row.attempt_count,
        lastStatus: row.last_status,
        lastError: row.last_error,
        nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
        deliveredAt: row.delivered_at?.toISOString() ?? null,
        createdAt: row.created_at.toISOString(),
      })),
      nextCursor: null,
    };
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.get(workspaceId, id);
    await this.dataSource.query(`UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1`, [id]);
  }
}

function toView(row: EndpointRow): WebhookView {
  return { id: row.id, url: row.url, events: row.events, createdAt: row.created_at.toISOString() };
}
