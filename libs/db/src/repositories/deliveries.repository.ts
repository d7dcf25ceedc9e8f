/**
 * `deliveries`: one post on one channel, the unit that is scheduled, claimed
 * and published. The API reads and re-times a workspace's deliveries; the
 * worker claims them by id under a row lock with a lease and records their
 * outcomes (SYSTEM: a job carries only the delivery's id).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Delivery, WaitingFor } from '../entities/delivery.entity';
import type { FirstCommentValue, MediaValue, PostPartValue } from '../entities/post.entity';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = `d.id, d.post_id, d.workspace_id, d.channel_id, d.status, d.schedule_mode, d.scheduled_at, d.due_at, d.claimed_at,
  d.lease_expires_at, d.attempt_count, d.published_at, d.external_id, d.external_url, d.network_ref, d.waiting_for, d.last_error_code,
  d.last_error_message, d.created_at, d.updated_at, d.deleted_at, d.unpublish_due_at, d.unpublish_attempts, d.unpublish_error_code, d.unpublish_error_message`;

/**
 * A delivery that may be claimed: scheduled, due, on an active channel. The
 * channel is read by a scalar subquery, never joined: joined, a planner
 * without statistics drove the claim from the two channels and read every
 * delivery they have (546 ms for 16 claims on 200,000 rows; 5 ms this way).
 */
const CLAIMABLE = `d.status = 'scheduled' AND d.due_at <= now() + interval '25 milliseconds'
  AND (SELECT c.status = 'active' AND c.deleted_at IS NULL FROM channels c WHERE c.id = d.channel_id)`;

/**
 * The claimed rows with their channel and post, each found by primary key
 * (LATERAL: a nested loop whatever the planner's statistics say, so a batch
 * never scans the posts table).
 */
const CLAIMED_FROM = `claimed d
  CROSS JOIN LATERAL (SELECT network, handle, access_token, account_id, host, token_expires_at, details, post_defaults, network_options, stale_after_seconds FROM channels WHERE id = d.channel_id) c
  CROSS JOIN LATERAL (SELECT text, media, variants, request_id, parts, first_comment, network_options FROM posts WHERE id = d.post_id) p`;

const CLAIMED_COLUMNS = `d.id, d.workspace_id, d.post_id, d.channel_id, d.attempt_count, d.scheduled_at, d.claimed_at, d.claim_token, d.network_ref, d.network_media, d.last_error_code, d.waiting_for,
  c.network, c.handle, c.access_token, c.account_id, c.host, c.token_expires_at, c.details, c.post_defaults, c.stale_after_seconds, p.text, p.media, p.variants, p.request_id,
  p.parts, p.first_comment, c.network_options || coalesce(p.network_options -> c.network, '{}'::jsonb) AS network_options, (SELECT json_agg(s ORDER BY s.idx) FROM delivery_parts s WHERE s.delivery_id = d.id) AS steps`;

/**
 * A claim: a fresh `claim_token` (a fencing token) with it. The claiming
 * worker's later writes carry it, so they change nothing once another worker
 * has taken the claim over (see `reclaim`): a worker that stalled past its
 * lease cannot undo what the one that recovered the delivery is doing.
 */
const CLAIM = `SET status = 'publishing', claimed_at = now(), claim_token = gen_random_uuid(), lease_expires_at = now() + make_interval(secs => $2),
            attempt_count = d.attempt_count + 1, updated_at = now()`;

/** How many posts a delivery (d, of post p) makes on its network: each part of a thread, and a first comment where $6 says it is a reply. */
const POSTS_MADE = `(coalesce(jsonb_array_length(p.parts), 1) + CASE WHEN $6::boolean AND p.first_comment IS NOT NULL THEN 1 ELSE 0 END)`;

