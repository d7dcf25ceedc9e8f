/**
 * Exactly once on the networks that take no idempotency key, where recovery
 * rests on a lookup: a burst of 300 to one account with the worker SIGKILLed
 * mid-way (the crashed deliveries' posts are older than the newest page by
 * the time they are looked up), a call still being acted on when it timed
 * out, and an account that posted more since the claim than a lookup reads.
 */
import { http, sleep, waitFor } from './support/http';
import { RunningProcess, Stack } from './support/stack';
import { FAST_RECOVERY } from './support/env';


describe('exactly once where recovery is a lookup', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: FAST_RECOVERY });
    ({ apiKey } = await stack.workspace('exactly-once'));
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const handle = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const fault = async (rule: Record<string, unknown>) => expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: rule })).status).toBe(201);
  const liveWorker = (): RunningProcess => stack.workers.find((worker) => worker.child.exitCode === null && worker.child.signalCode === null)!;

  /** What the deliveries of posts whose text starts with `tag ` ended as. */
  async function outcomes(tag: string) {
    const { rows } = await stack.db.query(
      `SELECT d.status, d.external_id, d.last_error_code FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1`,
      [`${tag} %`],
    );
    return rows as { status: string; external_id: string | null; last_error_code: string | null }[];
  }

  async function expectEachOnce(network: string, channelHandle: string, tag: string, count: number) {
    await waitFor(`${count} ${tag} deliveries to finish`, async () => {
      const rows = await outcomes(tag);
      return rows.length === count && rows.every((row) => row.status === 'published' || row.status === 'failed');
    }, { timeoutMs: 90_000, intervalMs: 250 });
    const rows = await outcomes(tag);
    expect(rows.filter((row) => row.status !== 'published')).toEqual([]);
    expect(new Set(rows.map((row) => row.external_id)).size).toBe(count);
    const accepted = (await stack.mockPosts({ network, handle: channelHandle })).filter((post) => post.text.startsWith(`${tag} `));
    const twice = [...accepted.reduce((seen, post) => seen.set(post.text, (seen.get(post.text) ?? 0) + 1), new Map<string, number>())].filter(
      ([, times]) => times > 1,
    );
    expect(twice).toEqual([]);
    expect(accepted).toHaveLength(count);
  }

  /**
   * 300 posts to one channel, due in the same second, each call 40 ms slow;
   * the worker is SIGKILLed once 20 are out and calls are in flight and
   * a new one started. By the time the dead worker's claims are recovered
   * the rest of the burst is on the account: their posts are past its newest
   * page, so only a lookup that reads every page since the claim finds them.
   */
  it.each(['x', 'linkedin', 'bluesky'])('publishes 300 due at once to one %s account exactly once with the worker killed mid-burst', async (network) => {
    const channel = await stack.channel(apiKey, { network, handle: handle(`crash_${network}`) });
    await fault({ network, handle: channel.handle, latencyMs: 40 });
    const tag = `crash-${network}`;
    const dueAt = Date.now() + 3000;
    const posts = Array.from({ length: 300 }, (_, index) => ({ text: `${tag} ${index}`, channelIds: [channel.id], schedule: { mode: 'at', at: new Date(dueAt).toISOString() } }));
    const created = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(created.body.failed).toBe(0);
    await sleep(Math.max(0, dueAt + 300 - Date.now()));
    // Killed once the burst is under way: some published, calls in flight (on a loaded machine that is later than 0.4 s).
    let inFlight = 0;
    try {
      await waitFor('the burst to be under way', async () => {
        const { rows } = await stack.db.query(
          `SELECT count(*) FILTER (WHERE status = 'publishing')::int AS publishing, count(*) FILTER (WHERE status = 'published')::int AS published
             FROM deliveries WHERE channel_id = $1`,
          [channel.id],
        );
        inFlight = rows[0].publishing;
        return rows[0].publishing > 0 && rows[0].published >= 20;
      }, { timeoutMs: 30_000, intervalMs: 10 });
    } finally {
      await stack.kill(liveWorker(), 'SIGKILL');
      await stack.startWorker();
    }
    // The crash must leave claims behind for the test to mean anything.
    expect(inFlight).toBeGreaterThan(0);
    await expectEachOnce(network, channel.handle, tag, 300);
    const found = await stack.db.query(
      `SELECT count(*)::int AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.channel_id = $1 AND a.outcome = 'lookup_found'`,
      [channel.id],
    );
    expect(found.rows[0].n).toBeGreaterThan(0);
  });

  it('looks a timed-out call up only once the network has finished acting on it, so it is not sent twice', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: handle('slow') });
    // Each call takes 2.5 s at the network; Herald gives up after 1.5 s. The post exists from 2.5 s on.
    await fault({ network: 'x', handle: channel.handle, latencyMs: 2500 });
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'slow 1', channelIds: [channel.id], schedule: { mode: 'now' } } });
    expect(created.status).toBe(201);
    // Once the network has the post, it answers quickly again: the lookup must find it.
    await waitFor('the network to store the post', async () => (await stack.mockPosts({ network: 'x', handle: channel.handle })).length === 1, { timeoutMs: 10_000 });
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    const post = await waitFor('the slow post to settle', async () => {
      const answer = (await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body;
      return ['published', 'failed'].includes(answer.status) ? answer : undefined;
    }, { timeoutMs: 30_000 });
    expect(post.status).toBe('published');
    expect(post.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['transient', 'lookup_found']);
    const [timedOut, found] = post.deliveries[0].attempts;
    expect(timedOut.errorCode).toBe('timeout');
    // Not looked up before the settle time had passed.
    expect(Date.parse(found.startedAt) - Date.parse(timedOut.finishedAt)).toBeGreaterThanOrEqual(1900);
    expect(await stack.mockPosts({ network: 'x', handle: channel.handle })).toHaveLength(1);
  });

  it('keeps the Bluesky record key before the call, so a dropped connection is settled by asking for that record, no text matched', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: handle('rkey') });
    await fault({ network: 'bluesky', handle: channel.handle, dropAfterAccept: true });
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'same text', channelIds: [channel.id], schedule: { mode: 'now' } } });
    const post = await waitFor('the dropped post to settle', async () => {
      const answer = (await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body;
      return ['published', 'failed'].includes(answer.status) ? answer : undefined;
    }, { timeoutMs: 30_000 });
    const { rows } = await stack.db.query(`SELECT network_ref FROM deliveries WHERE id = $1`, [post.deliveries[0].id]);
    expect(rows[0].network_ref).toMatch(/^[234567a-j][234567a-z]{12}$/);
    expect(post.deliveries[0].externalId).toMatch(new RegExp(`/app\\.bsky\\.feed\\.post/${rows[0].network_ref}$`));
    // The adapter asks for its record as soon as the call fails: found, it is published in that one attempt.
    expect(post.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['published']);
    expect(await stack.mockPosts({ network: 'bluesky', handle: channel.handle })).toHaveLength(1);
  });

  it('keeps the Threads container before publishing it, so recovery asks the container and publishes once', async () => {
    const channel = await stack.channel(apiKey, { network: 'threads', handle: handle('container') });
    await fault({ network: 'threads', handle: channel.handle, dropAfterAccept: true });
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'contained', channelIds: [channel.id], schedule: { mode: 'now' } } });
    const post = await waitFor('the dropped post to settle', async () => {
      const answer = (await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body;
      return ['published', 'failed'].includes(answer.status) ? answer : undefined;
    }, { timeoutMs: 30_000 });
    expect(post.status).toBe('published');
    const { rows } = await stack.db.query(`SELECT network_ref FROM deliveries WHERE id = $1`, [post.deliveries[0].id]);
    expect(rows[0].network_ref).toEqual(expect.any(String));
    const accepted = await stack.mockPosts({ network: 'threads', handle: channel.handle });
    expect(accepted).toHaveLength(1);
    expect(post.deliveries[0].externalId).toBe(accepted[0]!.id);
  });
});

