/**
 * Takes the snapshots claimed in one look: per channel, in the network's
 * batches (X 100 posts a call, Bluesky 25, the others one), each read
 * gated like publishing but never in its way: the channel's reads budget
 * (its own, apart from publishing's) and the host's breaker (a host down,
 * recovering or degraded is left to publishing; metrics reads take no slot
 * and no probe, and their failures are not counted against the host). A
 * read refused for its budget waits for the reset; a post the network says
 * is gone ends its snapshots, marked `deleted`. Each snapshot is recorded
 * with its `post.metrics` webhook event (for the endpoints that opted in)
 * in one transaction, the webhooks queued after it commits.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ChannelAdapter, ChannelAdapterRegistry, MetricsReading, Network, NetworkError, engagementsOf } from '@herald/channels';
import { DueSnapshot, MetricsRepository, SYSTEM, ScheduleStep, SnapshotInput, TokenCipher, WebhookEventInput, WebhookEventsRepository, inTransaction } from '@herald/db';
import { ChannelBudgets, NetworkCircuits, WebhookQueue } from '@herald/queue';
import { kindOf, retryAfterFailureMs, stepAfter, tooLittleLeft } from './snapshot-steps';

/** A channel a read is for: its budget is its own, its breaker its host's. */
export type ReadingChannel = Pick<DueSnapshot, 'channelId' | 'network' | 'host'>;

/** What one look did, for the logs and the bench. */
export interface LookResult {
  taken: number;
  deleted: number;
  postponed: number;
  /** Calls made to the networks. */
  reads: number;
}

@Injectable()
export class SnapshotTaker {
  private readonly logger = new Logger(SnapshotTaker.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly metricsRepo: MetricsRepository,
    private readonly registry: ChannelAdapterRegistry,
    private readonly budgets: ChannelBudgets,
    private readonly circuits: NetworkCircuits,
    private readonly cipher: TokenCipher,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: WebhookEventsRepository,
    private readonly webhooks: WebhookQueue,
  ) {}

  /** Reads the claimed snapshots, channel by channel (channels side by side). */
  async take(due: DueSnapshot[]): Promise<LookResult> {
    const byChannel = new Map<string, DueSnapshot[]>();
    for (const item of due) byChannel.set(item.channelId, [...(byChannel.get(item.channelId) ?? []), item]);
    const results = await Promise.all([...byChannel.values()].map((items) => this.takeForChannel(items)));
    return results.reduce((sum, one) => ({ taken: sum.taken + one.taken, deleted: sum.deleted + one.deleted, postponed: sum.postponed + one.postponed, reads: sum.reads + one.reads }), {
      taken: 0,
      deleted: 0,
      postponed: 0,
      reads: 0,
    });
  }

  private async takeForChannel(items: DueSnapshot[]): Promise<LookResult> {
    const result: LookResult = { taken: 0, deleted: 0, postponed: 0, reads: 0 };
    const first = items[0]!;
    const network = first.network as Network;
    const postpone = async (rest: DueSnapshot[], until: Date) => {
      await this.metricsRepo.postpone(SYSTEM, rest.map((item) => item.deliveryId), until);
      result.postponed += rest.length;
    };
    if (first.channelDeleted || first.channelStatus !== 'active') {
      // A paused or disconnected channel is read again once it may be (an hour on); a deleted one never is.
      await postpone(items, new Date(Date.now() + 3_600_000));
      return result;
    }
    const adapter = this.registry.get(network);
    if (!adapter.readMetrics) {
      await this.metricsRepo.advance(SYSTEM, items.map((item) => ({ deliveryId: item.deliveryId, step: item.step, nextAt: null, ended: 'done' })));
      return result;
    }
    const waitUntil = await this.mayRead(first);
    if (waitUntil) {
      await postpone(items, waitUntil);
      return result;
    }
    const size = Math.max(1, adapter.metricsBatchSize ?? 1);
    for (let start = 0; start < items.length; start += size) {
      const batch = items.slice(start, start + size);
      try {
        result.reads += 1;
        const readings = await this.read(adapter, first, batch);
        const done = await this.keep(batch, readings);
        result.taken += done.taken;
        result.deleted += done.deleted;
        if (done.unanswered.length > 0) await postpone(done.unanswered, new Date(Date.now() + retryAfterFailureMs('transient')));
        const spent = await this.budgets.readsWaitUntil(first.channelId).catch(() => null);
        if (spent) {
          await postpone(items.slice(start + size), spent);
          break;
        }
      } catch (error) {
        const failure = error instanceof NetworkError ? error : new NetworkError('transient', 'read_failed', String(error));
        const until = await this.waitAfter(first, failure);
        this.logger.warn({ msg: 'metrics read failed; snapshots wait', network, channelId: first.channelId, code: failure.code, until: until.toISOString() });
        await postpone(items.slice(start), until);
        break;
      }
    }
    return result;
  }

  /** Null when reads may go now; else until when they wait (the channel's reads budget spent, or its host not quiet). Account reads ask it too. */
  async mayRead(item: ReadingChannel): Promise<Date | null> {
    try {
      const budget = await this.budgets.readsWaitUntil(item.channelId);
      if (budget) return budget;
      return await this.circuits.busyUntil(NetworkCircuits.keyOf(item.network, this.registry.hostOf(item.network as Network, item.host)));
    } catch {
      // Without Redis there is no budget to keep: reads wait rather than risk publishing's share.
      return new Date(Date.now() + 60_000);
    }
  }

