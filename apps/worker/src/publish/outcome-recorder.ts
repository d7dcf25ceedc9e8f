import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AttemptOutcome,
  AttemptsRepository,
  ChannelsRepository,
  DeliveriesRepository,
  Executor,
  NewAttemptRow,
  OutcomeChangeRow,
  PostsRepository,
  SYSTEM,
  WebhookEventType,
  WaitingFor,
  WebhookEventsRepository,
  inTransaction,
  toStorableJson,
  toStorableText,
  toStorableTextOrNull,
} from '@herald/db';
import { WebhookQueue } from '@herald/queue';
import { DeliveryStatus, derivePostStatus } from '@herald/scheduling';
import { Batcher } from './batcher';

export interface AttemptRecord {
  startedAt: Date;
  finishedAt: Date;
  outcome: AttemptOutcome;
  errorCode?: string;
  errorMessage?: string;
  httpStatus?: number;
}

/** What an outcome does to its delivery (only while the delivery is still `publishing`). */
export type DeliveryChange =
  | { kind: 'published'; externalId: string | null; externalUrl: string }
  | { kind: 'retry'; dueAt: Date; refundAttempt: boolean; waitingFor?: WaitingFor }
  /** `error`: the delivery's last error when it is not the attempt's own (a summary: the retry window passed). */
  | { kind: 'failed'; disconnectChannel: boolean; error?: { code: string; message: string } }
  /** Still `publishing`, its lease ended now: a call's outcome is unknown, and the network is given time before a lookup. */
  | { kind: 'settle' }
  /** Not published: later than its channel's `staleAfterSeconds` allows. */
  | { kind: 'missed' }
  | { kind: 'unchanged' };

export interface Outcome {
  deliveryId: string;
  /** The claim it is the outcome of: only a publication changes a delivery another worker has taken over since (see applyOutcomes). */
  claimToken: string;
  postId: string;
  channelId: string;
  workspaceId: string;
  attempt: AttemptRecord;
  change: DeliveryChange;
  events: [WebhookEventType, Record<string, unknown>][];
  /** The step of a thread (or the first comment) a failure is of: named in the post's `post.failed`. */
  failedPart?: { index: number; kind: 'part' | 'comment' };
}

/** Outcomes written in one transaction at most; more wait for the next. */
const MAX_BATCH = 200;

/**
 * Records publish outcomes: the delivery's new state, its attempt, its post's
 * derived status and the webhook events they cause, in one transaction,
 * group-committed (see Batcher) with the outcomes that arrive meanwhile.
 * Every post involved is locked first, in id order (the order every writer
 * of posts and deliveries keeps, so none deadlock).
 */
@Injectable()
export class OutcomeRecorder {
  private readonly logger = new Logger(OutcomeRecorder.name);
  private readonly batches = new Batcher<Outcome, void>(
    async (outcomes) => {
      await this.commit(outcomes);
      return outcomes.map(() => undefined);
    },
    MAX_BATCH,
    (size, error) => this.logger.warn({ msg: 'a batch of outcomes failed; writing them one by one', size, error: String(error) }),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly attempts: AttemptsRepository,
    private readonly channels: ChannelsRepository,
    private readonly events: WebhookEventsRepository,
    private readonly webhooks: WebhookQueue,
  ) {}

  /** Resolves once the outcome is committed (and its webhooks are queued); rejects if it could not be. */
  record(outcome: Outcome): Promise<void> {
    return this.batches.submit(outcome);
  }

  private async commit(outcomes: Outcome[]): Promise<void> {
    const webhookDeliveries = await inTransaction(this.dataSource, (tx) => this.write(tx, outcomes));
    await this.webhooks.enqueue(webhookDeliveries);
  }