export const DELIVERIES_SQL = {
  // --- the API, a workspace's deliveries
  /** The deliveries of some posts ($2) with their channel's network and status (the channel by primary key, LATERAL: see CLAIMED_FROM). */
  ofPosts: new Statement(
    `SELECT ${COLUMNS}, c.network, c.channel_status FROM deliveries d
       CROSS JOIN LATERAL (SELECT network, status AS channel_status FROM channels WHERE id = d.channel_id) c
      WHERE d.workspace_id = $1 AND d.post_id = ANY($2::uuid[]) ORDER BY d.created_at, d.id`,
  ),
  /** A post's deliveries, row-locked in id order (after its post's lock). */
  ofPostLocked: new Statement(`SELECT ${COLUMNS} FROM deliveries d WHERE d.workspace_id = $1 AND d.post_id = $2 ORDER BY d.id FOR UPDATE`),
  statusesOfPosts: new Statement(`SELECT post_id, status FROM deliveries WHERE workspace_id = $1 AND post_id = ANY($2::uuid[])`),
  /** A new time ($3), mode ($4) and status ($5); only a scheduled delivery is due (a draft or one pending approval is not). */
  reschedule: new Statement(
    `UPDATE deliveries SET scheduled_at = $3, due_at = CASE WHEN $5 = 'scheduled' THEN $3::timestamptz END, schedule_mode = $4, status = $5, updated_at = now()
      WHERE workspace_id = $1 AND id = $2`,
  ),
  /** Lets go of a delivery's slot while it is re-timed (so it does not hold the slot it is leaving). */
  releaseSlot: new Statement(
    `UPDATE deliveries SET status = 'draft', scheduled_at = NULL WHERE workspace_id = $1 AND id = $2 AND status IN ('draft', 'pending_approval', 'scheduled')`,
  ),
  cancel: new Statement(
    `UPDATE deliveries SET status = 'cancelled', due_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status IN ('draft', 'pending_approval', 'scheduled')`,
  ),
  requeueFailed: new Statement(
    `UPDATE deliveries SET status = 'scheduled', due_at = $3, attempt_count = 0, last_error_code = NULL,
            last_error_message = NULL, claimed_at = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status = 'failed'`,
  ),
  /** New times ($3) for many deliveries ($2) in one statement. */
  retime: new Statement(
    `UPDATE deliveries AS d SET scheduled_at = m.at, due_at = m.at, updated_at = now()
       FROM unnest($2::uuid[], $3::timestamptz[]) AS m(id, at)
      WHERE d.workspace_id = $1 AND d.id = m.id`,
  ),
  /** A channel's queued deliveries (mode queue or next, not yet claimed), front first, row-locked. */
  queuedLocked: new Statement(
    `SELECT id, scheduled_at FROM deliveries
      WHERE workspace_id = $1 AND channel_id = $2 AND status = 'scheduled' AND schedule_mode IN ('queue', 'next')
      ORDER BY scheduled_at, id FOR UPDATE`,
  ),
  queued: new Statement(
    `SELECT id, scheduled_at FROM deliveries
      WHERE workspace_id = $1 AND channel_id = $2 AND status = 'scheduled' AND schedule_mode IN ('queue', 'next')
      ORDER BY scheduled_at, id`,
  ),
  /** Times a channel's deliveries hold after $3. */
  takenTimes: new Statement(
    `SELECT scheduled_at FROM deliveries WHERE workspace_id = $1 AND channel_id = $2 AND scheduled_at > $3 AND status IN ('scheduled', 'publishing')`,
  ),
  /** The same, only those the queue may not move (fixed times, claims). */
  fixedTimes: new Statement(
    `SELECT scheduled_at FROM deliveries
      WHERE workspace_id = $1 AND channel_id = $2 AND scheduled_at > $3 AND status IN ('scheduled', 'publishing')
        AND NOT (status = 'scheduled' AND schedule_mode IN ('queue', 'next'))`,
  ),
  /** A channel's slot queue as the API lists it, with each post's text for that channel. */
  queueEntries: new Statement(
    `SELECT d.id AS delivery_id, d.post_id, p.text, p.variants ->> d.channel_id::text AS variant, d.scheduled_at
       FROM deliveries d JOIN posts p ON p.id = d.post_id
      WHERE d.workspace_id = $1 AND d.channel_id = $2 AND d.status = 'scheduled' AND d.schedule_mode IN ('queue', 'next')
      ORDER BY d.scheduled_at, d.id`,
  ),
  /**
   * For each time in $3, how many posts the channel's deliveries that count
   * against a posting cap (scheduled, being published, published) make
   * within $4 seconds either side of it, summed over at most $5 deliveries
   * (the cap: more need not be counted). A delivery makes one post per part
   * of its thread, and one more for a first comment where the network
   * takes it as a reply ($6).
   */
  quotaCounts: new Statement(
    `SELECT t.at, q.n FROM unnest($3::timestamptz[]) WITH ORDINALITY AS t(at, i)
       CROSS JOIN LATERAL (SELECT coalesce(sum(c.w), 0)::int AS n FROM (
         SELECT ${POSTS_MADE} AS w FROM deliveries d JOIN posts p ON p.id = d.post_id
          WHERE d.workspace_id = $1 AND d.channel_id = $2 AND d.status IN ('scheduled', 'publishing', 'published')
            AND d.scheduled_at > t.at - make_interval(secs => $4) AND d.scheduled_at < t.at + make_interval(secs => $4) LIMIT $5) c) q
      ORDER BY t.i`,
  ),
  /** The channel's deliveries that count against a cap, scheduled within ($3, $4): each time once per post it makes (see quotaCounts), at most $5 times. */
  quotaTimes: new Statement(
    `SELECT d.scheduled_at FROM deliveries d JOIN posts p ON p.id = d.post_id CROSS JOIN LATERAL generate_series(1, ${POSTS_MADE}) AS made
      WHERE d.workspace_id = $1 AND d.channel_id = $2 AND d.status IN ('scheduled', 'publishing', 'published')
        AND d.scheduled_at > $3 AND d.scheduled_at < $4 ORDER BY d.scheduled_at LIMIT $5`,
  ),
  claimedAmong: new Statement(`SELECT id FROM deliveries WHERE workspace_id = $1 AND channel_id = $2 AND id = ANY($3::uuid[]) AND status = 'publishing'`),
  postsUnclaimedOn: new Statement(
    `SELECT DISTINCT post_id FROM deliveries WHERE workspace_id = $1 AND channel_id = $2 AND status IN ('draft', 'pending_approval', 'scheduled')`,
  ),
  cancelUnclaimedOn: new Statement(
    `UPDATE deliveries SET status = 'cancelled', due_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND channel_id = $2 AND status IN ('draft', 'pending_approval', 'scheduled') RETURNING id, post_id`,
  ),
  scheduledOn: new Statement(`SELECT id, due_at FROM deliveries WHERE workspace_id = $1 AND channel_id = $2 AND status = 'scheduled'`),

  // --- the worker: claims by id, under a row lock with a lease
  /**
   * A batch of claims ($1, the ids; $2, the lease in seconds). It locks its
   * candidates in id order and skips any another transaction holds, so it
   * never waits while holding locks (no deadlock with writers that lock
   * deliveries in another order).
   */
  claimMany: new Statement(
    `WITH candidates AS MATERIALIZED (
       SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE deliveries d ${CLAIM}
        WHERE d.id = ANY($1::uuid[]) AND d.id IN (SELECT id FROM candidates) AND ${CLAIMABLE}
       RETURNING d.*)
     SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM}`,
  ),
  /** One claim ($1, the id; $2, the lease in seconds), waiting for its row lock. */
  claimOne: new Statement(
    `WITH claimed AS (
       UPDATE deliveries d ${CLAIM}
        WHERE d.id = $1 AND ${CLAIMABLE}
       RETURNING d.*)
     SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM}`,
  ),
  /** What stands in the way of a claim, with Postgres's clock (leases are judged by it). Joined: it reads one delivery by primary key. */
  whyNot: new Statement(
    `SELECT d.status, d.due_at, d.lease_expires_at, c.status AS channel_status, c.deleted_at, now() AS db_now
       FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE d.id = $1`,
  ),
  /**
   * Takes over a claim ($1) whose lease ended more than the settle time ($3,
   * seconds) ago, with a new lease ($2, seconds) and a new claim token: the
   * worker whose claim it was can no longer write to it. `claimed_at` is
   * kept (a lookup reads the network from the first claim on).
   */
  reclaim: new Statement(
    `WITH claimed AS (
       UPDATE deliveries d SET lease_expires_at = now() + make_interval(secs => $2), claim_token = gen_random_uuid(), updated_at = now()
        WHERE d.id = $1 AND d.status = 'publishing' AND d.lease_expires_at < now() - make_interval(secs => $3)
       RETURNING d.*)
     SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM}`,
  ),
  /** A new lease ($2, seconds) for a claim ($1, its token $3) that still holds one. */
  renew: new Statement(
    `UPDATE deliveries SET lease_expires_at = now() + make_interval(secs => $2)
      WHERE id = $1 AND status = 'publishing' AND claim_token IS NOT DISTINCT FROM $3::uuid AND lease_expires_at > now() RETURNING id`,
  ),
  /**
   * Ends a claim's lease now ($1, its token $2): its worker failed with an
   * error of its own (not the network's), so the claim is recovered as an
   * interrupted one once the network has settled, not when the lease would
   * have run out.
   */
  endLease: new Statement(
    `UPDATE deliveries SET lease_expires_at = now() WHERE id = $1 AND status = 'publishing' AND claim_token IS NOT DISTINCT FROM $2::uuid AND lease_expires_at > now() RETURNING id`,
  ),
  /** Keeps the network's handle on the post ($2) on a claimed delivery ($1). */
  /**
   * A claim given back without a call (its network's host is down, its
   * budget spent): scheduled again for $2, the attempt the claim counted
   * refunded, and why it waits ($3); only by the claim whose token is $4.
   */
  release: new Statement(
    `UPDATE deliveries SET status = 'scheduled', due_at = $2, attempt_count = attempt_count - 1, lease_expires_at = NULL, waiting_for = $3, updated_at = now()
      WHERE id = $1 AND status = 'publishing' AND claim_token IS NOT DISTINCT FROM $4::uuid RETURNING id`,
  ),
  keepRef: new Statement(`UPDATE deliveries SET network_ref = $2 WHERE id = $1 AND status = 'publishing' AND claim_token IS NOT DISTINCT FROM $3::uuid RETURNING id`),
  /** Keeps the network's id of a file this delivery uploaded ($2: key, $3: {id, expiresAt}), by the claim whose token is $4. */
  keepUpload: new Statement(
    `UPDATE deliveries SET network_media = coalesce(network_media, '{}'::jsonb) || jsonb_build_object($2::text, $3::jsonb)
      WHERE id = $1 AND status = 'publishing' AND claim_token IS NOT DISTINCT FROM $4::uuid RETURNING id`,
  ),
  /**
   * The steps of a delivery of several (a thread's parts, a first comment:
   * `delivery_parts`). Each write below is by the claim whose token it
   * carries ($5 or $6), the delivery row share-locked so a takeover cannot
   * slip between the check and the write; a publication is recorded
   * whoever hears of it (the post is on the network), while the delivery
   * is still `publishing`.
   */
  keepPartRef: new Statement(
    `INSERT INTO delivery_parts (delivery_id, idx, kind, network_ref)
     SELECT d.id, $2, $3, $4 FROM deliveries d WHERE d.id = $1 AND d.status = 'publishing' AND d.claim_token IS NOT DISTINCT FROM $5::uuid FOR SHARE
     ON CONFLICT (delivery_id, idx) DO UPDATE SET network_ref = EXCLUDED.network_ref, updated_at = now()
     RETURNING delivery_id`,
  ),
  partPublished: new Statement(
    `INSERT INTO delivery_parts (delivery_id, idx, kind, status, external_id, external_url, thread_ref, published_at)
     SELECT d.id, $2, $3, 'published', $4, $5, $6, now() FROM deliveries d WHERE d.id = $1 AND d.status = 'publishing' FOR SHARE
     ON CONFLICT (delivery_id, idx) DO UPDATE SET status = 'published', external_id = EXCLUDED.external_id, external_url = EXCLUDED.external_url,
       thread_ref = EXCLUDED.thread_ref, published_at = now(), last_error_code = NULL, last_error_message = NULL, updated_at = now()
     RETURNING delivery_id`,
  ),
  partFailed: new Statement(
    `INSERT INTO delivery_parts (delivery_id, idx, kind, status, last_error_code, last_error_message)
     SELECT d.id, $2, $3, 'failed', $4, $5 FROM deliveries d WHERE d.id = $1 AND d.status = 'publishing' AND d.claim_token IS NOT DISTINCT FROM $6::uuid FOR SHARE
     ON CONFLICT (delivery_id, idx) DO UPDATE SET status = 'failed', last_error_code = EXCLUDED.last_error_code, last_error_message = EXCLUDED.last_error_message, updated_at = now()
       WHERE delivery_parts.status <> 'published'
     RETURNING delivery_id`,
  ),
  /** The steps recorded for some deliveries ($2) of a workspace ($1), as the API shows them. */
  partsOf: new Statement(
    `SELECT s.delivery_id, s.idx, s.kind, s.status, s.external_id, s.external_url, s.last_error_code, s.last_error_message, s.published_at, s.deleted_at
       FROM delivery_parts s JOIN deliveries d ON d.id = s.delivery_id
      WHERE d.workspace_id = $1 AND s.delivery_id = ANY($2::uuid[]) ORDER BY s.delivery_id, s.idx`,
  ),
  countAttempt: new Statement(`UPDATE deliveries SET attempt_count = attempt_count + 1 WHERE id = $1 RETURNING attempt_count`),
  /** The external ids other deliveries of a channel ($1, not $2) were recorded as, published since $3. */
  externalIdsSince: new Statement(
    `SELECT external_id FROM deliveries
      WHERE channel_id = $1 AND status = 'published' AND id <> $2 AND published_at >= $3 AND external_id IS NOT NULL
      LIMIT 10000`,
  ),
  /**
   * Every delivery's new state ($1, JSON rows; $2, their ids); a delivery no
   * longer `publishing` is left as it is, and so is one whose claim another
   * worker has taken over since (its token is no longer the outcome's), but
   * for a publication: the post is on the network whoever hears of it. A
   * stale worker's retry, failure or release would otherwise hand the
   * delivery back while the recovering worker publishes it, and it would be
   * published again. id = ANY(...) lets the primary key find the rows
   * whatever the planner's statistics say.
   */
  applyOutcomes: new Statement(
    `UPDATE deliveries AS d SET
         status = CASE c.kind WHEN 'published' THEN 'published' WHEN 'retry' THEN 'scheduled' WHEN 'settle' THEN 'publishing' WHEN 'missed' THEN 'missed' ELSE 'failed' END,
         published_at = CASE WHEN c.kind = 'published' THEN now() ELSE d.published_at END,
         external_id = CASE WHEN c.kind = 'published' THEN c.external_id ELSE d.external_id END,
         external_url = CASE WHEN c.kind = 'published' THEN c.external_url ELSE d.external_url END,
         due_at = CASE c.kind WHEN 'retry' THEN c.due_at WHEN 'settle' THEN d.due_at END,
         lease_expires_at = CASE WHEN c.kind = 'settle' THEN now() END,
         attempt_count = d.attempt_count - CASE WHEN c.refund THEN 1 ELSE 0 END,
         waiting_for = CASE c.kind WHEN 'published' THEN NULL WHEN 'failed' THEN NULL WHEN 'missed' THEN NULL WHEN 'settle' THEN d.waiting_for ELSE c.waiting_for END,
         last_error_code = CASE c.kind WHEN 'published' THEN NULL WHEN 'failed' THEN COALESCE(c.error_code, 'failed') ELSE c.error_code END,
         last_error_message = CASE WHEN c.kind = 'published' THEN NULL ELSE c.error_message END,
         updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, kind text, external_id text, external_url text, due_at timestamptz,
                                                  refund boolean, error_code text, error_message text, waiting_for jsonb, claim_token uuid)
       WHERE d.id = ANY($2::uuid[]) AND d.id = c.id AND d.status = 'publishing'
         AND (c.kind = 'published' OR d.claim_token IS NOT DISTINCT FROM c.claim_token)
       RETURNING d.id`,
  ),

  // --- the reconciler and the operator
  /**
   * Scheduled deliveries on live channels due by $1, after the keyset
   * position ($2, $3), $4 at a time. The channel by scalar subquery, not a
   * join, so the due_at index drives the sweep whatever the statistics.
   */
  dueBy: planned(
    `SELECT d.id, d.channel_id, d.due_at FROM deliveries d
      WHERE d.status = 'scheduled' AND d.due_at <= $1 AND (d.due_at, d.id) > ($2, $3)
        AND (SELECT c.status = 'active' AND c.deleted_at IS NULL FROM channels c WHERE c.id = d.channel_id)
      ORDER BY d.due_at, d.id LIMIT $4`,
  ),
  /** Claims whose lease ended before $1, oldest first, $2 at a time. */
  leasesEndedBefore: planned(
    `SELECT id, channel_id, lease_expires_at FROM deliveries WHERE status = 'publishing' AND lease_expires_at < $1 ORDER BY lease_expires_at LIMIT $2`,
  ),
  /** Deliveries by id, as the operator's job list shows them. */
  byIds: new Statement(
    `SELECT id, post_id, status, attempt_count, last_error_code, last_error_message, scheduled_at FROM deliveries WHERE id = ANY($1::uuid[])`,
  ),
  /** The schedule as Postgres sees it; $1, how late counts as overdue (seconds). */
  scheduleState: planned(
    `SELECT
       count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled,
       count(*) FILTER (WHERE status = 'scheduled' AND due_at <= now())::int AS due_now,
       count(*) FILTER (WHERE status = 'scheduled' AND due_at <= now() - make_interval(secs => $1))::int AS overdue,
       extract(epoch FROM now() - min(due_at) FILTER (WHERE status = 'scheduled' AND due_at <= now() - make_interval(secs => $1)))::float AS oldest_overdue,
       count(*) FILTER (WHERE status = 'publishing')::int AS publishing,
       count(*) FILTER (WHERE status = 'failed' AND updated_at > now() - interval '1 hour')::int AS failed_last_hour,
       count(*) FILTER (WHERE status = 'published' AND published_at > now() - interval '1 hour')::int AS published_last_hour
     FROM deliveries
     WHERE status IN ('scheduled', 'publishing') OR updated_at > now() - interval '1 hour'`,
  ),
};

