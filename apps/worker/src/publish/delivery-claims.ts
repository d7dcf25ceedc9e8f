import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Statement, TokenCipher, runStatement } from '@herald/db';
import { Batcher } from './batcher';
import { AttemptRecord, DeliveryChange, Outcome, OutcomeRecorder } from './outcome-recorder';

/** What a worker needs to publish one delivery, read at claim time from Postgres. */
export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  postId: string;
  channelId: string;
  attemptCount: number;
  scheduledAt: Date | null;
  claimedAt: Date;
  network: string;
  handle: string;
  accessToken: string;
  text: string;
  media: { url: string; alt?: string; type?: 'image' | 'video' }[];
  requestId: string | null;
  /** The network's handle on the post kept by an earlier try (a Bluesky record key, a container id). */
  networkRef: string | null;
  /**
   * When this worker's claim ends by its own clock (epoch ms): measured from
   * before the claiming statement was sent, so never later than Postgres's
   * `lease_expires_at`. No call to the network may outlive it.
   */
  leaseEndsAt: number;
}

/** Why a delivery could not be claimed. */
export type ClaimRefusal =
  | { kind: 'gone' }
  | { kind: 'finished'; status: string }
  | { kind: 'not_due'; dueAt: Date }
  | { kind: 'channel_inactive'; channelStatus: string }
  | { kind: 'held'; leaseExpiresAt: Date }
  /** Its claim ended with a call whose outcome is unknown; the network gets until `lookupAt` to finish acting on it. */
  | { kind: 'settling'; lookupAt: Date }
  | { kind: 'interrupted' };

