/**
 * On time means on time: an idle worker picks up a delayed job at its due
 * time, not whenever Redis next checks its blocking timeouts (ten times a
 * second by default, so 0-100 ms late). Real Redis, a real BullMQ worker.
 */
import { randomBytes } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { DueTimeWaker } from '../apps/worker/src/publish/due-time-waker';
import { QUEUES } from '../libs/queue/src';
import { REDIS_URL } from './support/env';
import { sleep } from './support/http';

describe('DueTimeWaker', () => {
  const prefix = `herald-e2e-due-${randomBytes(3).toString('hex')}`;
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  let queue: Queue;
  let worker: Worker;
  let waker: DueTimeWaker;
  const lateness = new Map<string, number>();

  beforeAll(async () => {
    queue = new Queue(QUEUES.publish, { connection, prefix });
    worker = new Worker(
      QUEUES.publish,
      async (job: Job) => {
        lateness.set(job.id!, Date.now() - (job.timestamp + job.opts.delay!));
      },
      { connection, prefix, concurrency: 1 },
    );
    await worker.waitUntilReady();
    waker = new DueTimeWaker(queue);
    waker.start();
  });

  afterAll(async () => {
    waker.stop();
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('has an idle worker take each delayed job within a few milliseconds of its due time', async () => {
    const now = Date.now();
    // Spaced apart, so the worker is idle and blocked in Redis before each one.
    const delays = Array.from({ length: 9 }, (_, index) => 400 + index * 230 + Math.floor(Math.random() * 50));
    await queue.addBulk(delays.map((delay, index) => ({ name: 'publish', data: { index }, opts: { jobId: `job-${index}`, timestamp: now, delay } })));
    await sleep(Math.max(...delays) + 600);
    const late = [...lateness.values()];
    expect(late).toHaveLength(9);
    // Never early; left to Redis's timeouts alone, about seven in ten would be more than 30 ms late.
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
    expect(late.filter((ms) => ms <= 30).length).toBeGreaterThanOrEqual(8);
  });

  it('sets its wake-up at the next delayed job due before the look after next, and wakes BullMQ then, not before', async () => {
    // A queue no worker serves, so its delayed jobs stay delayed however slow the machine is,
    // and a waker that is not started, so only the looks this test makes run.
    const quietPrefix = `${prefix}-quiet`;
    const quiet = new Queue(QUEUES.publish, { connection, prefix: quietPrefix });
    const looker = new DueTimeWaker(quiet);
    const redis = new Redis(REDIS_URL);
    // BullMQ's marker zset; member "0" is the "work is ready" marker that ends a worker's blocking wait.
    const marked = async () => (await redis.zscore(`${quietPrefix}:${QUEUES.publish}:marker`, '0')) !== null;
    try {
      await expect(looker.lookAhead()).resolves.toBeUndefined();
      await quiet.add('publish', { index: 0 }, { jobId: 'later', delay: 60_000 });
      await expect(looker.lookAhead()).resolves.toBeUndefined();
      const now = Date.now();
      await quiet.add('publish', { index: 1 }, { jobId: 'soon', timestamp: now, delay: 180 });
      const dueAt = now + 180;
      await expect(looker.lookAhead()).resolves.toBe(dueAt);
      let markedAt = 0;
      while (Date.now() < dueAt + 2000 && !markedAt) {
        if (await marked()) markedAt = Date.now();
        else await sleep(2);
      }
      // Timers may fire a millisecond before Date.now() says; anything earlier would be a wake-up before the job is due.
      expect(markedAt).toBeGreaterThanOrEqual(dueAt - 1);
      expect(markedAt).toBeLessThan(dueAt + 1000);
    } finally {
      looker.stop();
      redis.disconnect();
      await quiet.obliterate({ force: true });
      await quiet.close();
    }
  });
});
