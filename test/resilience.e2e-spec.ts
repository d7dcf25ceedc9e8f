/**
 * Nothing lost, nothing twice, at volume: a burst with the worker SIGKILLed
 * mid-way, a flushed Redis with 200 pending, three workers sharing 2,000
 * deliveries, crashes after ambiguous answers, a Postgres restart, and a
 * graceful SIGTERM. Each checks every delivery against the mock networks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { http, sleep, waitFor } from './support/http';
import { Stack } from './support/stack';

const FAST = { NETWORK_TIMEOUT_MS: '1500', CLAIM_LEASE_MS: '2000', RECONCILE_INTERVAL_MS: '500', RETRY_BACKOFF_MS: '100', MAX_PUBLISH_ATTEMPTS: '20', LOOKUP_SETTLE_MS: '2000' };

/** A workspace with `channelCount` channels spread over the networks that need no media. */
async function fleet(stack: Stack, channelCount: number, tag: string) {
  const { apiKey } = await stack.workspace(tag);
  const networks = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'facebook'];
  const channels = [];
  for (let index = 0; index < channelCount; index += 1) {
    const network = networks[index % networks.length]!;
    channels.push(await stack.channel(apiKey, { network, handle: `${tag}_${index}_${Math.random().toString(36).slice(2, 7)}` }));
  }
  return { apiKey, channels };
}

/**
 * `posts` posts, each to every channel, all due `leadMs` from now (or now); returns the post ids.
 * One bulk request, so the instant cannot pass while the posts are still being created one by one
 * (the lead covers that one request on a loaded machine); any refused item fails the test at once.
 */
async function burst(stack: Stack, apiKey: string, channelIds: string[], posts: number, leadMs: number | 'now', tag: string) {
  const schedule = leadMs === 'now' ? { mode: 'now' } : { mode: 'at', at: new Date(Date.now() + leadMs).toISOString() };
  const items = Array.from({ length: posts }, (_, index) => ({ text: `${tag} ${index}`, channelIds, schedule }));
  const answer = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts: items } });
  if (answer.status !== 200 || answer.body.failed !== 0) throw new Error(`bulk: ${answer.status} ${JSON.stringify(answer.body).slice(0, 2000)}`);
  return (answer.body.data as { id: string }[]).map((item) => item.id);
}

/** Waits until every delivery of the workspace's posts is published, then checks the networks got each exactly once. */
async function expectEachPublishedOnce(stack: Stack, tag: string, expected: number, timeoutMs = 90_000) {
  await waitFor(`${expected} deliveries published`, async () => {
    const { rows } = await stack.db.query(
      `SELECT count(*) FILTER (WHERE d.status = 'published')::int AS published, count(*)::int AS total
         FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1`,
      [`${tag} %`],
    );
    return rows[0].published === expected && rows[0].total === expected;
  }, { timeoutMs, intervalMs: 250 });
  const accepted = (await stack.mockPosts()).filter((post) => post.text.startsWith(`${tag} `));
  const seen = new Map<string, number>();
  for (const post of accepted) seen.set(`${post.network}:${post.handle}:${post.text}`, (seen.get(`${post.network}:${post.handle}:${post.text}`) ?? 0) + 1);
  const duplicates = [...seen.entries()].filter(([, count]) => count > 1);
  expect(duplicates).toEqual([]);
  expect(accepted).toHaveLength(expected);
  const { rows } = await stack.db.query(
    `SELECT count(DISTINCT d.external_id)::int AS ids FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1`,
    [`${tag} %`],
  );
  expect(rows[0].ids).toBe(expected);
}