interface DeliveryRow {
  id: string;
  post_id: string;
  workspace_id: string;
  channel_id: string;
  status: Delivery['status'];
  schedule_mode: Delivery['scheduleMode'];
  scheduled_at: Date | null;
  due_at: Date | null;
  claimed_at: Date | null;
  lease_expires_at: Date | null;
  attempt_count: number;
  published_at: Date | null;
  external_id: string | null;
  external_url: string | null;
  network_ref: string | null;
  waiting_for: WaitingFor | null;
  last_error_code: string | null;
  last_error_message: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  unpublish_due_at: Date | null;
  unpublish_attempts: number;
  unpublish_error_code: string | null;
  unpublish_error_message: string | null;
  network?: string;
  channel_status?: string;
}

/** Where a delivery stands before it is claimed: its time, how it was chosen, and its status. */
export interface DeliveryTiming {
  at: Date | null;
  mode: Delivery['scheduleMode'];
  status: Extract<Delivery['status'], 'draft' | 'pending_approval' | 'scheduled'>;
}

/** A delivery with its channel's network and status, as the API shows it. */
export type DeliveryWithNetwork = Delivery & { network: string; channelStatus?: string };

/** What a claim reads: the delivery, its channel (the token still encrypted) and its post. */
export interface ClaimedRow {
  id: string;
  workspaceId: string;
  postId: string;
  channelId: string;
  attemptCount: number;
  scheduledAt: Date | null;
  claimedAt: Date;
  /** This claim's fencing token: the worker's later writes to the delivery carry it. */
  claimToken: string;
  networkRef: string | null;
  /** What the last try ended with (a duplicate-content refusal changes what a lookup that finds nothing means). */
  lastErrorCode: string | null;
  /** Why it waited last, if it did (the time a circuit breaker handed it). */
  waitingFor: WaitingFor | null;
  network: string;
  handle: string;
  /** Encrypted. */
  accessToken: string;
  accountId: string | null;
  host: string | null;
  tokenExpiresAt: Date | null;
  details: Record<string, unknown>;
  postDefaults: Record<string, unknown>;
  staleAfterSeconds: number | null;
  text: string;
  media: MediaValue[];
  variants: Record<string, string>;
  requestId: string | null;
  /** Files earlier tries uploaded: the network's id by media key, with when the network forgets it. */
  networkMedia: Record<string, { id: string; expiresAt?: string }>;
  /** A thread's parts (null: one part, `text` and `media`). */
  parts: PostPartValue[] | null;
  firstComment: FirstCommentValue | null;
  /** What the post tells only this network, over the channel's own defaults (`{}`: nothing). */
  networkOptions: Record<string, unknown>;
  /** What `delivery_parts` holds of its steps so far (empty for a delivery of one step, or none taken yet). */
  steps: DeliveryStepRow[];
}

