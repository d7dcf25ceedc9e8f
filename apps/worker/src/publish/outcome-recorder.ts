import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptOutcome, Statement, WebhookEventType, recordWebhookEvents, runStatement, toStorableJson, toStorableText, toStorableTextOrNull } from '@herald/db';
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
  | { kind: 'retry'; dueAt: Date; refundAttempt: boolean }
  | { kind: 'failed'; disconnectChannel: boolean }
  /** Still `publishing`, its lease ended now: a call's outcome is unknown, and the network is given time before a lookup. */
  | { kind: 'settle' }
  | { kind: 'unchanged' };

export interface Outcome {
  deliveryId: string;
  postId: string;
  channelId: string;
  workspaceId: string;
  attempt: AttemptRecord;
  change: DeliveryChange;
  events: [WebhookEventType, Record<string, unknown>][];
}

/** The posts of a batch ($1, ids in order), locked. */
const LOCK_POSTS = new Statement(`SELECT id, status FROM posts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`);

/**
 * Every delivery's new state ($1, JSON rows; $2, their ids); a delivery no
 * longer `publishing` is left as it is. id = ANY(...) lets the primary key
 * find the rows whatever the planner's statistics say.
 */
const CHANGE_DELIVERIES = new Statement(
  `UPDATE deliveries AS d SET
       status = CASE c.kind WHEN 'published' THEN 'published' WHEN 'retry' THEN 'scheduled' WHEN 'settle' THEN 'publishing' ELSE 'failed' END,
       published_at = CASE WHEN c.kind = 'published' THEN now() ELSE d.published_at END,
       external_id = CASE WHEN c.kind = 'published' THEN c.external_id ELSE d.external_id END,
       external_url = CASE WHEN c.kind = 'published' THEN c.external_url ELSE d.external_url END,
       due_at = CASE c.kind WHEN 'retry' THEN c.due_at WHEN 'settle' THEN d.due_at END,
       lease_expires_at = CASE WHEN c.kind = 'settle' THEN now() END,
       attempt_count = d.attempt_count - CASE WHEN c.refund THEN 1 ELSE 0 END,
       last_error_code = CASE c.kind WHEN 'published' THEN NULL WHEN 'failed' THEN COALESCE(c.error_code, 'failed') ELSE c.error_code END,
       last_error_message = CASE WHEN c.kind = 'published' THEN NULL ELSE c.error_message END,
       updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, kind text, external_id text, external_url text, due_at timestamptz,
                                                refund boolean, error_code text, error_message text)
     WHERE d.id = ANY($2::uuid[]) AND d.id = c.id AND d.status = 'publishing'`,
);

/** Each outcome's attempt ($1, JSON rows), then every delivery of the posts involved ($2) as they now stand. */
const INSERT_ATTEMPTS = new Statement(
  `WITH attempt AS (
     INSERT INTO attempts (delivery_id, number, started_at, finished_at, outcome, error_code, error_message, http_status, latency_ms)
     SELECT a.delivery_id, (SELECT COALESCE(max(number), 0) + 1 FROM attempts WHERE delivery_id = a.delivery_id),
            a.started_at, a.finished_at, a.outcome, a.error_code, a.error_message, a.http_status, a.latency_ms
       FROM jsonb_to_recordset($1::jsonb) AS a(delivery_id uuid, started_at timestamptz, finished_at timestamptz, outcome text,
                                               error_code text, error_message text, http_status int, latency_ms int))
   SELECT post_id, status FROM deliveries WHERE post_id = ANY($2::uuid[])`,
);