describe('resilience at volume', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: FAST });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it('publishes 500 deliveries due in the same second exactly once, with the worker SIGKILLed mid-burst', async () => {
    const { apiKey, channels } = await fleet(stack, 50, 'burst');
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { latencyMs: 15 } });
    await burst(stack, apiKey, channels.map((channel) => channel.id), 10, 3000, 'burst');
    await waitFor('the burst to be under way', async () => (await stack.mockPosts()).filter((post) => post.text.startsWith('burst ')).length >= 60);
    await stack.kill(stack.workers[0]!, 'SIGKILL');
    await stack.startWorker();
    await expectEachPublishedOnce(stack, 'burst', 500);
  });

  it('rebuilds 200 pending deliveries from Postgres after Redis is flushed', async () => {
    const { apiKey, channels } = await fleet(stack, 20, 'flush');
    await burst(stack, apiKey, channels.map((channel) => channel.id), 10, 4000, 'flush');
    const keys = await stack.redis.keys(`${stack.queuePrefix}:*`);
    await stack.redis.del(...keys);
    const flushedAt = Date.now();
    await expectEachPublishedOnce(stack, 'flush', 200);
    const { rows } = await stack.db.query(
      `SELECT max(extract(epoch FROM d.published_at - greatest(d.scheduled_at, to_timestamp($2 / 1000.0)))) AS worst
         FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1`,
      ['flush %', flushedAt],
    );
    // Within one reconcile interval (0.5 s here) of its time, plus the time to publish a burst of 200.
    expect(Number(rows[0].worst)).toBeLessThan(5);
  });

  it('has no duplicates on X or Mastodon when the network accepted, dropped the connection, and the worker crashed', async () => {
    const { apiKey, channels } = await fleet(stack, 3, 'dropcrash');
    const x = channels[0]!;
    const mastodon = channels[2]!;
    for (const channel of [x, mastodon]) {
      await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: channel.network, handle: channel.handle, dropAfterAccept: true, latencyMs: 800 } });
    }
    await burst(stack, apiKey, [x.id, mastodon.id], 1, 'now', 'dropcrash');
    await waitFor('both networks to accept', async () => (await stack.mockPosts()).filter((post) => post.text.startsWith('dropcrash ')).length === 2);
    await stack.kill(stack.workers[stack.workers.length - 1]!, 'SIGKILL');
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    await stack.startWorker();
    await expectEachPublishedOnce(stack, 'dropcrash', 2);
  });

  it('shares 2,000 deliveries between three workers, publishing each once', async () => {
    await Promise.all([stack.startWorker(), stack.startWorker()]);
    const live = stack.workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
    expect(live.length).toBeGreaterThanOrEqual(3);
    const { apiKey, channels } = await fleet(stack, 50, 'three');
    await burst(stack, apiKey, channels.map((channel) => channel.id), 40, 6000, 'three');
    await expectEachPublishedOnce(stack, 'three', 2000, 120_000);
    // Every worker took part.
    const busy = live.filter((worker) => worker.output.some((line) => line.includes('"published"')));
    expect(busy.length).toBeGreaterThanOrEqual(3);
  });

  it('lets in-flight publishes finish on SIGTERM and takes no new ones', async () => {
    const { apiKey, channels } = await fleet(stack, 5, 'graceful');
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { latencyMs: 700 } });
    const others = stack.workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
    for (const worker of others.slice(1)) await stack.kill(worker, 'SIGKILL');
    const [worker] = others;
    await burst(stack, apiKey, channels.map((channel) => channel.id), 1, 'now', 'graceful');
    await waitFor('publishes in flight', async () => (await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'publishing'`)).rows[0].n > 0);
    await stack.kill(worker!, 'SIGTERM');
    // Exit code 0, and the line the worker writes only once its shutdown hooks are done: a process
    // the signal killed (no handler, or one that did not wait) has exit code null and signal SIGTERM.
    expect([worker!.child.exitCode, worker!.child.signalCode]).toEqual([0, null]);
    expect(worker!.output.filter((line) => line.includes('"msg":"worker stop')).map((line) => JSON.parse(line).msg)).toEqual(['worker stopping', 'worker stopped']);
    expect(worker!.output.some((line) => line.includes('"level":"error"'))).toBe(false);
    const { rows } = await stack.db.query(
      `SELECT d.status, count(*)::int AS n FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE 'graceful %' GROUP BY d.status`,
    );
    // Nothing was left half-done: what it had claimed it finished.
    expect(rows.find((row: { status: string }) => row.status === 'publishing')).toBeUndefined();
    await stack.startWorker();
    await expectEachPublishedOnce(stack, 'graceful', 5);
  });

  const cluster = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql')[0] : undefined;
  const pgCtl = (action: 'stop' | 'start') =>
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster!, 'main', action], { stdio: 'ignore', timeout: 60_000 });

  (cluster && process.getuid?.() === 0 ? it : it.skip)('loses nothing when Postgres restarts mid-run, and the API answers 503, not 500, meanwhile', async () => {
    const { apiKey, channels } = await fleet(stack, 10, 'pgrestart');
    await burst(stack, apiKey, channels.map((channel) => channel.id), 10, 3000, 'pgrestart');
    const statuses: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const path of ['/health/ready', '/v1/posts?limit=1']) {
          try {
            statuses.push((await http('GET', `${stack.apiUrl}${path}`, { token: apiKey })).status);
          } catch {
            statuses.push(-1);
          }
        }
        await sleep(100);
      }
    })();
    try {
      pgCtl('stop');
      await sleep(2500);
    } finally {
      pgCtl('start');
    }
    await waitFor('Postgres back', async () => (await http('GET', `${stack.apiUrl}/health/ready`)).status === 200, { timeoutMs: 30_000 });
    polling = false;
    await poll;
    expect(statuses).toContain(503);
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    expect(statuses).not.toContain(-1);
    await stack.db.query('SELECT 1').catch(() => undefined); // the test's own pool reconnects
    await expectEachPublishedOnce(stack, 'pgrestart', 100);
  });
});
