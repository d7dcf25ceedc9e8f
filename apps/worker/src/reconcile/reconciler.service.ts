import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DeliveriesRepository, SYSTEM, UnpublishRepository, WebhookDeliveriesRepository } from '@herald/db';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PublishQueue, PublishShards, QUEUES, ShardSweep, UnpublishQueue, WebhookQueue } from '@herald/queue';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { SeriesExpander } from '../series/series-expander';
import { EvergreenRecycler } from '../evergreen/evergreen-recycler';
import { ChannelTokens } from '../tokens/channel-tokens.service';

export interface SweepReport {
  /** Deliveries entering the horizon (or lost by Redis, or moved between publish shards) given a job. */
  enqueued: number;
  /** Claims whose lease ran out, handed to a worker for recovery. */
  recovered: number;
  durationMs: number;
}

const SWEEP_BATCH = 5000;

/**
 * Keeps Redis a faithful copy of the near-term schedule in Postgres. Each
 * sweep gives a job to every delivery due within the horizon that has none
 * (new ones entering the horizon, and whatever a flushed Redis lost), in its
 * channel's publish shard (moving jobs left in the queues of another shard
 * count: see PublishShards), and hands claims whose lease expired (a worker
 * died mid-publish) back to a worker, which looks them up before sending
 * anything again.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);
  private unconsumedWarnedAt = 0;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly webhookDeliveries: WebhookDeliveriesRepository,
    @InjectQueue(QUEUES.webhooks) private readonly webhookJobs: Queue,
    private readonly shards: PublishShards,
    private readonly publishQueue: PublishQueue,
    private readonly webhooks: WebhookQueue,
    private readonly metrics: WorkerMetrics,
    private readonly tokens: ChannelTokens,
    private readonly seriesExpander: SeriesExpander,
    private readonly evergreen: EvergreenRecycler,
    private readonly unpublishes: UnpublishRepository,
    private readonly unpublishQueue: UnpublishQueue,
  ) {}

  async sweep(now: Date = new Date()): Promise<SweepReport> {
    const started = Date.now();
    const sweep = await this.shards.beginSweep(now.getTime());
    this.warnUnconsumed(sweep.unconsumed, now);
    // Recurring series' occurrences first, so the ones due soon get their jobs in this same sweep.
    // Each on its own: a failure of one is logged and leaves the rest of the sweep to run.
    const series = await this.seriesExpander.expandDue(now).catch((error: unknown) => this.failed('series expansion', error, { series: 0, posts: 0 }));
    const recycled = await this.evergreen.recycleDue(now).catch((error: unknown) => this.failed('evergreen recycling', error, { recycled: 0, skipped: 0 }));
    const enqueued = await this.enqueueDueSoon(now, sweep);
    const recovered = await this.recoverExpiredClaims(now);
    const webhooks = await this.enqueuePendingWebhooks(now);
    const unpublishes = await this.enqueueDueUnpublishes(now).catch((error: unknown) => this.failed('unpublish sweep', error, 0));
    const tokens = await this.tokens.sweep(now);
    const report = { enqueued, occurrencesMade: series.posts, evergreenRecycled: recycled.recycled, evergreenSkipped: recycled.skipped, recovered, webhooks, unpublishes, tokensRenewed: tokens.renewed, expiryWarnings: tokens.warned, durationMs: Date.now() - started };
    this.metrics.sweepDuration.observe(report.durationMs / 1000);
    if (enqueued + series.posts + recycled.recycled + recycled.skipped + recovered + webhooks + unpublishes + tokens.renewed + tokens.warned > 0) this.logger.log({ msg: 'reconciled', ...report });
    return report;
  }

  private failed<T>(what: string, error: unknown, nothing: T): T {
    this.logger.error({ msg: `${what} failed`, error: String(error) });
    return nothing;
  }

  /** Shards of this layout no live worker takes jobs from (PUBLISH_QUEUE_SHARDS_CONSUMED leaving some out): said once a minute while it lasts. */
  private warnUnconsumed(shards: string[], now: Date): void {
    if (shards.length === 0 || now.getTime() - this.unconsumedWarnedAt < 60_000) return;
    this.unconsumedWarnedAt = now.getTime();
    this.logger.warn({ msg: 'no worker takes jobs from these publish shards: their deliveries wait', shards });
  }

  private async enqueueDueSoon(now: Date, sweep: ShardSweep): Promise<number> {
    let total = 0;
    let after = new Date(0);
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.deliveries.dueBy(SYSTEM, new Date(now.getTime() + this.config.horizonMs), { dueAt: after, id: afterId }, SWEEP_BATCH);
      if (rows.length === 0) break;
      total += await this.publishQueue.reconcile(rows, sweep, now);
      const last = rows[rows.length - 1]!;
      after = last.dueAt;
      afterId = last.id;
      if (rows.length < SWEEP_BATCH) break;
    }
    return total;
  }

  /**
   * Claims whose lease ended, once the network has had the settle time to
   * finish acting on any call of theirs. The job of a dead worker may still
   * sit in BullMQ's `active` list until its lock times out, so recovery gets a
   * job of its own, named after the ended lease (one per lease, however many
   * sweeps see it).
   */
  private async recoverExpiredClaims(now: Date): Promise<number> {
    const rows = await this.deliveries.leasesEndedBefore(SYSTEM, new Date(now.getTime() - this.config.lookupSettleMs), 1000);
    await this.publishQueue.recover(rows.map((row) => ({ deliveryId: row.id, channelId: row.channelId, leaseExpiresAt: row.leaseExpiresAt })));
    return rows.length;
  }

  /** Webhook deliveries whose job Redis lost (or never got: the worker died right after the commit). */
  private async enqueuePendingWebhooks(now: Date): Promise<number> {
    const rows = await this.webhookDeliveries.dueBy(SYSTEM, new Date(now.getTime() + this.config.horizonMs), 1000);
    const missing = await this.withoutLiveJob(rows.map((row) => row.id), this.webhookJobs);
    for (const row of rows.filter((candidate) => missing.includes(candidate.id))) {
      // A finished job under the same id would swallow the add: clear it first.
      await (await this.webhookJobs.getJob(row.id))?.remove().catch(() => undefined);
    }
    await this.webhooks.enqueue(missing, now);
    return missing.length;
  }

  /**
   * Unpublishes due within the horizon whose job Redis lost (or never got:
   * the API's enqueue failed), and those whose claim's lease ran out (their
   * worker died mid-delete): each gets a job at its due time. Postgres says
   * what is to be unpublished; a delete is safe to repeat.
   */
  private async enqueueDueUnpublishes(now: Date): Promise<number> {
    const rows = await this.unpublishes.dueBy(SYSTEM, new Date(now.getTime() + this.config.horizonMs), 1000);
    const missing = await this.withoutLiveJob(rows.map((row) => row.id), this.unpublishQueue.jobs);
    for (const row of rows.filter((candidate) => missing.includes(candidate.id))) {
      await (await this.unpublishQueue.jobs.getJob(row.id))?.remove().catch(() => undefined);
      await this.unpublishQueue.enqueue([row.id], row.dueAt);
    }
    return missing.length;
  }

  /** Ids whose job is absent from Redis or already finished (one pipelined round trip). */
  private async withoutLiveJob(ids: string[], queue: Queue): Promise<string[]> {
    if (ids.length === 0) return [];
    const backend = queue.getBackend();
    const pipeline = (await backend.client).pipeline();
    for (const id of ids) pipeline.runCommand('hmget', [backend.toKey(id), 'timestamp', 'finishedOn']);
    const replies = (await pipeline.exec()) ?? [];
    return ids.filter((_, index) => {
      const [error, fields] = replies[index] ?? [null, null];
      if (error) return true;
      const [timestamp, finishedOn] = (fields as (string | null)[] | null) ?? [null, null];
      return timestamp === null || finishedOn !== null;
    });
  }
}
