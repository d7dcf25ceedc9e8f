/**
 * A network outage costs no post: transient failures retried for the retry
 * window (shortened here), a circuit breaker per network host that stops
 * sending while the host is down and lets probes through, deliveries that
 * say why they wait, rate-limit budgets honoured before the 429, posting
 * quotas refused when the post is scheduled.
 */
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { http, sleep, waitFor } from './support/http';
import { mockCalls } from './support/mock-networks';
import { Stack } from './support/stack';

const RECOVERY_PER_SECOND = 5;

const OUTAGE_ENV = {
  HERALD_URL_ALLOWLIST: '127.0.0.1',
  NETWORK_TIMEOUT_MS: '1500',
  CLAIM_LEASE_MS: '3000',
  RECONCILE_INTERVAL_MS: '500',
  RETRY_BACKOFF_MS: '200',
  RETRY_MAX_DELAY_MS: '2000',
  LOOKUP_SETTLE_MS: '500',
  // A retry window of 40 s stands for hours; the cool-offs for minutes.
  PUBLISH_RETRY_WINDOW: '40s',
  CIRCUIT_WINDOW_CALLS: '10',
  CIRCUIT_MIN_CALLS: '5',
  CIRCUIT_FAILURE_RATIO: '0.6',
  CIRCUIT_COOLOFF_MS: '1000',
  CIRCUIT_MAX_COOLOFF_MS: '4000',
  CIRCUIT_RECOVERY_PER_SECOND: String(RECOVERY_PER_SECOND),
  CIRCUIT_RECOVERY_MS: '20000',
  WEBHOOK_RETRY_BASE_MS: '200',
};

/** The length of the longest increasing subsequence: how many were published in due order. */
function longestIncreasing(values: number[]): number {
  const tails: number[] = [];
  for (const value of values) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (tails[mid]! < value) low = mid + 1;
      else high = mid;
    }
    tails[low] = value;
  }
  return tails.length;
}

interface Hook {
  type: string;
  data: Record<string, unknown>;
}

