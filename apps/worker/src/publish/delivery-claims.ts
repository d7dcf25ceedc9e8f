import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptOutcome, TokenCipher, WebhookEventType, recordWebhookEvent } from '@herald/db';
import { DeliveryStatus, derivePostStatus } from '@herald/scheduling';
import { WebhookQueue } from '@herald/queue';

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
}

/** Why a delivery could not be claimed. */
export type ClaimRefusal =
  | { kind: 'gone' }
  | { kind: 'finished'; status: string }
  | { kind: 'not_due'; dueAt: Date }
  | { kind: 'channel_inactive'; channelStatus: string }
  | { kind: 'held'; leaseExpiresAt: Date }
  | { kind: 'interrupted' };

export interface AttemptRecord {
  startedAt: Date;
  finishedAt: Date;
  outcome: AttemptOutcome;
  errorCode?: string;
  errorMessage?: string;
  httpStatus?: number;
}

const CLAIMED_COLUMNS = `d.id, d.workspace_id, d.post_id, d.channel_id, d.attempt_count, d.scheduled_at, d.claimed_at,
  c.network, c.handle, c.access_token, p.text, p.media, p.variants, p.request_id`;

/**
 * The delivery's state transitions, each one statement or one transaction in
 * Postgres. A claim is a conditional UPDATE: the row lock it takes makes two
 * workers racing for one delivery see it claimed exactly once.
 */
