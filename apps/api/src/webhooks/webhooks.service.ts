import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DEFAULT_WEBHOOK_EVENTS, Tenant, TokenCipher, WebhookDeliveriesRepository, WebhookEndpoint, WebhookEndpointsRepository } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { AuditLog } from '../audit';
import { NotFound, UnprocessableRequest } from '../common/problems';
import { Outbound } from '@herald/channels';
import { CreateWebhookDto } from './dto';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

/**
 * A workspace's webhook endpoints. The signing secret (`whsec_` + 24 random
 * bytes) is shown once at creation and kept encrypted like channel tokens.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly history: WebhookDeliveriesRepository,
    private readonly cipher: TokenCipher,
    private readonly outbound: Outbound,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async create(auth: AuthContext, input: CreateWebhookDto): Promise<WebhookView & { secret: string }> {
    const tenant = this.access.tenant(auth, 'webhooks.manage');
    // The URL's text, and the addresses its name resolves to now (each delivery checks them again when it connects).
    const refusal = await this.outbound.refusal(input.url);
    if (refusal) throw new UnprocessableRequest(`url ${refusal}`, [{ path: 'url', message: refusal }]);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const endpoint = await this.endpoints.insert(tenant, { url: input.url, events: input.events ?? [...DEFAULT_WEBHOOK_EVENTS], secret: this.cipher.encrypt(secret) });
    await this.audit.recordAs(auth, 'webhook.created', { type: 'webhook', id: endpoint.id }, { url: endpoint.url, events: endpoint.events });
    return { ...toView(endpoint), secret };
  }

  async list(auth: AuthContext): Promise<{ data: WebhookView[]; nextCursor: null }> {
    return { data: (await this.endpoints.list(this.access.tenant(auth, 'webhooks.manage'))).map(toView), nextCursor: null };
  }

  async get(auth: AuthContext, id: string): Promise<WebhookView> {
    return toView(await this.find(this.access.tenant(auth, 'webhooks.manage'), id));
  }

  /** The endpoint's most recent deliveries: which event, how many tries, the last answer. */
  async deliveries(auth: AuthContext, id: string) {
    const tenant = this.access.tenant(auth, 'webhooks.manage');
    await this.find(tenant, id);
    const entries = await this.history.historyOf(tenant, id);
    return {
      data: entries.map((entry) => ({
        id: entry.id,
        eventId: entry.eventId,
        type: entry.type,
        status: entry.status,
        attempts: entry.attemptCount,
        lastStatus: entry.lastStatus,
        lastError: entry.lastError,
        nextAttemptAt: entry.status === 'pending' ? entry.nextAttemptAt.toISOString() : null,
        deliveredAt: entry.deliveredAt?.toISOString() ?? null,
        createdAt: entry.createdAt.toISOString(),
      })),
      nextCursor: null,
    };
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'webhooks.manage');
    const endpoint = await this.find(tenant, id);
    if (!(await this.endpoints.remove(tenant, id))) throw new NotFound('Webhook', id);
    await this.audit.recordAs(auth, 'webhook.deleted', { type: 'webhook', id }, { url: endpoint.url });
  }

  private async find(tenant: Tenant, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(tenant, id);
    if (!endpoint) throw new NotFound('Webhook', id);
    return endpoint;
  }
}

function toView(endpoint: WebhookEndpoint): WebhookView {
  return { id: endpoint.id, url: endpoint.url, events: endpoint.events, createdAt: endpoint.createdAt.toISOString() };
}
