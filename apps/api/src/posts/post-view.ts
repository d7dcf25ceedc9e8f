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
  attempts?: AttemptView[];
}

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
      ...(attempts ? { attempts: (attempts.get(delivery.id) ?? []).map(toAttemptView) } : {}),
    })),
  };
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
