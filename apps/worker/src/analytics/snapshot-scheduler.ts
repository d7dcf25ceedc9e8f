/**
 * Analytics' clock in the worker (docs/analytics.md): every
 * `ANALYTICS_TICK`, follow the deliveries published since the last look,
 * claim the snapshots due (at most `ANALYTICS_READS_PER_TICK`, so reads
 * spread over time) and take them; then read the account figures of the
 * channels due theirs (AccountReader, once a day each). Runs beside publishing, never on its
 * queue: its own timer, its own budget, no slot of the breaker (see
 * SnapshotTaker). Safe with several workers: claims are leased with SKIP
 * LOCKED.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { MetricsRepository, SYSTEM } from '@herald/db';
import { AccountReader } from './account-reader';
import { LookResult, SnapshotTaker } from './snapshot-taker';

/** A claimed snapshot not finished within this is claimable again (a worker that died mid-read). */
const LEASE_MS = 120_000;
/** Deliveries published longer ago than the last snapshot plus this are not followed any more. */
const FOLLOW_MARGIN_MS = 86_400_000;
const FOLLOW_BATCH = 5000;

@Injectable()
export class SnapshotScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<LookResult>;
  private stopped = false;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly metricsRepo: MetricsRepository,
    private readonly taker: SnapshotTaker,
    private readonly accounts: AccountReader,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.lookOnce().finally(() => this.schedule());
    }, this.config.analytics.tickMs);
    this.timer.unref();
  }

  /** One look (none while one runs): follow, claim, take. */
  async lookOnce(): Promise<LookResult> {
    if (this.running) return { taken: 0, deleted: 0, postponed: 0, reads: 0 };
    this.running = this.look();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async look(): Promise<LookResult> {
    const result = await this.lookAtPosts();
    try {
      await this.accounts.look();
    } catch (error) {
      this.logger.warn({ msg: 'account figures look failed; tried again next time', err: (error as Error).message });
    }
    return result;
  }

  private async lookAtPosts(): Promise<LookResult> {
    const { snapshotsMs, readsPerTick } = this.config.analytics;
    try {
      if (snapshotsMs.length > 0) {
        const since = new Date(Date.now() - snapshotsMs[snapshotsMs.length - 1]! - FOLLOW_MARGIN_MS);
        while ((await this.metricsRepo.followPublished(SYSTEM, snapshotsMs[0]!, since, FOLLOW_BATCH)) === FOLLOW_BATCH && !this.stopped);
      }
      const due = await this.metricsRepo.claimDue(SYSTEM, readsPerTick, LEASE_MS);
      if (due.length === 0) return { taken: 0, deleted: 0, postponed: 0, reads: 0 };
      const result = await this.taker.take(due);
      this.logger.log({ msg: 'metrics snapshots taken', ...result });
      return result;
    } catch (error) {
      this.logger.warn({ msg: 'metrics look failed; tried again next time', err: (error as Error).message });
      return { taken: 0, deleted: 0, postponed: 0, reads: 0 };
    }
  }
}
