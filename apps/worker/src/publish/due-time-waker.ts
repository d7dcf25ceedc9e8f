import { Queue } from 'bullmq';

/** How often the next delayed job is looked up; a wake-up is set when it is due before the look after next. */
const LOOK_EVERY_MS = 100;

/** BullMQ's delayed score is the due time in milliseconds times 4096, plus a counter. */
const SCORE_PER_MS = 0x1000;

/**
 * Wakes this process's BullMQ worker at the due time of the next delayed job.
 *
 * An idle BullMQ worker waits for its next delayed job in a blocking Redis
 * call timed to the job's due time, but Redis checks such timeouts only `hz`
 * times a second (10 by default): posts went out 58–105 ms after their time
 * on an idle stack. Here a plain timer, exact to the millisecond, drops
 * BullMQ's own "work is ready" marker at the due time, which ends the wait
 * at once; BullMQ then promotes the due job itself, as it always does.
 * Without the marker nothing breaks: BullMQ's own wait still ends, later.
 *
 * One per publish shard a worker takes jobs from (PublishWorkers makes them):
 * each looks at its own shard's delayed jobs and wakes its own BullMQ worker.
 */
export class DueTimeWaker {
  private look?: NodeJS.Timeout;
  private wake?: NodeJS.Timeout;
  private wakeAt = Infinity;
  private looking = false;

  constructor(private readonly queue: Queue) {}

  start(): void {
    this.look ??= setInterval(() => void this.lookAhead(), LOOK_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.look);
    clearTimeout(this.wake);
    this.look = undefined;
    this.wakeAt = Infinity;
  }

  /**
   * Sets a wake-up for the next delayed job if it is due before the look
   * after next. Answers when the worker will be woken (ms), or undefined when
   * no wake-up is set: nothing is delayed, or not due that soon.
   */
  async lookAhead(): Promise<number | undefined> {
    if (this.looking) return this.wakeUp();
    this.looking = true;
    try {
      const backend = this.queue.getBackend();
      const client = await backend.client;
      const [, score] = (await client.runCommand('zrange', [backend.toKey('delayed'), 0, 0, 'WITHSCORES'])) as string[];
      if (score === undefined) return this.wakeUp();
      const dueAt = Math.floor(Number(score) / SCORE_PER_MS);
      if (dueAt - Date.now() > 2 * LOOK_EVERY_MS || dueAt >= this.wakeAt) return this.wakeUp();
      clearTimeout(this.wake);
      this.wakeAt = dueAt;
      this.wake = setTimeout(() => {
        this.wakeAt = Infinity;
        // The marker BullMQ itself adds when a job is waiting: the worker's blocking wait returns with it.
        client.runCommand('zadd', [backend.toKey('marker'), 0, '0']).catch(() => undefined);
      }, Math.max(0, dueAt - Date.now()));
      return dueAt;
    } catch {
      // Redis away: BullMQ's own wait still runs, and the next look tries again.
      return this.wakeUp();
    } finally {
      this.looking = false;
    }
  }

  private wakeUp(): number | undefined {
    return Number.isFinite(this.wakeAt) ? this.wakeAt : undefined;
  }
}