interface ClaimedDbRow {
  id: string;
  workspace_id: string;
  post_id: string;
  channel_id: string;
  attempt_count: number;
  scheduled_at: Date | null;
  claimed_at: Date;
  claim_token: string;
  network_ref: string | null;
  network_media: Record<string, { id: string; expiresAt?: string }> | null;
  last_error_code: string | null;
  waiting_for: WaitingFor | null;
  network: string;
  handle: string;
  access_token: string;
  account_id: string | null;
  host: string | null;
  token_expires_at: Date | null;
  details: Record<string, unknown>;
  post_defaults: Record<string, unknown>;
  stale_after_seconds: number | null;
  text: string;
  media: ClaimedRow['media'];
  variants: Record<string, string>;
  request_id: string | null;
  parts: PostPartValue[] | null;
  first_comment: FirstCommentValue | null;
  network_options: Record<string, unknown> | null;
  steps: DeliveryStepRow[] | null;
}

/** One step of a delivery of several, by its index: a thread's part (from 0), or its first comment (after the last part). */
export interface StepKey {
  index: number;
  kind: 'part' | 'comment';
}

/** A step as `delivery_parts` keeps it (read at claim time). */
export interface DeliveryStepRow {
  idx: number;
  kind: 'part' | 'comment';
  status: 'pending' | 'published' | 'failed';
  network_ref: string | null;
  external_id: string | null;
  external_url: string | null;
  thread_ref: string | null;
  last_error_code: string | null;
}

