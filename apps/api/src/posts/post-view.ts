import { ActorRef, Attempt, DeliveryWithNetwork, NamedActor, Post, ScheduleValue } from '@herald/db';

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
  | { reason: 'network_unavailable' | 'network_degraded'; host: string | null; since: string | null; until: string | null }
  | { reason: 'rate_limited'; until: string | null }
  | { reason: 'channel_disconnected' };

/** Who did something, as the API shows it: a person (their name, else their email) or an API key (its name); `name` null when it is gone. */
export interface ActorView {
  kind: ActorRef['kind'];
  id: string;
  name: string | null;
}

/** The last approval decision: approved, or rejected with the reviewer's note. */
export interface ReviewView {
  state: 'approved' | 'rejected';
  note: string | null;
  by: ActorView | null;
  at: string;
}

export interface PostView {
  id: string;
  status: string;
  text: string;
  media: Post['media'];
  variants: Post['variants'];
  /** The schedule last asked for the post, as given (null for posts from before it was kept). */
  schedule: ScheduleValue | null;
  createdAt: string;
  updatedAt: string;
  createdBy: ActorView | null;
  updatedBy: ActorView | null;
  approvedBy: ActorView | null;
  approvedAt: string | null;
  review: ReviewView | null;
  deliveries: DeliveryView[];
}

/** The names of the people and keys that acted on some posts, by kind and id (see `actorKey`). */
export type ActorNames = Map<string, string | null>;

export function actorNames(actors: NamedActor[]): ActorNames {
  return new Map(actors.map((actor) => [actorKey(actor), actor.name]));
}

function actorKey(actor: ActorRef): string {
  return `${actor.kind}:${actor.id}`;
}

function actorView(actor: ActorRef | null, names: ActorNames): ActorView | null {
  return actor ? { kind: actor.kind, id: actor.id, name: names.get(actorKey(actor)) ?? null } : null;
}

export function toPostView(post: Post, deliveries: DeliveryWithNetwork[], names: ActorNames, attempts?: Map<string, Attempt[]>): PostView {
  const review = post.review && { state: post.review.state, note: post.review.note, by: actorView(post.review.by, names), at: post.review.at.toISOString() };
  const approved = review?.state === 'approved' ? review : null;
  return {
    id: post.id,
    status: post.status,
    text: post.text,
    media: post.media,
    variants: post.variants,
    schedule: post.schedule,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    createdBy: actorView(post.createdBy, names),
    updatedBy: actorView(post.updatedBy, names),
    approvedBy: approved?.by ?? null,
    approvedAt: approved?.at ?? null,
    review,
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
  return { reason: waiting.reason, host: waiting.host ?? null, since: waiting.since ?? null, until: waiting.until ?? null };
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
