/** `webhook_endpoints`: where a workspace's events go, with their (encrypted) signing secrets. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Repository } from './repository';

export const WEBHOOK_ENDPOINTS_SQL = {
  insert: new Statement(`INSERT INTO webhook_endpoints (workspace_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING id, url, events, created_at`),
  list: new Statement(`SELECT id, url, events, created_at FROM webhook_endpoints WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`),
  find: new Statement(`SELECT id, url, events, created_at FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`),
  remove: new Statement(`UPDATE webhook_endpoints SET deleted_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`),
};

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  createdAt: Date;
}

interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  created_at: Date;
}

@Injectable()
export class WebhookEndpointsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** `secret` is stored as given: the caller encrypts it. */
  async insert(tenant: Tenant, endpoint: { url: string; events: string[]; secret: string }): Promise<WebhookEndpoint> {
    return toEndpoint((await this.one<EndpointRow>(WEBHOOK_ENDPOINTS_SQL.insert, [tenant.workspaceId, endpoint.url, endpoint.events, endpoint.secret]))!);
  }

  async list(tenant: Tenant): Promise<WebhookEndpoint[]> {
    return (await this.rows<EndpointRow>(WEBHOOK_ENDPOINTS_SQL.list, [tenant.workspaceId])).map(toEndpoint);
  }

  async find(tenant: Tenant, id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.one<EndpointRow>(WEBHOOK_ENDPOINTS_SQL.find, [tenant.workspaceId, id]);
    return row && toEndpoint(row);
  }

  /** False when the workspace has no such live endpoint. */
  async remove(tenant: Tenant, id: string): Promise<boolean> {
    return (await this.rows(WEBHOOK_ENDPOINTS_SQL.remove, [tenant.workspaceId, id])).length > 0;
  }
}

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return { id: row.id, url: row.url, events: row.events, createdAt: row.created_at };
}