describe('a network outage', () => {
  let stack: Stack;
  let apiKey: string;
  let receiver: Server;
  const hooks: Hook[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        hooks.push(JSON.parse(body) as Hook);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stack = await Stack.start({ env: OUTAGE_ENV });
    ({ apiKey } = await stack.workspace('outage'));
    const hook = await http('POST', `${stack.apiUrl}/v1/webhooks`, {
      token: apiKey,
      body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ['network.degraded', 'network.recovered', 'post.failed'] },
    });
    expect(hook.status).toBe(201);
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const fault = async (rule: Record<string, unknown>) => expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: rule })).status).toBe(201);

  /** Posts `count` to the channels, the i-th due `spacingMs` after the one before, the first at `firstAt`. */
  async function schedule(channelIds: string[], tag: string, count: number, firstAt: number, spacingMs: number): Promise<string[]> {
    const posts = Array.from({ length: count }, (_, index) => ({
      text: `${tag} ${index}`,
      channelIds,
      schedule: { mode: 'at', at: new Date(firstAt + index * spacingMs).toISOString() },
    }));
    const created = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(created.body.failed).toBe(0);
    return created.body.data.map((item: { id: string }) => item.id);
  }

  async function deliveriesOf(tag: string) {
    const { rows } = await stack.db.query(
      `SELECT d.id, d.status, d.scheduled_at, d.published_at, d.attempt_count, d.last_error_code, p.text
         FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1 ORDER BY d.scheduled_at, p.text`,
      [`${tag} %`],
    );
    return rows as { id: string; status: string; scheduled_at: Date; published_at: Date | null; attempt_count: number; last_error_code: string | null; text: string }[];
  }

  async function settled(tag: string, count: number, timeoutMs = 60_000) {
    return waitFor(`${count} ${tag} deliveries to finish`, async () => {
      const rows = await deliveriesOf(tag);
      return rows.length === count && rows.every((row) => row.status === 'published' || row.status === 'failed') ? rows : undefined;
    }, { timeoutMs, intervalMs: 250 });
  }

  async function circuitOf(network: string) {
    const overview = await http('GET', `${stack.apiUrl}/admin/queues`, { token: stack.adminToken });
    return (overview.body.networks as { network: string; host: string; state: string; since: string | null; failures: number }[]).find((circuit) => circuit.network === network);
  }

  async function expectEachOnce(network: string, handle: string, tag: string, count: number) {
    const accepted = (await stack.mockPosts({ network, handle })).filter((post) => post.text.startsWith(`${tag} `));
    expect(accepted).toHaveLength(count);
    expect(new Set(accepted.map((post) => post.text)).size).toBe(count);
  }

  it('publishes every post due while half the calls answer 503, each once, none failed', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: unique('flaky') });
    await fault({ network: 'x', handle: channel.handle, status: 503, failRate: 0.5 });
    const tag = unique('flaky');
    // 20 posts over 10 s, all due while the network is flaky.
    await schedule([channel.id], tag, 20, Date.now() + 1000, 500);
    await sleep(12_000);
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    const rows = await settled(tag, 20);
    expect(rows.filter((row) => row.status !== 'published')).toEqual([]);
    await expectEachOnce('x', channel.handle, tag, 20);
    const failedCalls = await stack.db.query(
      `SELECT count(*)::int AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1 AND a.http_status = 503`,
      [`${tag} %`],
    );
    // The fault did bite: some calls failed and were retried.
    expect(failedCalls.rows[0].n).toBeGreaterThan(0);
  });

  it('opens the breaker when the network is down, sends only probes while it is, and publishes every waiting post once, in due order, at a bounded rate', async () => {
    const channel = await stack.channel(apiKey, { network: 'linkedin', handle: unique('down') });
    await fault({ network: 'linkedin', status: 503 });
    const tag = unique('down');
    const ids = await schedule([channel.id], tag, 30, Date.now() + 500, 100);
    const opened = await waitFor('the breaker to open', async () => {
      const circuit = await circuitOf('linkedin');
      return circuit?.state === 'open' ? circuit : undefined;
    }, { timeoutMs: 20_000 });
    expect(opened.since).not.toBeNull();

    // A waiting delivery says why, with the host and since when.
    const waiting = await waitFor('a delivery to say why it waits', async () => {
      for (const id of ids) {
        const post = (await http('GET', `${stack.apiUrl}/v1/posts/${id}`, { token: apiKey })).body;
        const reason = post.deliveries[0].waitingFor;
        if (post.deliveries[0].status === 'scheduled' && reason?.reason === 'network_unavailable') return reason;
      }
      return undefined;
    });
    expect(waiting).toEqual(expect.objectContaining({ reason: 'network_unavailable', host: expect.any(String), since: expect.any(String) }));

    // While the breaker is open, calls reach the network only as probes: the mock counts them over 10 s.
    const openedAt = new Date().toISOString();
    const attemptsBefore = await attemptsOf(tag);
    await sleep(10_000);
    const during = (await mockCalls({ controlUrl: stack.mockUrl }, { network: 'linkedin', handle: channel.handle, since: openedAt })).data.filter((call) => call.method === 'POST');
    // Cool-offs of 1, 2, 4, 4 s: about four probes in 10 s, against 30 deliveries that would each have been retried several times.
    expect(during.length).toBeGreaterThan(0);
    expect(during.length).toBeLessThanOrEqual(7);
    expect(during.every((call) => call.status === 503)).toBe(true);
    // Herald's own record agrees: one attempt per probe, none for the deliveries that waited.
    expect((await attemptsOf(tag)) - attemptsBefore).toBe(during.length);
    expect((await circuitOf('linkedin'))?.state).not.toBe('closed');

    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    const rows = await settled(tag, 30);
    expect(rows.filter((row) => row.status !== 'published')).toEqual([]);
    await expectEachOnce('linkedin', channel.handle, tag, 30);
    expect((await circuitOf('linkedin'))?.state).toBe('closed');

    // In due order: those that waited on the breaker were published in the order they were due. Only the few
    // that reached the network before it opened (at most its window of calls) came back on their own backoff.
    const dueRank = new Map(rows.map((row, index) => [row.id, index]));
    const publicationOrder = [...rows].sort((a, b) => a.published_at!.getTime() - b.published_at!.getTime()).map((row) => dueRank.get(row.id)!);
    expect(rows.length - longestIncreasing(publicationOrder)).toBeLessThanOrEqual(Number(OUTAGE_ENV.CIRCUIT_WINDOW_CALLS));
    // No herd: in any second after recovery, at most the configured rate (and one for the probe that closed it).
    const times = rows.map((row) => row.published_at!.getTime()).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0; i < times.length; i += 1) busiest = Math.max(busiest, times.filter((time) => time >= times[i]! && time < times[i]! + 1000).length);
    expect(busiest).toBeLessThanOrEqual(RECOVERY_PER_SECOND + 2);

    const events = await waitFor('network.degraded and network.recovered webhooks', async () => {
      const degraded = hooks.find((hook) => hook.type === 'network.degraded' && hook.data.network === 'linkedin');
      const recovered = hooks.find((hook) => hook.type === 'network.recovered' && hook.data.network === 'linkedin');
      return degraded && recovered ? { degraded, recovered } : undefined;
    });
    expect(events.recovered.data).toEqual(expect.objectContaining({ host: opened.host, downSince: expect.any(String) }));
  });

  it('fails the deliveries of a network down past the retry window as network_unavailable, with their attempts and a post.failed each', async () => {
    const channel = await stack.channel(apiKey, { network: 'facebook', handle: unique('gone') });
    await fault({ network: 'facebook', status: 503 });
    const tag = unique('gone');
    const ids = await schedule([channel.id], tag, 3, Date.now() + 500, 200);
    const rows = await settled(tag, 3, 90_000);
    expect(rows.map((row) => [row.status, row.last_error_code])).toEqual([
      ['failed', 'network_unavailable'],
      ['failed', 'network_unavailable'],
      ['failed', 'network_unavailable'],
    ]);
    for (const id of ids) {
      const post = (await http('GET', `${stack.apiUrl}/v1/posts/${id}`, { token: apiKey })).body;
      expect(post.status).toBe('failed');
      const [delivery] = post.deliveries;
      expect(delivery.lastError.message).toMatch(/retry window/);
      expect(delivery.waitingFor).toBeNull();
      // Every call is recorded, probes and the last try at the window's end among them.
      expect(delivery.attempts.length).toBeGreaterThanOrEqual(2);
      expect(delivery.attempts.every((attempt: { httpStatus: number | null; outcome: string }) => attempt.httpStatus === 503 || attempt.outcome !== 'published')).toBe(true);
      // Not given up before the window: the last attempt is at least 40 s after the post was due.
      const last = delivery.attempts[delivery.attempts.length - 1];
      expect(new Date(last.startedAt).getTime() - new Date(delivery.scheduledAt).getTime()).toBeGreaterThanOrEqual(39_000);
    }
    await waitFor('a post.failed webhook for each', async () => ids.every((id) => hooks.some((hook) => hook.type === 'post.failed' && hook.data.postId === id)));
  }, 120_000);

  it('holds back only the channels of the Mastodon instance that is down', async () => {
    const down = await stack.channel(apiKey, { network: 'mastodon', handle: unique('on_one'), instance: 0 });
    const up = await stack.channel(apiKey, { network: 'mastodon', handle: unique('on_two'), instance: 1 });
    await fault({ network: 'mastodon', instance: 'one', status: 503 });
    const tagDown = unique('inst-one');
    const tagUp = unique('inst-two');
    await schedule([down.id], tagDown, 10, Date.now() + 500, 100);
    await schedule([up.id], tagUp, 10, Date.now() + 500, 100);
    const upRows = await settled(tagUp, 10, 20_000);
    expect(upRows.every((row) => row.status === 'published')).toBe(true);
    // Published on time, not held behind the other instance's breaker.
    expect(Math.max(...upRows.map((row) => row.published_at!.getTime() - row.scheduled_at.getTime()))).toBeLessThan(3000);
    const downRows = await deliveriesOf(tagDown);
    expect(downRows.every((row) => row.status === 'scheduled' || row.status === 'publishing')).toBe(true);
    const circuits = (await http('GET', `${stack.apiUrl}/admin/queues`, { token: stack.adminToken })).body.networks.filter((circuit: { network: string }) => circuit.network === 'mastodon');
    const hostOne = new URL(stack.networkUrl('mastodon', 0)).host;
    const hostTwo = new URL(stack.networkUrl('mastodon', 1)).host;
    expect(circuits.find((circuit: { host: string }) => circuit.host === hostOne)?.state).not.toBe('closed');
    expect(circuits.find((circuit: { host: string }) => circuit.host === hostTwo)?.state).toBe('closed');
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    const recovered = await settled(tagDown, 10);
    expect(recovered.every((row) => row.status === 'published')).toBe(true);
    await expectEachOnce('mastodon', down.handle, tagDown, 10);
  });

  it('waits for the reset when the network says the budget is spent, and provokes no 429', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: unique('budget'), instance: 1 });
    const limit = await http('PUT', `${stack.mockUrl}/_mock/ratelimits`, {
      body: { network: 'mastodon', instance: 'two', handle: channel.handle, limit: 300, windowSeconds: 300, remaining: 1, resetInSeconds: 3 },
    });
    expect(limit.status).toBe(201);
    const resetAt = Date.now() + 3000;
    try {
      const tag = unique('budget');
      const first = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: `${tag} 0`, channelIds: [channel.id], schedule: { mode: 'now' } } });
      expect(first.status).toBe(201);
      // The first is published, its answer says X-RateLimit-Remaining: 0 and a reset 3 s ahead.
      await waitFor('the first post', async () => (await deliveriesOf(tag)).some((row) => row.status === 'published'));
      const second = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: `${tag} 1`, channelIds: [channel.id], schedule: { mode: 'now' } } });
      const waiting = await waitFor('the second to wait for the reset', async () => {
        const post = (await http('GET', `${stack.apiUrl}/v1/posts/${second.body.id}`, { token: apiKey })).body;
        return post.deliveries[0].waitingFor?.reason === 'rate_limited' ? post.deliveries[0].waitingFor : undefined;
      }, { timeoutMs: 3000, intervalMs: 50 });
      expect(Math.abs(new Date(waiting.until).getTime() - resetAt)).toBeLessThan(1500);
      const rows = await settled(tag, 2, 15_000);
      expect(rows.every((row) => row.status === 'published')).toBe(true);
      const [, secondRow] = rows;
      // Sent after the reset (the mock's clock and ours are one machine's)...
      const received = (await stack.mockPosts({ network: 'mastodon', handle: channel.handle })).find((post) => post.text === `${tag} 1`)!;
      expect(new Date(received.receivedAt).getTime()).toBeGreaterThanOrEqual(resetAt - 1000);
      expect(secondRow!.attempt_count).toBe(1);
      // ...and never refused: the mock answered no 429 to this account.
      const calls = await mockCalls({ controlUrl: stack.mockUrl }, { network: 'mastodon', handle: channel.handle });
      expect(calls.byStatus['429'] ?? 0).toBe(0);
      expect(calls.byOutcome.ratelimited ?? 0).toBe(0);
    } finally {
      await http('DELETE', `${stack.mockUrl}/_mock/ratelimits`);
    }
  });

  it("marks missed, not published, a post later than its channel's staleAfterSeconds; a channel without one publishes it late", async () => {
    const strict = await stack.channel(apiKey, { network: 'x', handle: unique('strict') });
    const lenient = await stack.channel(apiKey, { network: 'x', handle: unique('lenient') });
    const patch = (body: unknown) => http('PATCH', `${stack.apiUrl}/v1/channels/${strict.id}`, { token: apiKey, body });
    for (const bad of [0, -5, 1.5, 'soon', 2_592_001]) expect((await patch({ staleAfterSeconds: bad })).status).toBe(400);
    const set = await patch({ staleAfterSeconds: 2 });
    expect(set.status).toBe(200);
    expect(set.body.staleAfterSeconds).toBe(2);

    // The workers stop taking jobs (as a stopped worker or a long outage would), and the post falls 4 s late.
    expect((await http('POST', `${stack.apiUrl}/admin/queues/publish/pause`, { token: stack.adminToken })).status).toBeLessThan(300);
    let post: { id: string };
    try {
      post = (await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'late news', channelIds: [strict.id, lenient.id], schedule: { mode: 'at', at: new Date(Date.now() + 500).toISOString() } } })).body;
      await sleep(4500);
    } finally {
      await http('POST', `${stack.apiUrl}/admin/queues/publish/resume`, { token: stack.adminToken });
    }
    const done = await waitFor('both deliveries to settle', async () => {
      const answer = (await http('GET', `${stack.apiUrl}/v1/posts/${post.id}`, { token: apiKey })).body;
      return answer.deliveries.every((delivery: { status: string }) => ['published', 'missed', 'failed'].includes(delivery.status)) ? answer : undefined;
    });
    const byChannel = new Map(done.deliveries.map((delivery: { channelId: string }) => [delivery.channelId, delivery]));
    expect(byChannel.get(strict.id)).toEqual(expect.objectContaining({ status: 'missed', lastError: expect.objectContaining({ code: 'stale' }), externalId: null }));
    expect(byChannel.get(lenient.id)).toEqual(expect.objectContaining({ status: 'published' }));
    expect(done.status).toBe('partially_published');
    // The network never saw the missed one.
    expect(await stack.mockPosts({ network: 'x', handle: strict.handle })).toEqual([]);
    expect(await stack.mockPosts({ network: 'x', handle: lenient.handle })).toHaveLength(1);

    const cleared = await patch({ staleAfterSeconds: null });
    expect(cleared.body.staleAfterSeconds).toBeNull();
  });

  async function attemptsOf(tag: string): Promise<number> {
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN posts p ON p.id = d.post_id WHERE p.text LIKE $1`,
      [`${tag} %`],
    );
    return rows[0].n;
  }
});
