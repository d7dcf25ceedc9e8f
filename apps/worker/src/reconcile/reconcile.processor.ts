import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { QUEUES } from '@herald/queue';
import { ReconcilerService, SweepReport } from './reconciler.service';

const SCHEDULER_ID = 'reconcile-sweep';

/**
 * Runs the sweep from a BullMQ job scheduler: every worker upserts the same
 * scheduler, so there is one sweep per interval across all of them. Redis may
 * be flushed, taking the scheduler with it, so each worker checks once per
 * interval that it still exists and puts it back if not.
 */
@Processor(QUEUES.reconcile, { concurrency: 1 })
export class ReconcileProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileProcessor.name);
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly reconciler: ReconcilerService,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureScheduler();
    this.watchdog = setInterval(() => {
      this.ensureScheduler().catch((error: unknown) => this.logger.warn(`reconcile scheduler check failed: ${String(error)}`));
    }, this.config.reconcileIntervalMs);
    // One sweep at start: a worker that comes up after an outage catches up at once.
    this.reconciler.sweep().catch((error: unknown) => this.logger.warn(`start-up sweep failed: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    clearInterval(this.watchdog);
  }

  private async ensureScheduler(): Promise<void> {
    if (await this.queue.getJobScheduler(SCHEDULER_ID)) return;
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.reconcileIntervalMs },
      { name: 'sweep', opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    // Right after a flush, sweep at once rather than one interval later.
    await this.reconciler.sweep();
  }

  process(): Promise<SweepReport> {
    return this.reconciler.sweep();
  }
}
