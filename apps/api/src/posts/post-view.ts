import { ActorRef, Attempt, DeliveryPart, DeliveryWithNetwork, NamedActor, Post, ScheduleValue } from '@herald/db';

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
  /** Each part of the post on this channel, in order (one for a post of one part, the delivery itself). */
  parts: DeliveryPartView[];
  /** The first comment on this channel; null when the post has none. */
  firstComment: DeliveryStepView | null;
  /** When unpublish took it off its network (status `deleted`). */
  deletedAt: string | null;
  /** An unpublish under way (`pending`) or given up (`failed`, with why); null otherwise. */
  unpublish: UnpublishStateView | null;
  attempts?: AttemptView[];
}

export interface UnpublishStateView {
  status: 'pending' | 'failed';
  attempts: number;
  lastError: { code: string; message: string | null } | null;
}

/**
 * One step of a delivery: `published` (with its link), `failed` (with why),
 * `pending` (a failed delivery's step not reached yet: a retry sends it),
 * or else the delivery's own status (scheduled, publishing, ...).
 */
export interface DeliveryStepView {
  status: string;
  externalId: string | null;
  externalUrl: string | null;
  lastError: { code: string; message: string | null } | null;
}

export interface DeliveryPartView extends DeliveryStepView {
  index: number;
}

/** A part of a post as written: its text and media. */
export interface PostPartView {
  text: string;
  media: Post['media'];
  /** Its own text on some channels, by channel id (parts after the first). */
  variants?: Record<string, string>;
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
  /** The post's parts, in order: one for a post (its text and media), two or more for a thread. */
  parts: PostPartView[];
  firstComment: { text: string } | null;
  /** What it tells only some networks, by network (`{}`: nothing); a channel's own defaults are not repeated here. */
  networkOptions: Record<string, Record<string, unknown>>;
  createdAt: string;
  updatedAt: string;
  createdBy: ActorView | null;
  updatedBy: ActorView | null;
  approvedBy: ActorView | null;
  approvedAt: string | null;
  review: ReviewView | null;
  /** Its tags (lower case). */
  tags: string[];
  /** A channel that recycles may put it back in its queue once published. */
  evergreen: boolean;
  /** The recurring series it is an occurrence of, and the occurrence's time; null for other posts. */
  series: { id: string; occurrenceAt: string | null } | null;
  /** A recycled evergreen post's original. */
  recycledFrom: string | null;
  /** Channels where the evergreen post is not recycled, and why. */
  evergreenSkips: { channelId: string; at: string; reason: string }[];
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

export function toPostView(post: Post, deliveries: DeliveryWithNetwork[], names: ActorNames, attempts?: Map<string, Attempt[]>, steps?: Map<string, DeliveryPart[]>): PostView {
  const review = post.review && { state: post.review.state, note: post.review.note, by: actorView(post.review.by, names), at: post.review.at.toISOString() };
  const approved = review?.state === 'approved' ? review : null;
  return {
    id: post.id,
    status: post.status,
    text: post.text,
    media: post.media,
    variants: post.variants,
    schedule: post.schedule,
    parts: post.parts ? post.parts.map((part) => ({ text: part.text, media: part.media, ...(part.variants ? { variants: part.variants } : {}) })) : [{ text: post.text, media: post.media }],
    firstComment: post.firstComment ? { text: post.firstComment.text } : null,
    networkOptions: post.networkOptions ?? {},
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    createdBy: actorView(post.createdBy, names),
    updatedBy: actorView(post.updatedBy, names),
    approvedBy: approved?.by ?? null,
    approvedAt: approved?.at ?? null,
    review,
    tags: post.tags,
    evergreen: post.evergreen,
    series: post.seriesId ? { id: post.seriesId, occurrenceAt: post.occurrenceAt?.toISOString() ?? null } : null,
    recycledFrom: post.recycledFrom,
    evergreenSkips: Object.entries(post.evergreenSkips ?? {}).map(([channelId, skip]) => ({ channelId, at: skip.at, reason: skip.reason })),
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
      deletedAt: delivery.deletedAt?.toISOString() ?? null,
      unpublish: unpublishOf(delivery),
      ...stepsView(post, delivery, steps?.get(delivery.id) ?? []),
      ...(attempts ? { attempts: (attempts.get(delivery.id) ?? []).map(toAttemptView) } : {}),
    })),
  };
}

/**
 * A delivery's parts and first comment as `delivery_parts` records them; a
 * post of one part and no comment has one part, the delivery itself.
 */
function stepsView(post: Post, delivery: DeliveryWithNetwork, rows: DeliveryPart[]): Pick<DeliveryView, 'parts' | 'firstComment'> {
  const lastError = delivery.lastErrorCode ? { code: delivery.lastErrorCode, message: delivery.lastErrorMessage } : null;
  if (!post.parts && !post.firstComment) {
    return { parts: [{ index: 0, status: delivery.status, externalId: delivery.externalId, externalUrl: delivery.externalUrl, lastError }], firstComment: null };
  }
  const byIndex = new Map(rows.map((row) => [row.index, row]));
  const step = (index: number): DeliveryStepView => {
    const row = byIndex.get(index);
    if (row && (row.status === 'published' || row.status === 'failed')) {
      return {
        status: row.deletedAt ? 'deleted' : row.status,
        externalId: row.externalId,
        externalUrl: row.externalUrl,
        lastError: row.status === 'failed' && row.lastErrorCode ? { code: row.lastErrorCode, message: row.lastErrorMessage } : null,
      };
    }
    return { status: delivery.status === 'failed' ? 'pending' : delivery.status, externalId: null, externalUrl: null, lastError: null };
  };
  const count = post.parts?.length ?? 1;
  return {
    parts: Array.from({ length: count }, (_, index) => ({ index, ...step(index) })),
    firstComment: post.firstComment ? step(count) : null,
  };
}

/** A published delivery being unpublished (its delete due), or whose unpublish gave up (its error kept). */
function unpublishOf(delivery: DeliveryWithNetwork): UnpublishStateView | null {
  if (delivery.status !== 'published') return null;
  const lastError = delivery.unpublishErrorCode ? { code: delivery.unpublishErrorCode, message: delivery.unpublishErrorMessage } : null;
  if (delivery.unpublishDueAt) return { status: 'pending', attempts: delivery.unpublishAttempts, lastError };
  return lastError ? { status: 'failed', attempts: delivery.unpublishAttempts, lastError } : null;
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