/** A step as the API shows it. */
export interface DeliveryPart {
  deliveryId: string;
  index: number;
  kind: 'part' | 'comment';
  status: 'pending' | 'published' | 'failed';
  externalId: string | null;
  externalUrl: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  publishedAt: Date | null;
  /** When unpublish took it off the network. */
  deletedAt: Date | null;
}

interface DeliveryPartDbRow {
  delivery_id: string;
  idx: number;
  kind: 'part' | 'comment';
  status: 'pending' | 'published' | 'failed';
  external_id: string | null;
  external_url: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  published_at: Date | null;
  deleted_at: Date | null;
}

/** Where a delivery that could not be claimed stands, by Postgres's clock. */
export interface ClaimObstacle {
  status: string;
  dueAt: Date | null;
  leaseExpiresAt: Date | null;
  channelStatus: string;
  channelDeletedAt: Date | null;
  dbNow: Date;
}

/** One outcome's change to its delivery, as `applyOutcomes` writes it. */
export interface OutcomeChangeRow {
  id: string;
  kind: 'published' | 'retry' | 'failed' | 'settle' | 'missed';
  external_id: string | null;
  external_url: string | null;
  due_at: string | null;
  refund: boolean;
  error_code: string | null;
  error_message: string | null;
  waiting_for: WaitingFor | null;
  /** The claim the outcome is of: anything but a publication changes nothing once another claim has taken over. */
  claim_token: string | null;
}