  private read(adapter: ChannelAdapter, channel: DueSnapshot, batch: DueSnapshot[]): Promise<MetricsReading[]> {
    return adapter.readMetrics!({
      credentials: { handle: channel.handle, accessToken: this.cipher.decrypt(channel.accessToken), ...(channel.accountId ? { accountId: channel.accountId } : {}), ...(channel.host ? { host: channel.host } : {}) },
      deadline: Date.now() + this.config.networkTimeoutMs * 2,
      externalIds: batch.map((item) => item.externalId),
      publishedAt: batch.map((item) => item.publishedAt),
      onRateLimit: (reading) => {
        if (tooLittleLeft(reading)) void this.budgets.readsSpent(channel.channelId, reading.resetAt).catch(() => undefined);
      },
    });
  }

  /**
   * Records what the network answered: a snapshot per post read (with its `post.metrics` event), the end of a post gone;
   * those it did not answer for are left for later.
   */
  private async keep(batch: DueSnapshot[], readings: MetricsReading[]): Promise<{ taken: number; deleted: number; unanswered: DueSnapshot[] }> {
    const now = Date.now();
    const byId = new Map(readings.map((reading) => [reading.externalId, reading]));
    const snapshots: SnapshotInput[] = [];
    const read: DueSnapshot[] = [];
    const steps: ScheduleStep[] = [];
    const unanswered: DueSnapshot[] = [];
    let deleted = 0;
    for (const item of batch) {
      const reading = byId.get(item.externalId);
      if (!reading) {
        unanswered.push(item);
        continue;
      }
      if ('gone' in reading) {
        deleted += 1;
        steps.push({ deliveryId: item.deliveryId, step: item.step, nextAt: null, ended: 'deleted' });
        continue;
      }
      const { extra = {}, ...shared } = reading.metrics;
      read.push(item);
      snapshots.push({
        deliveryId: item.deliveryId,
        kind: kindOf(item.nextAt, now),
        figures: {
          impressions: shared.impressions,
          likes: shared.likes,
          reposts: shared.reposts,
          replies: shared.replies,
          quotes: shared.quotes,
          bookmarks: shared.bookmarks,
          clicks: shared.clicks,
          saves: shared.saves,
          shares: shared.shares,
          video_views: shared.videoViews,
        },
        engagements: engagementsOf(reading.metrics),
        extra,
      });
      steps.push({ deliveryId: item.deliveryId, ...stepAfter(item.publishedAt, this.config.analytics.snapshotsMs, item.step, now) });
    }
    const webhookDeliveries = await inTransaction(this.dataSource, async (tx) => {
      const takenAt = await this.metricsRepo.record(SYSTEM, snapshots, tx);
      await this.metricsRepo.advance(SYSTEM, steps, tx);
      return this.events.record(SYSTEM, snapshots.map((snapshot, index) => metricsEvent(read[index]!, snapshot, takenAt.get(snapshot.deliveryId))), tx);
    });
    await this.webhooks.enqueue(webhookDeliveries);
    return { taken: snapshots.length, deleted, unanswered };
  }

  /** How long the channel's reads wait after a failed one: a rate limit until its reset (kept for the channel's other reads too), else a while. */
  async waitAfter(channel: ReadingChannel, failure: NetworkError): Promise<Date> {
    if (failure.errorClass === 'rate_limited') {
      const until = new Date(Date.now() + (failure.retryAfterMs ?? 60_000));
      await this.budgets.readsSpent(channel.channelId, until).catch(() => undefined);
      return until;
    }
    const kind = failure.errorClass === 'transient' ? 'transient' : failure.errorClass === 'rejected' ? 'rejected' : 'auth';
    return new Date(Date.now() + retryAfterFailureMs(kind));
  }
}

/** The `post.metrics` event of one snapshot: the figures under the shared names (null where the network gives none), as `GET /v1/posts/:id/metrics` shows them. */
export function metricsEvent(item: DueSnapshot, snapshot: SnapshotInput, takenAt: Date | undefined): WebhookEventInput {
  const { video_views: videoViews, ...figures } = snapshot.figures;
  return {
    workspaceId: item.workspaceId,
    type: 'post.metrics',
    data: {
      postId: item.postId,
      deliveryId: item.deliveryId,
      channelId: item.channelId,
      network: item.network,
      externalId: item.externalId,
      kind: snapshot.kind,
      takenAt: (takenAt ?? new Date()).toISOString(),
      figures: {
        impressions: figures.impressions ?? null,
        likes: figures.likes ?? null,
        reposts: figures.reposts ?? null,
        replies: figures.replies ?? null,
        quotes: figures.quotes ?? null,
        bookmarks: figures.bookmarks ?? null,
        clicks: figures.clicks ?? null,
        saves: figures.saves ?? null,
        shares: figures.shares ?? null,
        videoViews: videoViews ?? null,
      },
      engagements: snapshot.engagements,
      extra: snapshot.extra,
    },
  };
}
