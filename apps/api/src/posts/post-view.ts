import { Attempt, DeliveryWithNetwork, Post } from '@herald/db';

export interface AttemptView {
  number: number;
  startedAt: string;
  finishedAt: string;
  outcome: string;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  latencyMs: number;
}

export interface DeliveryView {
  id: string;
  channelId: string;
  network: string;
  status: string;
  scheduledAt: string | null;
  publishedAt: string | null;
  externalId: string | null;
  externalUrl: string | null;
  attemptCount: number;
  lastError: { code: string; message: string | null } | null;
  /** Why a scheduled delivery waits past its time, while it does; null otherwise. */
  waitingFor: WaitingForView | null;
  attempts?: AttemptView[];
}

export type WaitingForView =
  | { reason: 'network_unavailable'; host: string | null; since: string | null; until: string | null }
  | { reason: 'rate_limited'; until: string | null }
  | { reason: 'channel_disconnected' };

export interface PostView {
  id: string;
  status: string;
  text: string;
  media: Post['media'];
  variants: Post['variants'];
  createdAt: string;
  updatedAt: string;
  deliveries: DeliveryView[];
}



export function toPostView(post: Post, deliveries: DeliveryWithNetwork[], attempts?: Map<string, Attempt[]>): PostView {
  return {
    id: post.id,
    status: post.status,
    text: post.text,
    media: post.media,
    variants: post.variants,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    deliveries: deliveries.map((delivery) => ({
      id: delivery.id,
      channelId: delivery.channelId,
      network: delivery.network,
      status: delivery.status,
      scheduledAt: delivery.scheduledAt?.toISOString() ?? null,
      publishedAt: delivery.publishedAt?.toISOString() ?? null,
      externalId: delivery.externalId,
      externalUrl: delivery.externalUrl,
      attemptCount: delivery.attemptCount,
      lastError: delivery.lastErrorCode ? { code: delivery.lastErrorCode, message: delivery.lastErrorMessage } : null,
      waitingFor: waitingForOf(delivery),
      ...(attempts ? { attempts: (attempts.get(delivery.id) ?? []).map(toAttemptView) } : {}),
    })),
  };
}

/** Only a delivery still to be published waits; a disconnected channel's wait outranks what it waited for before. */
function waitingForOf(delivery: DeliveryWithNetwork): WaitingForView | null {
  if (delivery.status !== 'scheduled') return null;
  if (delivery.channelStatus === 'disconnected') return { reason: 'channel_disconnected' };
  const waiting = delivery.waitingFor;
  if (!waiting) return null;
  if (waiting.reason === 'rate_limited') return { reason: 'rate_limited', until: waiting.until ?? null };
  return { reason: 'network_unavailable', host: waiting.host ?? null, since: waiting.since ?? null, until: waiting.until ?? null };
}

function toAttemptView(attempt: Attempt): AttemptView {
  return {
    number: attempt.number,
    startedAt: attempt.startedAt.toISOString(),
    finishedAt: attempt.finishedAt.toISOString(),
    outcome: attempt.outcome,
    errorCode: attempt.errorCode,
    errorMessage: attempt.errorMessage,
    httpStatus: attempt.httpStatus,
    latencyMs: attempt.latencyMs,
  };
}
