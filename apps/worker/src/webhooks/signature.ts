/**
 * Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256>` of
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64 part of
 * the endpoint's `whsec_` secret.
 */
import { createHmac } from 'node:crypto';

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}
