/**
 * Keeps the media store from growing forever: every `MEDIA_SWEEP_INTERVAL`,
 * media that no unfinished post uses and that nothing used for
 * `MEDIA_RETENTION` are marked deleted, and deleted media are purged (their
 * rows, and their files unless another workspace has the same bytes).
 * Safe with several workers: each purge holds the content hash's lock.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MEDIA_SETTINGS, MediaLibrary, MediaSettings } from '@herald/media';

const BATCH = 200;

@Injectable()
export class MediaSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MediaSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(MEDIA_SETTINGS) private readonly settings: MediaSettings,
    private readonly library: MediaLibrary,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep (none while one runs): answers how many media were expired and purged. */
  async sweepOnce(): Promise<{ expired: number; purged: number }> {
    if (this.running) return { expired: 0, purged: 0 };
    let result = { expired: 0, purged: 0 };
    this.running = (async () => {
      try {
        const expired = await this.library.expireUnused(this.settings.retentionMs, BATCH);
        const purged = await this.library.purgeDeleted(BATCH);
        result = { expired, purged };
        if (expired > 0 || purged > 0) this.logger.log({ msg: 'media swept', expired, purged });
      } catch (error) {
        this.logger.warn({ msg: 'media sweep failed; tried again next time', err: (error as Error).message });
      }
    })();
    await this.running;
    this.running = undefined;
    return result;
  }
}