describe('a lookup with more to read than its bound', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: FAST_RECOVERY });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * A post the network accepted while its worker died, then `later` more
   * posts on the account (made with the network's own API), then a worker
   * reading at most `pages` pages: what did the recovery conclude?
   */
  async function recoverBehind(later: number, pages: number, tag: string) {
    const { apiKey } = await stack.workspace(tag);
    const channel = await stack.channel(apiKey, { network: 'x', handle: `${tag}_${Date.now().toString(36)}` });
    const worker = stack.spawn('worker');
    stack.workers.push(worker);
    await stack.waitForLine(worker, 'worker ready');
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'x', handle: channel.handle, latencyMs: 1000 } });
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: `${tag} target`, channelIds: [channel.id], schedule: { mode: 'now' } } });
    await waitFor('the claim', async () => (await stack.db.query(`SELECT status FROM deliveries WHERE post_id = $1`, [created.body.id])).rows[0].status === 'publishing');
    await sleep(400); // the call is on its way: the network will store the post although its worker is gone
    await stack.kill(worker, 'SIGKILL');
    await waitFor('the network to store the post', async () => (await stack.mockPosts({ network: 'x', handle: channel.handle })).length === 1);
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    const token = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'x', handle: channel.handle } })).body.accessToken;
    for (let index = 0; index < later; index += 1) {
      const tweet = await http('POST', `${stack.networkUrl('x')}/2/tweets`, { token, body: { text: `${tag} later ${index}` } });
      expect(tweet.status).toBe(201);
    }
    const reader = stack.spawn('worker', { LOOKUP_MAX_PAGES: String(pages) });
    stack.workers.push(reader);
    await stack.waitForLine(reader, 'worker ready');
    const post = await waitFor('the recovery', async () => {
      const answer = (await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body;
      return ['published', 'failed'].includes(answer.status) ? answer : undefined;
    }, { timeoutMs: 30_000 });
    await stack.kill(reader, 'SIGTERM');
    const targets = (await stack.mockPosts({ network: 'x', handle: channel.handle })).filter((entry) => entry.text === `${tag} target`);
    return { post, targets };
  }

  it('answers unconfirmed, never a resend, when the account posted more since the claim than the lookup reads', async () => {
    // 251 posts since the claim: the target is on the third page of 100; the lookup reads two.
    const { post, targets } = await recoverBehind(250, 2, 'deep');
    expect(post.status).toBe('failed');
    expect(post.deliveries[0].lastError.code).toBe('unconfirmed');
    expect(post.deliveries[0].lastError.message).toMatch(/more since .* than a lookup reads \(2 pages\)/);
    expect(targets).toHaveLength(1);
  });

  it('finds the post on the last page it may read', async () => {
    const { post, targets } = await recoverBehind(250, 3, 'reach');
    expect(post.status).toBe('published');
    expect(post.deliveries[0].externalId).toBe(targets[0]!.id);
    expect(post.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toContain('lookup_found');
    expect(targets).toHaveLength(1);
  });
});
