import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { SYSTEM, TokenCipher, WebhookDeliveriesRepository, toStorableText } from '@herald/db';
import { signWebhook } from './signature';

export type WebhookOutcome = { kind: 'delivered' } | { kind: 'skipped' } | { kind: 'later'; at: Date } | { kind: 'failed'; reason: string };

const TIMEOUT_MS = 10_000;
/** How much of a refusing receiver's answer the history keeps: enough for an error message, not a whole page. */
const ANSWER_EXCERPT_BYTES = 500;

/**
 * Sends one event to one endpoint, signed per Standard Webhooks, and records
 * the try. A 2xx is delivered; anything else is retried with growing delays
 * up to WEBHOOK_MAX_ATTEMPTS, then failed. The same event keeps its
 * `webhook-id` on every try, so receivers can de-duplicate. A refusal's
 * status and the start of its body are kept as the delivery's last error,
 * made storable: the receiver's bytes may hold anything, NUL included.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly cipher: TokenCipher,
  ) {}

  async deliver(webhookDeliveryId: string): Promise<WebhookOutcome> {
    const row = await this.deliveries.pending(SYSTEM, webhookDeliveryId);
    if (!row) return { kind: 'skipped' };
    if (row.nextAttemptAt.getTime() > Date.now() + 50) return { kind: 'later', at: row.nextAttemptAt };

    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    let excerpt = '';
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Herald-Webhooks/1',
          'webhook-id': row.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.cipher.decrypt(row.secret), row.eventId, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      if (status >= 200 && status < 300) await response.body?.cancel();
      else excerpt = await answerExcerpt(response);
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    }
    const attempts = row.attemptCount + 1;
    if (status !== null && status >= 200 && status < 300) {
      await this.deliveries.markDelivered(SYSTEM, row.id, { attempts, status, error: null });
      return { kind: 'delivered' };
    }
    const reason = toStorableText(error ?? `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`);
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

/** The first bytes of an answer's body as text, the rest dropped unread; what could be read if reading fails. */
async function answerExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ANSWER_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A receiver that stalls or resets mid-answer: keep what arrived.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // Bytes that are not UTF-8 (or a character cut at the limit) read as U+FFFD.
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, ANSWER_EXCERPT_BYTES)).trim();
}