  private async write(tx: Executor, outcomes: Outcome[]): Promise<string[]> {
    const postIds = [...new Set(outcomes.map((outcome) => outcome.postId))].sort();
    const posts = await this.posts.lockAny(SYSTEM, postIds, tx);
    await this.changeDeliveries(tx, outcomes);
    const siblings = await this.attempts.insertReadingSiblings(SYSTEM, outcomes.map(attemptRow), postIds, tx);
    const events = outcomes.flatMap((outcome) => outcome.events.map((event) => ({ workspaceId: outcome.workspaceId, event })));
    const changed = this.derivedStatuses(posts, siblings);
    if (changed.length > 0) {
      await this.posts.setStatusesAny(SYSTEM, changed, tx);
      const workspaceOf = new Map(outcomes.map((outcome) => [outcome.postId, outcome.workspaceId]));
      for (const { id, status } of changed) {
        const workspaceId = workspaceOf.get(id)!;
        if (status === 'published') events.push({ workspaceId, event: ['post.published', { postId: id, status }] });
        if (status === 'failed' || status === 'partially_published') {
          const parts = outcomes.filter((outcome) => outcome.postId === id && outcome.failedPart).map((outcome) => ({ deliveryId: outcome.deliveryId, ...outcome.failedPart }));
          events.push({ workspaceId, event: ['post.failed', { postId: id, status, ...(parts.length > 0 ? { parts } : {}) }] });
        }
      }
    }
    // An event carries the network's words (a failure's message): made storable like the attempt's.
    return this.events.record(
      SYSTEM,
      events.map(({ workspaceId, event }) => ({ workspaceId, type: event[0], data: toStorableJson(event[1]) })),
      tx,
    );
  }

  /** Every delivery's new state in one statement; a delivery no longer `publishing`, or no longer the outcome's claim, is left as it is. */
  private async changeDeliveries(tx: Executor, outcomes: Outcome[]): Promise<void> {
    const changes = outcomes.filter((outcome) => outcome.change.kind !== 'unchanged');
    const applied = new Set(await this.deliveries.applyOutcomes(SYSTEM, changes.map(changeRow), tx));
    for (const outcome of changes) {
      if (applied.has(outcome.deliveryId.toLowerCase())) continue;
      // Finished already, or its claim taken over by another worker (this one stalled past its lease): left as it is.
      this.logger.warn({ msg: 'outcome of a claim no longer held; the delivery is left as it is', deliveryId: outcome.deliveryId, outcome: outcome.change.kind });
    }
    const disconnected = outcomes.filter((outcome) => outcome.change.kind === 'failed' && outcome.change.disconnectChannel);
    if (disconnected.length > 0) await this.channels.disconnect(SYSTEM, [...new Set(disconnected.map((outcome) => outcome.channelId))], tx);
  }

  /** Posts whose status, derived from all their deliveries as they now stand, differs from the stored one. */
  private derivedStatuses(posts: { id: string; status: string }[], siblings: { postId: string; status: string }[]) {
    const byPost = new Map<string, DeliveryStatus[]>(posts.map((post) => [post.id, []]));
    for (const sibling of siblings) byPost.get(sibling.postId)?.push(sibling.status as DeliveryStatus);
    return posts
      .map((post) => ({ id: post.id, status: derivePostStatus(byPost.get(post.id) ?? []), stored: post.status }))
      .filter((post) => post.status !== post.stored);
  }
}

/*
 * The rows below carry text a network wrote (its error message, its post's
 * id and URL). A network may answer with NUL or a lone surrogate, and a
 * slice can cut a surrogate pair in two: made storable (U+FFFD) after
 * slicing, so the attempt is recorded rather than lost to a database error.
 */
function attemptRow(outcome: Outcome): NewAttemptRow {
  const { attempt } = outcome;
  return {
    delivery_id: outcome.deliveryId,
    started_at: attempt.startedAt.toISOString(),
    finished_at: attempt.finishedAt.toISOString(),
    outcome: attempt.outcome,
    error_code: toStorableTextOrNull(attempt.errorCode?.slice(0, 64)),
    error_message: toStorableTextOrNull(attempt.errorMessage?.slice(0, 2000)),
    http_status: attempt.httpStatus ?? null,
    latency_ms: Math.round(attempt.finishedAt.getTime() - attempt.startedAt.getTime()),
  };
}

function changeRow(outcome: Outcome): OutcomeChangeRow {
  const { change, attempt } = outcome;
  return {
    id: outcome.deliveryId,
    kind: change.kind as OutcomeChangeRow['kind'],
    external_id: change.kind === 'published' ? toStorableTextOrNull(change.externalId) : null,
    external_url: change.kind === 'published' ? toStorableText(change.externalUrl) : null,
    due_at: change.kind === 'retry' ? change.dueAt.toISOString() : null,
    refund: change.kind === 'retry' && change.refundAttempt,
    error_code: toStorableTextOrNull((change.kind === 'failed' && change.error ? change.error.code : attempt.errorCode)?.slice(0, 64)),
    error_message: toStorableTextOrNull(change.kind === 'failed' && change.error ? change.error.message : attempt.errorMessage),
    waiting_for: change.kind === 'retry' ? (change.waitingFor ?? null) : null,
    claim_token: outcome.claimToken,
  };
}