export interface ScheduleCounts {
  scheduled: number;
  dueNow: number;
  overdue: number;
  oldestOverdueSeconds: number | null;
  publishing: number;
  failedLastHour: number;
  publishedLastHour: number;
}

@Injectable()
export class DeliveriesRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  // --- the API

  async ofPosts(tenant: Tenant, postIds: string[], on?: Executor): Promise<DeliveryWithNetwork[]> {
    if (postIds.length === 0) return [];
    return (await this.rows<DeliveryRow>(DELIVERIES_SQL.ofPosts, [tenant.workspaceId, postIds], on)).map((row) => toDelivery(row) as DeliveryWithNetwork);
  }

  /** A post's deliveries, row-locked in id order. */
  async partsOf(tenant: Tenant, deliveryIds: string[], on?: Executor): Promise<DeliveryPart[]> {
    if (deliveryIds.length === 0) return [];
    const rows = await this.rows<DeliveryPartDbRow>(DELIVERIES_SQL.partsOf, [tenant.workspaceId, deliveryIds], on);
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      index: row.idx,
      kind: row.kind,
      status: row.status,
      externalId: row.external_id,
      externalUrl: row.external_url,
      lastErrorCode: row.last_error_code,
      lastErrorMessage: row.last_error_message,
      publishedAt: row.published_at,
      deletedAt: row.deleted_at,
    }));
  }

  async ofPostLocked(tenant: Tenant, postId: string, on: Executor): Promise<Delivery[]> {
    return (await this.rows<DeliveryRow>(DELIVERIES_SQL.ofPostLocked, [tenant.workspaceId, postId], on)).map(toDelivery);
  }

  async statusesOfPosts(tenant: Tenant, postIds: string[], on: Executor): Promise<{ postId: string; status: Delivery['status'] }[]> {
    const rows = await this.rows<{ post_id: string; status: Delivery['status'] }>(DELIVERIES_SQL.statusesOfPosts, [tenant.workspaceId, postIds], on);
    return rows.map((row) => ({ postId: row.post_id, status: row.status }));
  }

  /**
   * A new time, mode and status: `scheduled` (due at `at`), `draft` (no
   * time), or `pending_approval` (`at` the time asked, if one was; not due).
   */
  async reschedule(tenant: Tenant, id: string, timing: DeliveryTiming, on: Executor): Promise<void> {
    await this.rows(DELIVERIES_SQL.reschedule, [tenant.workspaceId, id, timing.at, timing.mode, timing.status], on);
  }

  /** `commentIsPost`: the channel's network takes a first comment as a reply, a post of its own (see DELIVERIES_SQL.quotaCounts). */
  async quotaCounts(tenant: Tenant, channelId: string, times: Date[], windowMs: number, cap: number, commentIsPost: boolean, on?: Executor): Promise<number[]> {
    const rows = await this.rows<{ n: number }>(DELIVERIES_SQL.quotaCounts, [tenant.workspaceId, channelId, times, windowMs / 1000, cap, commentIsPost], on);
    return rows.map((row) => row.n);
  }

  async quotaTimes(tenant: Tenant, channelId: string, after: Date, before: Date, limit: number, commentIsPost: boolean, on?: Executor): Promise<Date[]> {
    const rows = await this.rows<{ scheduled_at: Date }>(DELIVERIES_SQL.quotaTimes, [tenant.workspaceId, channelId, after, before, limit, commentIsPost], on);
    return rows.map((row) => row.scheduled_at);
  }

  async releaseSlot(tenant: Tenant, id: string, on: Executor): Promise<void> {
    await this.rows(DELIVERIES_SQL.releaseSlot, [tenant.workspaceId, id], on);
  }

  async cancel(tenant: Tenant, ids: string[], on: Executor): Promise<void> {
    if (ids.length > 0) await this.rows(DELIVERIES_SQL.cancel, [tenant.workspaceId, ids], on);
  }

  /** Failed deliveries scheduled again at `at`, their attempts forgotten. */
  async requeueFailed(tenant: Tenant, ids: string[], at: Date, on: Executor): Promise<void> {
    if (ids.length > 0) await this.rows(DELIVERIES_SQL.requeueFailed, [tenant.workspaceId, ids, at], on);
  }

  async retime(tenant: Tenant, moves: { deliveryId: string; at: Date }[], on: Executor): Promise<void> {
    if (moves.length === 0) return;
    await this.rows(DELIVERIES_SQL.retime, [tenant.workspaceId, moves.map((move) => move.deliveryId), moves.map((move) => move.at)], on);
  }

  /** A channel's queued deliveries, front first; with `lock`, row-locked. */
  async queued(tenant: Tenant, channelId: string, options: { lock: boolean; on: Executor }): Promise<{ id: string; scheduledAt: Date }[]> {
    const rows = await this.rows<{ id: string; scheduled_at: Date }>(options.lock ? DELIVERIES_SQL.queuedLocked : DELIVERIES_SQL.queued, [tenant.workspaceId, channelId], options.on);
    return rows.map((row) => ({ id: row.id, scheduledAt: row.scheduled_at }));
  }

  /** Times held on a channel after `after`; with `fixedOnly`, only those the queue may not move. */
  async takenTimes(tenant: Tenant, channelId: string, after: Date, fixedOnly: boolean, on: Executor): Promise<Date[]> {
    const rows = await this.rows<{ scheduled_at: Date }>(fixedOnly ? DELIVERIES_SQL.fixedTimes : DELIVERIES_SQL.takenTimes, [tenant.workspaceId, channelId, after], on);
    return rows.map((row) => row.scheduled_at);
  }

  async queueEntries(tenant: Tenant, channelId: string): Promise<{ deliveryId: string; postId: string; text: string; scheduledAt: Date }[]> {
    const rows = await this.rows<{ delivery_id: string; post_id: string; text: string; variant: string | null; scheduled_at: Date }>(DELIVERIES_SQL.queueEntries, [
      tenant.workspaceId,
      channelId,
    ]);
    return rows.map((row) => ({ deliveryId: row.delivery_id, postId: row.post_id, text: row.variant ?? row.text, scheduledAt: row.scheduled_at }));
  }

  /** Those of `ids` on the channel that a worker has claimed. */
  async claimedAmong(tenant: Tenant, channelId: string, ids: string[], on: Executor): Promise<string[]> {
    return (await this.rows<{ id: string }>(DELIVERIES_SQL.claimedAmong, [tenant.workspaceId, channelId, ids], on)).map((row) => row.id);
  }

  /** The posts with a delivery on the channel that is not yet claimed. */
  async postsUnclaimedOn(tenant: Tenant, channelId: string, on: Executor): Promise<string[]> {
    return (await this.rows<{ post_id: string }>(DELIVERIES_SQL.postsUnclaimedOn, [tenant.workspaceId, channelId], on)).map((row) => row.post_id);
  }

  async cancelUnclaimedOn(tenant: Tenant, channelId: string, on: Executor): Promise<{ id: string; postId: string }[]> {
    const rows = await this.rows<{ id: string; post_id: string }>(DELIVERIES_SQL.cancelUnclaimedOn, [tenant.workspaceId, channelId], on);
    return rows.map((row) => ({ id: row.id, postId: row.post_id }));
  }

  async scheduledOn(tenant: Tenant, channelId: string): Promise<{ id: string; dueAt: Date }[]> {
    const rows = await this.rows<{ id: string; due_at: Date }>(DELIVERIES_SQL.scheduledOn, [tenant.workspaceId, channelId]);
    return rows.map((row) => ({ id: row.id, dueAt: row.due_at }));
  }

  // --- the worker

  async claimMany(_scope: SystemScope, ids: string[], leaseMs: number): Promise<ClaimedRow[]> {
    return (await this.rows<ClaimedDbRow>(DELIVERIES_SQL.claimMany, [ids, leaseMs / 1000])).map(toClaimed);
  }

  async claimOne(_scope: SystemScope, id: string, leaseMs: number): Promise<ClaimedRow | undefined> {
    const row = await this.one<ClaimedDbRow>(DELIVERIES_SQL.claimOne, [id, leaseMs / 1000]);
    return row && toClaimed(row);
  }

  async obstacle(_scope: SystemScope, id: string): Promise<ClaimObstacle | undefined> {
    const row = await this.one<{ status: string; due_at: Date | null; lease_expires_at: Date | null; channel_status: string; deleted_at: Date | null; db_now: Date }>(
      DELIVERIES_SQL.whyNot,
      [id],
    );
    return (
      row && {
        status: row.status,
        dueAt: row.due_at,
        leaseExpiresAt: row.lease_expires_at,
        channelStatus: row.channel_status,
        channelDeletedAt: row.deleted_at,
        dbNow: row.db_now,
      }
    );
  }

  async reclaim(_scope: SystemScope, id: string, leaseMs: number, settleMs: number): Promise<ClaimedRow | undefined> {
    const row = await this.one<ClaimedDbRow>(DELIVERIES_SQL.reclaim, [id, leaseMs / 1000, settleMs / 1000]);
    return row && toClaimed(row);
  }

  /** The claim's methods below take its token: they change nothing once another worker has taken the claim over. */
  async renew(_scope: SystemScope, id: string, claimToken: string, leaseMs: number): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.renew, [id, leaseMs / 1000, claimToken])).length > 0;
  }

  /** Ends the lease of a claim this worker still holds (see DELIVERIES_SQL.endLease); false when it no longer does. */
  async endLease(_scope: SystemScope, id: string, claimToken: string): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.endLease, [id, claimToken])).length > 0;
  }

  async release(_scope: SystemScope, id: string, claimToken: string, dueAt: Date, waitingFor: WaitingFor, on?: Executor): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.release, [id, dueAt, JSON.stringify(waitingFor), claimToken], on)).length > 0;
  }

  async keepRef(_scope: SystemScope, id: string, claimToken: string, ref: string): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.keepRef, [id, ref, claimToken])).length > 0;
  }

  async keepUpload(_scope: SystemScope, id: string, claimToken: string, key: string, upload: { id: string; expiresAt?: string }): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.keepUpload, [id, key, JSON.stringify(upload), claimToken])).length > 0;
  }

  async keepPartRef(_scope: SystemScope, id: string, claimToken: string, step: StepKey, ref: string): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.keepPartRef, [id, step.index, step.kind, ref, claimToken])).length > 0;
  }

  async partPublished(_scope: SystemScope, id: string, step: StepKey, external: { externalId: string | null; externalUrl: string; threadRef: string | null }): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.partPublished, [id, step.index, step.kind, external.externalId, external.externalUrl, external.threadRef])).length > 0;
  }

  async partFailed(_scope: SystemScope, id: string, claimToken: string, step: StepKey, error: { code: string; message: string | null }): Promise<boolean> {
    return (await this.rows(DELIVERIES_SQL.partFailed, [id, step.index, step.kind, error.code, error.message, claimToken])).length > 0;
  }

  async countAttempt(_scope: SystemScope, id: string): Promise<number> {
    return (await this.one<{ attempt_count: number }>(DELIVERIES_SQL.countAttempt, [id]))?.attempt_count ?? 0;
  }

  async externalIdsSince(_scope: SystemScope, channelId: string, exceptDeliveryId: string, since: Date): Promise<string[]> {
    return (await this.rows<{ external_id: string }>(DELIVERIES_SQL.externalIdsSince, [channelId, exceptDeliveryId, since])).map((row) => row.external_id);
  }

  /** Answers the ids of the deliveries it changed. */
  async applyOutcomes(_scope: SystemScope, changes: OutcomeChangeRow[], on: Executor): Promise<string[]> {
    if (changes.length === 0) return [];
    return (await this.rows<{ id: string }>(DELIVERIES_SQL.applyOutcomes, [JSON.stringify(changes), changes.map((change) => change.id)], on)).map((row) => row.id);
  }

  // --- the reconciler and the operator

  async dueBy(_scope: SystemScope, by: Date, after: { dueAt: Date; id: string }, limit: number): Promise<{ id: string; channelId: string; dueAt: Date }[]> {
    const rows = await this.rows<{ id: string; channel_id: string; due_at: Date }>(DELIVERIES_SQL.dueBy, [by, after.dueAt, after.id, limit]);
    return rows.map((row) => ({ id: row.id, channelId: row.channel_id, dueAt: row.due_at }));
  }

  async leasesEndedBefore(_scope: SystemScope, before: Date, limit: number): Promise<{ id: string; channelId: string; leaseExpiresAt: Date }[]> {
    const rows = await this.rows<{ id: string; channel_id: string; lease_expires_at: Date }>(DELIVERIES_SQL.leasesEndedBefore, [before, limit]);
    return rows.map((row) => ({ id: row.id, channelId: row.channel_id, leaseExpiresAt: row.lease_expires_at }));
  }

  async byIds(_scope: SystemScope, ids: string[]): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const rows = await this.rows<Pick<DeliveryRow, 'id' | 'post_id' | 'status' | 'attempt_count' | 'last_error_code' | 'last_error_message' | 'scheduled_at'>>(
      DELIVERIES_SQL.byIds,
      [ids],
    );
    return rows.map((row) =>
      Object.assign(new Delivery(), {
        id: row.id,
        postId: row.post_id,
        status: row.status,
        attemptCount: row.attempt_count,
        lastErrorCode: row.last_error_code,
        lastErrorMessage: row.last_error_message,
        scheduledAt: row.scheduled_at,
      }),
    );
  }

  async scheduleState(_scope: SystemScope, overdueAfterSeconds: number): Promise<ScheduleCounts> {
    const row = (await this.one<{
      scheduled: number;
      due_now: number;
      overdue: number;
      oldest_overdue: number | null;
      publishing: number;
      failed_last_hour: number;
      published_last_hour: number;
    }>(DELIVERIES_SQL.scheduleState, [overdueAfterSeconds]))!;
    return {
      scheduled: row.scheduled,
      dueNow: row.due_now,
      overdue: row.overdue,
      oldestOverdueSeconds: row.oldest_overdue === null ? null : Math.round(row.oldest_overdue),
      publishing: row.publishing,
      failedLastHour: row.failed_last_hour,
      publishedLastHour: row.published_last_hour,
    };
  }
}