export type { AttemptRecord } from './outcome-recorder';

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
  CROSS JOIN LATERAL (SELECT network, handle, access_token FROM channels WHERE id = d.channel_id) c
  CROSS JOIN LATERAL (SELECT text, media, variants, request_id FROM posts WHERE id = d.post_id) p`;

const CLAIMED_COLUMNS = `d.id, d.workspace_id, d.post_id, d.channel_id, d.attempt_count, d.scheduled_at, d.claimed_at, d.network_ref,
  c.network, c.handle, c.access_token, p.text, p.media, p.variants, p.request_id`;

/** A batch of claims ($1, the ids; $2, the lease in seconds): see `claimMany`. */
const CLAIM_MANY = new Statement(
  `WITH candidates AS MATERIALIZED (
     SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED
   ), claimed AS (
     UPDATE deliveries d
        SET status = 'publishing', claimed_at = now(), lease_expires_at = now() + make_interval(secs => $2),
            attempt_count = d.attempt_count + 1, updated_at = now()
      WHERE d.id = ANY($1::uuid[]) AND d.id IN (SELECT id FROM candidates) AND ${CLAIMABLE}
     RETURNING d.*)
   SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM}`,
);

/** One claim ($1, the id; $2, the lease in seconds), waiting for its row lock. */
const CLAIM_ONE = new Statement(
  `WITH claimed AS (
     UPDATE deliveries d
        SET status = 'publishing', claimed_at = now(), lease_expires_at = now() + make_interval(secs => $2),
            attempt_count = d.attempt_count + 1, updated_at = now()
      WHERE d.id = $1 AND ${CLAIMABLE}
     RETURNING d.*)
   SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM}`,
);

/** What stands in the way of a claim, with Postgres's clock (leases are judged by it). Joined: it reads one delivery by primary key. */
const WHY_NOT = new Statement(
  `SELECT d.status, d.due_at, d.lease_expires_at, c.status AS channel_status, c.deleted_at, now() AS db_now
     FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE d.id = $1`,
);

/**
 * Takes over a claim ($1) whose lease ended more than the settle time ($3,
 * seconds) ago, with a new lease ($2, seconds); does not count an attempt.
 */
const RECLAIM = new Statement(
  `WITH claimed AS (
     UPDATE deliveries d SET lease_expires_at = now() + make_interval(secs => $2), updated_at = now()
      WHERE d.id = $1 AND d.status = 'publishing' AND d.lease_expires_at < now() - make_interval(secs => $3)
     RETURNING d.*)
   SELECT ${CLAIMED_COLUMNS} FROM ${CLAIMED_FROM}`,
);

/** A new lease ($2, seconds) for a claim ($1) that still holds one. */
const RENEW = new Statement(
  `UPDATE deliveries SET lease_expires_at = now() + make_interval(secs => $2)
    WHERE id = $1 AND status = 'publishing' AND lease_expires_at > now() RETURNING id`,
);

/** Keeps the network's handle on the post ($2) on a claimed delivery ($1). */
const KEEP_REF = new Statement(`UPDATE deliveries SET network_ref = $2 WHERE id = $1 AND status = 'publishing' RETURNING id`);

/**
 * The external ids other deliveries of a channel ($1, not $2) were recorded
 * as, published since $3: a lookup never takes one of them for this delivery.
 */
const EXTERNAL_IDS_SINCE = new Statement(
  `SELECT external_id FROM deliveries
    WHERE channel_id = $1 AND status = 'published' AND id <> $2 AND published_at >= $3 AND external_id IS NOT NULL
    LIMIT 10000`,
);

/**
 * The delivery's state transitions, each one statement or one transaction in
 * Postgres. A claim is a conditional UPDATE: the row lock it takes makes two
 * workers racing for one delivery see it claimed exactly once.
 */
@Injectable()
export class DeliveryClaims {
  private readonly settleMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly outcomes: OutcomeRecorder,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    this.settleMs = config.lookupSettleMs;
  }

  private readonly claims = new Batcher<{ deliveryId: string; leaseMs: number }, ClaimedDelivery | ClaimRefusal>((requests) => this.claimMany(requests), 200);

  /**
   * scheduled → publishing, when due and its channel is active. The row lock
   * of the claiming UPDATE makes two workers racing for one delivery see it
   * claimed exactly once. Claims that arrive together are made together (see
   * Batcher). No post lock: claims of one post's deliveries must not queue
   * behind each other (the post's status follows the outcomes, recorded
   * under its lock).
   */
  claim(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | ClaimRefusal> {
    return this.claims.submit({ deliveryId, leaseMs });
  }

  /**
   * Several claims in one statement. It locks its candidates in id order and
   * skips any another transaction holds, so it never waits while holding
   * locks (no deadlock with writers that lock deliveries in another order);
   * those it skipped, or could not claim, go through `claimOne`, which holds
   * one lock at a time and says why a delivery was not claimed.
   */
  private async claimMany(requests: { deliveryId: string; leaseMs: number }[]): Promise<(ClaimedDelivery | ClaimRefusal)[]> {
    const leaseMs = requests[0]!.leaseMs;
    if (requests.length === 1 || requests.some((request) => request.leaseMs !== leaseMs)) {
      return Promise.all(requests.map((request) => this.claimOne(request.deliveryId, request.leaseMs)));
    }
    const sentAt = Date.now();
    const rows = await runStatement<ClaimRow>(this.dataSource.manager, CLAIM_MANY, [requests.map((request) => request.deliveryId), leaseMs / 1000]);
    const claimed = new Map(rows.map((row) => [row.id, row]));
    return Promise.all(
      requests.map((request) => {
        const row = claimed.get(request.deliveryId.toLowerCase());
        return row ? this.toClaimed(row, sentAt + leaseMs) : this.claimOne(request.deliveryId, request.leaseMs);
      }),
    );
  }

  private async claimOne(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | ClaimRefusal> {
    const sentAt = Date.now();
    const rows = await runStatement<ClaimRow>(this.dataSource.manager, CLAIM_ONE, [deliveryId, leaseMs / 1000]);
    const row = rows[0];
    return row ? this.toClaimed(row, sentAt + leaseMs) : this.whyNot(this.dataSource.manager, deliveryId);
  }

  /**
   * Takes over a claim whose lease ended (its worker died mid-publish, or it
   * ended with a call of unknown outcome) once the network has had `settleMs`
   * more to finish acting on any call of it; does not count an attempt.
   */
  async reclaim(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const sentAt = Date.now();
    const rows = await runStatement<ClaimRow>(this.dataSource.manager, RECLAIM, [deliveryId, leaseMs / 1000, this.settleMs / 1000]);
    return rows[0] ? this.toClaimed(rows[0], sentAt + leaseMs) : undefined;
  }

  /** A fresh lease for a claim this worker still holds; false when it no longer does (it must not call the network). */
  async renew(delivery: ClaimedDelivery, leaseMs: number): Promise<boolean> {
    const sentAt = Date.now();
    const rows = await runStatement<{ id: string }>(this.dataSource.manager, RENEW, [delivery.id, leaseMs / 1000]);
    if (rows.length === 0) return false;
    delivery.leaseEndsAt = sentAt + leaseMs;
    return true;
  }

  /** Commits the network's handle on the post before the call that publishes it. */
  async keepRef(delivery: ClaimedDelivery, ref: string): Promise<void> {
    const rows = await runStatement<{ id: string }>(this.dataSource.manager, KEEP_REF, [delivery.id, ref]);
    if (rows.length === 0) throw new Error(`Delivery ${delivery.id} is no longer claimed; its reference was not kept`);
    delivery.networkRef = ref;
  }

  /** What other deliveries of the delivery's channel were recorded as on the network since `since`. */
  async externalIdsSince(delivery: ClaimedDelivery, since: Date): Promise<Set<string>> {
    const rows = await runStatement<{ external_id: string }>(this.dataSource.manager, EXTERNAL_IDS_SINCE, [delivery.channelId, delivery.id, since]);
    return new Set(rows.map((row) => row.external_id));
  }

  async countAttempt(deliveryId: string): Promise<number> {
    const rows: { attempt_count: number }[] = await this.dataSource.query(
      `UPDATE deliveries SET attempt_count = attempt_count + 1 WHERE id = $1 RETURNING attempt_count`,
      [deliveryId],
    );
    return rows[0]?.attempt_count ?? 0;
  }

  async markPublished(delivery: ClaimedDelivery, attempt: AttemptRecord, external: { externalId: string | null; externalUrl: string }) {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'published', ...external }));
  }

  /** Back to scheduled for another try at `dueAt`; `refundAttempt` when the try did not count (429). */
  async markRetry(delivery: ClaimedDelivery, attempt: AttemptRecord, dueAt: Date, refundAttempt: boolean) {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'retry', dueAt, refundAttempt }));
  }

  async markFailed(delivery: ClaimedDelivery, attempt: AttemptRecord, options: { disconnectChannel?: boolean } = {}) {
    const events: Outcome['events'] = [
      [
        'delivery.failed',
        { deliveryId: delivery.id, postId: delivery.postId, channelId: delivery.channelId, network: delivery.network, error: { code: attempt.errorCode ?? 'failed', message: attempt.errorMessage ?? null } },
      ],
    ];
    if (options.disconnectChannel) {
      events.push(['channel.disconnected', { channelId: delivery.channelId, network: delivery.network, handle: delivery.handle, reason: attempt.errorMessage ?? null }]);
    }
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'failed', disconnectChannel: options.disconnectChannel ?? false }, events));
  }

  /** Records a call that changed nothing (a lookup that found no post), keeping the claim. */
  async noteAttempt(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<void> {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'unchanged' }));
  }

  /**
   * Ends the claim after a call whose outcome is unknown: the delivery stays
   * `publishing` with its lease ended now, so it is looked up (by whichever
   * worker) only once the network has had the settle time to finish acting
   * on the call. Answers when that is, by this worker's clock.
   */
  async awaitLookup(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<Date> {
    await this.outcomes.record(outcomeOf(delivery, attempt, { kind: 'settle' }));
    return new Date(Date.now() + this.settleMs);
  }

  /** The token is decrypted here, in memory, only for the call to the network. */
  private toClaimed(row: ClaimRow, leaseEndsAt: number): ClaimedDelivery {
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      postId: row.post_id,
      channelId: row.channel_id,
      attemptCount: row.attempt_count,
      scheduledAt: row.scheduled_at,
      claimedAt: row.claimed_at,
      network: row.network,
      handle: row.handle,
      accessToken: this.cipher.decrypt(row.access_token),
      text: row.variants[row.channel_id] ?? row.text,
      media: row.media,
      requestId: row.request_id,
      networkRef: row.network_ref,
      leaseEndsAt,
    };
  }

  private async whyNot(manager: EntityManager, deliveryId: string): Promise<ClaimRefusal> {
    const rows = await runStatement<{
      status: string;
      due_at: Date | null;
      lease_expires_at: Date | null;
      channel_status: string;
      deleted_at: Date | null;
      db_now: Date;
    }>(manager, WHY_NOT, [deliveryId]);
    const row = rows[0];
    if (!row) return { kind: 'gone' };
    if (row.status === 'publishing') {
      const leaseEnd = row.lease_expires_at?.getTime() ?? 0;
      const now = row.db_now.getTime();
      if (leaseEnd > now) return { kind: 'held', leaseExpiresAt: row.lease_expires_at! };
      // Postgres's clock decides; the wait is handed to this worker as a duration.
      if (leaseEnd + this.settleMs > now) return { kind: 'settling', lookupAt: new Date(Date.now() + leaseEnd + this.settleMs - now) };
      return { kind: 'interrupted' };
    }
    if (row.status !== 'scheduled') return { kind: 'finished', status: row.status };
    if (row.channel_status !== 'active' || row.deleted_at) return { kind: 'channel_inactive', channelStatus: row.deleted_at ? 'removed' : row.channel_status };
    return { kind: 'not_due', dueAt: row.due_at ?? new Date() };
  }
}

interface ClaimRow {
  id: string;
  workspace_id: string;
  post_id: string;
  channel_id: string;
  attempt_count: number;
  scheduled_at: Date | null;
  claimed_at: Date;
  network: string;
  handle: string;
  access_token: string;
  text: string;
  media: ClaimedDelivery['media'];
  variants: Record<string, string>;
  request_id: string | null;
  network_ref: string | null;
}

export function isClaimed(result: ClaimedDelivery | ClaimRefusal): result is ClaimedDelivery {
  return 'id' in result;
}

function outcomeOf(delivery: ClaimedDelivery, attempt: AttemptRecord, change: DeliveryChange, events: Outcome['events'] = []): Outcome {
  return { deliveryId: delivery.id, postId: delivery.postId, channelId: delivery.channelId, workspaceId: delivery.workspaceId, attempt, change, events };
}
