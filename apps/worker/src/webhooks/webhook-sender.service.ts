import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { Outbound, OutboundFailed, OutboundRefused } from '@herald/channels';
import { SYSTEM, TokenCipher, WebhookDeliveriesRepository, toStorableText } from '@herald/db';
import { signWebhook } from './signature';

export type WebhookOutcome = { kind: 'delivered' } | { kind: 'skipped' } | { kind: 'later'; at: Date } | { kind: 'failed'; reason: string };

const TIMEOUT_MS = 10_000;
/** What is read of a receiver's answer before the connection is let go; none of it is kept. */
const ANSWER_READ_BYTES = 64 * 1024;

/**
 * Sends one event to one endpoint, signed per Standard Webhooks, and records
 * the try. A 2xx is delivered; anything else is retried with growing delays
 * up to WEBHOOK_MAX_ATTEMPTS, then failed. The same event keeps its
 * `webhook-id` on every try, so receivers can de-duplicate. The request
 * goes through `Outbound` (the URL policy, checked again at each send
 * against the address the name resolves to then; no redirect followed).
 * A refusal's status and a short reason of Herald's own are kept as the
 * delivery's last error, never the receiver's body: it is not Herald's to
 * show back (PRODUCT.md section 15).
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly cipher: TokenCipher,
    private readonly outbound: Outbound,
  ) {}

  async deliver(webhookDeliveryId: string): Promise<WebhookOutcome> {
    const row = await this.deliveries.pending(SYSTEM, webhookDeliveryId);
    if (!row) return { kind: 'skipped' };
    if (row.nextAttemptAt.getTime() > Date.now() + 50) return { kind: 'later', at: row.nextAttemptAt };

    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await this.outbound.fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Herald-Webhooks/1',
          'webhook-id': row.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.cipher.decrypt(row.secret), row.eventId, timestamp, body),
        },
        body,
        timeoutMs: TIMEOUT_MS,
        maxBytes: ANSWER_READ_BYTES,
        truncate: true,
      });
      status = response.status;
    } catch (caught) {
      error = reasonOf(caught);
    }
    const attempts = row.attemptCount + 1;
    if (status !== null && status >= 200 && status < 300) {
      await this.deliveries.markDelivered(SYSTEM, row.id, { attempts, status, error: null });
      return { kind: 'delivered' };
    }
    const reason = toStorableText(error ?? `HTTP ${status}: ${status !== null && status >= 300 && status < 400 ? 'a redirect (not followed)' : 'the receiver refused'}`);
    if (attempts >= this.config.webhookMaxAttempts) {
      await this.deliveries.markFailed(SYSTEM, row.id, { attempts, status, error: reason });
      this.logger.warn({ msg: 'webhook failed for good', webhookDeliveryId: row.id, attempts, reason });
      return { kind: 'failed', reason };
    }
    const delay = Math.min(6 * 3_600_000, this.config.webhookRetryBaseMs * 5 ** (attempts - 1));
    const at = new Date(Date.now() + delay);
    await this.deliveries.scheduleRetry(SYSTEM, row.id, { attempts, status, error: reason }, at);
    return { kind: 'later', at };
  }
}

/** A failed send in Herald's words: what the policy refused, or how the connection failed (no receiver text). */
function reasonOf(caught: unknown): string {
  if (caught instanceof OutboundRefused) return `Refused: the URL ${caught.reason} (HERALD_URL_ALLOWLIST)`;
  if (caught instanceof OutboundFailed) return caught.code === 'timeout' ? `No answer within ${TIMEOUT_MS / 1000} s` : 'The receiver could not be reached';
  return caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
}
