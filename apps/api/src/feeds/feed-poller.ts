/**
 * Polls the feeds that are due, every TICK_MS, in each API process: a few
 * at a time, each claimed (`FOR UPDATE SKIP LOCKED`, then a lease) so two
 * processes never poll one feed together. It runs in the API because an
 * item becomes a post through the placement core, which is the API's (the
 * worker does not import the API).
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FeedsRepository, SYSTEM } from '@herald/db';
import { FeedPoll } from './feed-poll';

const TICK_MS = 10_000;
const BATCH = 10;
const LEASE_SECONDS = 120;

@Injectable()
export class FeedPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedPoller.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly feeds: FeedsRepository,
    private readonly poll: FeedPoll,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One round (none while one runs): the due feeds claimed and polled one after the other. */
  async tick(): Promise<number> {
    if (this.running || this.stopped) return 0;
    let polled = 0;
    this.running = (async () => {
      try {
        const due = await this.feeds.claimDue(SYSTEM, BATCH, LEASE_SECONDS);
        for (const feed of due) {
          if (this.stopped) break;
          await this.poll.poll(feed).catch((error: Error) => this.logger.warn({ msg: 'feed poll stopped', feedId: feed.id, err: error.message }));
          polled += 1;
        }
      } catch (error) {
        this.logger.warn({ msg: 'feed round failed; tried again next time', err: (error as Error).message });
      }
    })();
    await this.running;
    this.running = undefined;
    return polled;
  }
}