function toDelivery(row: DeliveryRow): Delivery {
  return Object.assign(new Delivery(), {
    id: row.id,
    postId: row.post_id,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    status: row.status,
    scheduleMode: row.schedule_mode,
    scheduledAt: row.scheduled_at,
    dueAt: row.due_at,
    claimedAt: row.claimed_at,
    leaseExpiresAt: row.lease_expires_at,
    attemptCount: row.attempt_count,
    publishedAt: row.published_at,
    externalId: row.external_id,
    externalUrl: row.external_url,
    networkRef: row.network_ref,
    waitingFor: row.waiting_for,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    deletedAt: row.deleted_at,
    unpublishDueAt: row.unpublish_due_at,
    unpublishAttempts: row.unpublish_attempts,
    unpublishErrorCode: row.unpublish_error_code,
    unpublishErrorMessage: row.unpublish_error_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.network !== undefined ? { network: row.network } : {}),
    ...(row.channel_status !== undefined ? { channelStatus: row.channel_status } : {}),
  });
}

function toClaimed(row: ClaimedDbRow): ClaimedRow {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    postId: row.post_id,
    channelId: row.channel_id,
    attemptCount: row.attempt_count,
    scheduledAt: row.scheduled_at,
    claimedAt: row.claimed_at,
    claimToken: row.claim_token,
    networkRef: row.network_ref,
    networkMedia: row.network_media ?? {},
    lastErrorCode: row.last_error_code,
    waitingFor: row.waiting_for,
    network: row.network,
    handle: row.handle,
    accessToken: row.access_token,
    accountId: row.account_id,
    host: row.host,
    tokenExpiresAt: row.token_expires_at,
    details: row.details ?? {},
    postDefaults: row.post_defaults ?? {},
    staleAfterSeconds: row.stale_after_seconds ?? null,
    text: row.text,
    media: row.media,
    variants: row.variants,
    requestId: row.request_id,
    parts: row.parts,
    firstComment: row.first_comment,
    networkOptions: row.network_options ?? {},
    steps: row.steps ?? [],
  };
}