@Injectable()
export class DeliveryClaims {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly webhooks: WebhookQueue,
  ) {}

  /**
   * scheduled → publishing, when due and its channel is active: one
   * statement, so one round trip; its row lock makes two workers racing for
   * one delivery see it claimed exactly once. No post lock: claims of one
   * post's deliveries must not queue behind each other (the post's status
   * follows the outcomes, recorded under its lock).
   */
  async claim(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | ClaimRefusal> {
    const rows: ClaimRow[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE deliveries d
            SET status = 'publishing', claimed_at = now(), lease_expires_at = now() + make_interval(secs => $2),
                attempt_count = d.attempt_count + 1, updated_at = now()
           FROM channels c
          WHERE d.id = $1 AND c.id = d.channel_id AND d.status = 'scheduled' AND d.due_at <= now() + interval '25 milliseconds'
            AND c.status = 'active' AND c.deleted_at IS NULL
         RETURNING d.*)
       SELECT ${CLAIMED_COLUMNS} FROM claimed d JOIN channels c ON c.id = d.channel_id JOIN posts p ON p.id = d.post_id`,
      [deliveryId, leaseMs / 1000],
    );
    const row = rows[0];
    return row ? this.toClaimed(row) : this.whyNot(this.dataSource.manager, deliveryId);
  }

  /** Takes over a claim whose lease ran out (its worker died mid-publish); does not count an attempt. */
  async reclaim(deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const rows: ClaimRow[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE deliveries SET lease_expires_at = now() + make_interval(secs => $2), updated_at = now()
          WHERE id = $1 AND status = 'publishing' AND lease_expires_at < now()
         RETURNING *)
       SELECT ${CLAIMED_COLUMNS} FROM claimed d JOIN channels c ON c.id = d.channel_id JOIN posts p ON p.id = d.post_id`,
      [deliveryId, leaseMs / 1000],
    );
    return rows[0] ? this.toClaimed(rows[0]) : undefined;
  }

  async countAttempt(deliveryId: string): Promise<number> {
    const rows: { attempt_count: number }[] = await this.dataSource.query(
      `UPDATE deliveries SET attempt_count = attempt_count + 1 WHERE id = $1 RETURNING attempt_count`,
      [deliveryId],
    );
    return rows[0]?.attempt_count ?? 0;
  }

  async markPublished(delivery: ClaimedDelivery, attempt: AttemptRecord, external: { externalId: string; externalUrl: string }) {
    await this.finish(delivery, attempt, [], (manager) =>
      manager.query(
        `UPDATE deliveries SET status = 'published', published_at = now(), external_id = $2, external_url = $3,
                due_at = NULL, lease_expires_at = NULL, last_error_code = NULL, last_error_message = NULL, updated_at = now()
          WHERE id = $1 AND status = 'publishing'`,
        [delivery.id, external.externalId, external.externalUrl],
      ),
    );
  }

  /** Back to scheduled for another try at `dueAt`; `refundAttempt` when the try did not count (429). */
  async markRetry(delivery: ClaimedDelivery, attempt: AttemptRecord, dueAt: Date, refundAttempt: boolean) {
    await this.finish(delivery, attempt, [], (manager) =>
      manager.query(
        `UPDATE deliveries SET status = 'scheduled', due_at = $2, lease_expires_at = NULL,
                attempt_count = attempt_count - $3, last_error_code = $4, last_error_message = $5, updated_at = now()
          WHERE id = $1 AND status = 'publishing'`,
        [delivery.id, dueAt, refundAttempt ? 1 : 0, attempt.errorCode ?? null, attempt.errorMessage ?? null],
      ),
    );
  }

  async markFailed(delivery: ClaimedDelivery, attempt: AttemptRecord, options: { disconnectChannel?: boolean } = {}) {
    const events: [WebhookEventType, Record<string, unknown>][] = [
      [
        'delivery.failed',
        { deliveryId: delivery.id, postId: delivery.postId, channelId: delivery.channelId, network: delivery.network, error: { code: attempt.errorCode ?? 'failed', message: attempt.errorMessage ?? null } },
      ],
    ];
    if (options.disconnectChannel) {
      events.push(['channel.disconnected', { channelId: delivery.channelId, network: delivery.network, handle: delivery.handle, reason: attempt.errorMessage ?? null }]);
    }
    await this.finish(delivery, attempt, events, async (manager) => {
      await manager.query(
        `UPDATE deliveries SET status = 'failed', due_at = NULL, lease_expires_at = NULL,
                last_error_code = $2, last_error_message = $3, updated_at = now()
          WHERE id = $1 AND status = 'publishing'`,
        [delivery.id, attempt.errorCode ?? 'failed', attempt.errorMessage ?? null],
      );
      if (options.disconnectChannel) {
        await manager.query(`UPDATE channels SET status = 'disconnected', updated_at = now() WHERE id = $1`, [delivery.channelId]);
      }
    });
  }

  /** Records a call that changed nothing yet (an ambiguous failure, a lookup), keeping the claim. */
  async noteAttempt(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<void> {
    await this.finish(delivery, attempt, [], async () => undefined);
  }

  /**
   * Every outcome: the delivery's new state, the attempt row, the post's
   * derived status and the webhook events they cause, in one transaction.
   * The post's row lock comes first (the order every writer of a post and
   * its deliveries keeps, so none deadlock) and is held for as few round
   * trips as the rule allows: the change, then the attempt written and the
   * post's delivery statuses read in one statement, then the post's status
   * written only when it changes (for most deliveries of a post it does not).
   */
  private async finish(
    delivery: ClaimedDelivery,
    attempt: AttemptRecord,
    events: [WebhookEventType, Record<string, unknown>][],
    change: (manager: EntityManager) => Promise<unknown>,
  ) {
    const webhookDeliveries = await this.dataSource.transaction(async (manager) => {
      const [post] = (await manager.query(`SELECT status FROM posts WHERE id = $1 FOR UPDATE`, [delivery.postId])) as { status: string }[];
      await change(manager);
      const siblings: { status: DeliveryStatus }[] = await manager.query(
        `WITH attempt AS (
           INSERT INTO attempts (delivery_id, number, started_at, finished_at, outcome, error_code, error_message, http_status, latency_ms)
           VALUES ($1, (SELECT COALESCE(max(number), 0) + 1 FROM attempts WHERE delivery_id = $1), $2, $3, $4, $5, $6, $7, $8))
         SELECT status FROM deliveries WHERE post_id = $9`,
        [
          delivery.id,
          attempt.startedAt,
          attempt.finishedAt,
          attempt.outcome,
          attempt.errorCode ?? null,
          attempt.errorMessage?.slice(0, 2000) ?? null,
          attempt.httpStatus ?? null,
          Math.round(attempt.finishedAt.getTime() - attempt.startedAt.getTime()),
          delivery.postId,
        ],
      );
      const status = derivePostStatus(siblings.map((sibling) => sibling.status));
      if (post && status !== post.status) {
        await manager.query(`UPDATE posts SET status = $2, updated_at = date_trunc('milliseconds', now()) WHERE id = $1`, [delivery.postId, status]);
        if (status === 'published') events.push(['post.published', { postId: delivery.postId, status }]);
        if (status === 'failed' || status === 'partially_published') events.push(['post.failed', { postId: delivery.postId, status }]);
      }
      const ids: string[] = [];
      for (const [type, data] of events) ids.push(...(await recordWebhookEvent(manager, delivery.workspaceId, type, data)));
      return ids;
    });
    await this.webhooks.enqueue(webhookDeliveries);
  }

  /** The token is decrypted here, in memory, only for the call to the network. */
  private toClaimed(row: ClaimRow): ClaimedDelivery {
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
    };
  }

  private async whyNot(manager: EntityManager, deliveryId: string): Promise<ClaimRefusal> {
    const rows: { status: string; due_at: Date | null; lease_expires_at: Date | null; channel_status: string; deleted_at: Date | null }[] =
      await manager.query(
        `SELECT d.status, d.due_at, d.lease_expires_at, c.status AS channel_status, c.deleted_at
           FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE d.id = $1`,
        [deliveryId],
      );
    const row = rows[0];
    if (!row) return { kind: 'gone' };
    if (row.status === 'publishing') {
      return row.lease_expires_at && row.lease_expires_at.getTime() > Date.now()
        ? { kind: 'held', leaseExpiresAt: row.lease_expires_at }
        : { kind: 'interrupted' };
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
}

export function isClaimed(result: ClaimedDelivery | ClaimRefusal): result is ClaimedDelivery {
  return 'id' in result;
}