const SET_POST_STATUSES = new Statement(
  `UPDATE posts AS p SET status = s.status, updated_at = date_trunc('milliseconds', now())
     FROM unnest($1::uuid[], $2::text[]) AS s(id, status) WHERE p.id = s.id`,
);

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
    private readonly webhooks: WebhookQueue,
  ) {}

  /** Resolves once the outcome is committed (and its webhooks are queued); rejects if it could not be. */
  record(outcome: Outcome): Promise<void> {
    return this.batches.submit(outcome);
  }

  private async commit(outcomes: Outcome[]): Promise<void> {
    const webhookDeliveries = await this.dataSource.transaction((manager) => this.write(manager, outcomes));
    await this.webhooks.enqueue(webhookDeliveries);
  }

  private async write(manager: EntityManager, outcomes: Outcome[]): Promise<string[]> {
    const postIds = [...new Set(outcomes.map((outcome) => outcome.postId))].sort();
    const posts = await runStatement<{ id: string; status: string }>(manager, LOCK_POSTS, [postIds]);
    await this.changeDeliveries(manager, outcomes);
    const siblings = await runStatement<{ post_id: string; status: DeliveryStatus }>(manager, INSERT_ATTEMPTS, [
      JSON.stringify(outcomes.map(attemptRow)),
      postIds,
    ]);
    const events = outcomes.flatMap((outcome) => outcome.events.map((event) => ({ workspaceId: outcome.workspaceId, event })));
    const changed = this.derivedStatuses(posts, siblings);
    if (changed.length > 0) {
      await runStatement(manager, SET_POST_STATUSES, [changed.map((post) => post.id), changed.map((post) => post.status)]);
      const workspaceOf = new Map(outcomes.map((outcome) => [outcome.postId, outcome.workspaceId]));
      for (const { id, status } of changed) {
        const workspaceId = workspaceOf.get(id)!;
        if (status === 'published') events.push({ workspaceId, event: ['post.published', { postId: id, status }] });
        if (status === 'failed' || status === 'partially_published') events.push({ workspaceId, event: ['post.failed', { postId: id, status }] });
      }
    }
    // An event carries the network's words (a failure's message): made storable like the attempt's.
    return recordWebhookEvents(
      manager,
      events.map(({ workspaceId, event }) => ({ workspaceId, type: event[0], data: toStorableJson(event[1]) })),
    );
  }

  /** Every delivery's new state in one statement; a delivery no longer `publishing` is left as it is. */
  private async changeDeliveries(manager: EntityManager, outcomes: Outcome[]): Promise<void> {
    const changes = outcomes.filter((outcome) => outcome.change.kind !== 'unchanged').map(changeRow);
    if (changes.length > 0) {
      await runStatement(manager, CHANGE_DELIVERIES, [JSON.stringify(changes), changes.map((change) => change.id)]);
    }
    const disconnected = outcomes.filter((outcome) => outcome.change.kind === 'failed' && outcome.change.disconnectChannel);
    if (disconnected.length > 0) {
      await manager.query(`UPDATE channels SET status = 'disconnected', updated_at = now() WHERE id = ANY($1::uuid[])`, [
        [...new Set(disconnected.map((outcome) => outcome.channelId))],
      ]);
    }
  }

  /** Posts whose status, derived from all their deliveries as they now stand, differs from the stored one. */
  private derivedStatuses(posts: { id: string; status: string }[], siblings: { post_id: string; status: DeliveryStatus }[]) {
    const byPost = new Map<string, DeliveryStatus[]>(posts.map((post) => [post.id, []]));
    for (const sibling of siblings) byPost.get(sibling.post_id)?.push(sibling.status);
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
function attemptRow(outcome: Outcome) {
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

function changeRow(outcome: Outcome) {
  const { change, attempt } = outcome;
  return {
    id: outcome.deliveryId,
    kind: change.kind,
    external_id: change.kind === 'published' ? toStorableTextOrNull(change.externalId) : null,
    external_url: change.kind === 'published' ? toStorableText(change.externalUrl) : null,
    due_at: change.kind === 'retry' ? change.dueAt.toISOString() : null,
    refund: change.kind === 'retry' && change.refundAttempt,
    error_code: toStorableTextOrNull(attempt.errorCode?.slice(0, 64)),
    error_message: toStorableTextOrNull(attempt.errorMessage),
  };
}
