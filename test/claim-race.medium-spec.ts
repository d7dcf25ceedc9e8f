/**
 * Two workers racing for one delivery. BullMQ hands a job to one worker, so
 * the shared-queue tests never make two claims of one delivery meet; here the
 * same delivery is handed to two workers at once (two worker apps, each with
 * its own Postgres pool, in this process; its job, and a
 * twin under another job id, as a re-added or recovery job would be), and a
 * transaction holding the delivery's row lock makes both claims wait in
 * Postgres at the same moment. When it lets go, the row lock and the claim's
 * condition must let exactly one through, and the network see one post.
 */
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { QUEUES } from '../libs/queue/src';
import { REDIS_URL } from './support/env';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

describe('two workers handed the same delivery', () => {
  let stack: InProcessStack;
  let queue: Queue;
  let redis: Redis;

  beforeAll(async () => {
    // One publish at a time per worker: a worker waiting on a claim takes no second job, so the twin goes to the other process.
    stack = await InProcessStack.start({ workers: 2, env: { WORKER_CONCURRENCY: '1' } });
    queue = new Queue(QUEUES.publish, { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: stack.queuePrefix });
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  /** Claims of deliveries waiting in Postgres for a row lock. */
  async function claimsWaitingForALock(): Promise<number> {
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE deliveries d%SET status = ''publishing''%'`,
    );
    return rows[0].n;
  }

  it('lets exactly one claim win when both wait on the row at the same moment, and the network sees one post', async () => {
    const { apiKey } = await stack.workspace('race');
    // X honours no idempotency key: a second claim would be a second post, nothing on the network would fold it.
    const channel = await stack.channel(apiKey, { network: 'x', handle: `race_${Date.now().toString(36)}` });
    // The winner's call still in flight when the loser looks: it finds a live claim, not a finished post.
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'x', latencyMs: 500 } });
    const dueAt = Date.now() + 2500;
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: apiKey,
      body: { text: 'race for one delivery', channelIds: [channel.id], schedule: { mode: 'at', at: new Date(dueAt).toISOString() } },
    });
    expect(created.status).toBe(201);
    const deliveryId: string = created.body.deliveries[0].id;
    const holder = await stack.db.connect();
    let outcomes: { kind: string; reason?: string }[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM deliveries WHERE id = $1 FOR UPDATE', [deliveryId]);
      expect(await queue.getJob(deliveryId)).toBeDefined();
      const twinId = `twin-${deliveryId}`;
      const now = Date.now();
      await queue.add('publish', { deliveryId }, { jobId: twinId, timestamp: now, delay: Math.max(0, dueAt - now) });

      await waitFor('both claims waiting on the row lock', async () => (await claimsWaitingForALock()) === 2, { timeoutMs: 20_000, intervalMs: 50 });
      // Each active job's BullMQ lock holds its worker's id: two different workers hold the two jobs.
      const holders = await Promise.all(
        [deliveryId, twinId].map(async (jobId) => (await redis.get(`${stack.queuePrefix}:${QUEUES.publish}:${jobId}:lock`))?.split(':')[0]),
      );
      expect(holders.every(Boolean)).toBe(true);
      expect(new Set(holders).size).toBe(2);
      await holder.query('COMMIT');

      outcomes = await waitFor('both jobs done', async () => {
        const jobs = await Promise.all([deliveryId, twinId].map((jobId) => queue.getJob(jobId)));
        const states = await Promise.all(jobs.map((job) => job?.getState()));
        return states.every((state) => state === 'completed') ? jobs.map((job) => job!.returnvalue as { kind: string; reason?: string }) : undefined;
      }, { timeoutMs: 30_000, intervalMs: 100 });
    } finally {
      // Failed before the commit, the lock must still go, or the claims it holds back never end.
      await holder.query('ROLLBACK');
      holder.release();
      await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    }

    const posts = await stack.mockPosts({ network: 'x', handle: channel.handle });
    expect(posts.map((post) => post.text)).toEqual(['race for one delivery']);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['published', 'skipped']);
    expect(outcomes.find((outcome) => outcome.kind === 'skipped')).toEqual({ kind: 'skipped', reason: 'claimed by another worker' });
    const { rows } = await stack.db.query(
      `SELECT d.status, d.attempt_count, (SELECT count(*)::int FROM attempts a WHERE a.delivery_id = d.id) AS attempts FROM deliveries d WHERE d.id = $1`,
      [deliveryId],
    );
    expect(rows).toEqual([{ status: 'published', attempt_count: 1, attempts: 1 }]);
  });
});
