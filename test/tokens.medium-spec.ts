/**
 * Staying connected: a token the network calls expired mid-burst is renewed
 * once however many workers hit it (refresh tokens rotate: a second refresh
 * with the same one would be refused), a renewal the network refuses
 * disconnects the channel (webhook, deliveries waiting) until it is
 * connected again through the flow, a token that cannot be renewed is
 * announced before it lapses, and one that can is renewed ahead by the
 * sweep, once.
 */
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, sleep, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

interface Received {
  headers: IncomingHttpHeaders;
  event: { type: string; data: Record<string, unknown> };
}

describe('keeping channels connected', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, event: JSON.parse(body) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    stack = await InProcessStack.start({
      workers: 3,
      env: { HERALD_URL_ALLOWLIST: '127.0.0.1', RETRY_BACKOFF_MS: '100', MAX_PUBLISH_ATTEMPTS: '20', LOOKUP_SETTLE_MS: '1000', WEBHOOK_RETRY_BASE_MS: '200', NETWORK_QUOTAS: 'x=off' },
    });
    ({ apiKey } = await stack.workspace('tokens'));
    const hook = await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: receiverUrl, events: ['channel.disconnected', 'channel.expiring'] } });
    expect(hook.status).toBe(201);
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const fault = async (rule: Record<string, unknown>) => expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: rule })).status).toBe(201);
  const tokenCalls = async (network: string, grantType: string) => {
    const calls = (await http('GET', `${stack.mockUrl}/_mock/oauth?network=${network}`)).body.data as { grantType: string; count: number; refused: number }[];
    return calls.find((call) => call.grantType === grantType) ?? { count: 0, refused: 0 };
  };

  async function connected(network: string, handle: string): Promise<string> {
    const landed = await stack.connectThroughOAuth(apiKey, network, handle);
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting ${network} ${handle} failed: ${landed.toString()}`);
    return channelId;
  }

  async function statuses(channelId: string): Promise<Record<string, number>> {
    const { rows } = await stack.db.query(`SELECT status, count(*)::int AS n FROM deliveries WHERE channel_id = $1 GROUP BY status`, [channelId]);
    return Object.fromEntries(rows.map((row: { status: string; n: number }) => [row.status, row.n]));
  }

  it('renews an X token that expires mid-burst exactly once across three workers, and publishes all 300 posts once', async () => {
    const handle = unique('burst');
    const channelId = await connected('x', handle);
    await http('DELETE', `${stack.mockUrl}/_mock/oauth`);
    await fault({ network: 'x', handle, latencyMs: 30 });
    const at = new Date(Date.now() + 2000).toISOString();
    const posts = Array.from({ length: 300 }, (_, index) => ({ text: `burst ${index}`, channelIds: [channelId], schedule: { mode: 'at', at } }));
    expect((await api('POST', '/v1/posts/bulk', { posts })).body.failed).toBe(0);

    // A third of the way through, every token issued so far counts as expired.
    await waitFor('a third published', async () => ((await statuses(channelId)).published ?? 0) >= 100, { timeoutMs: 30_000, intervalMs: 20 });
    await fault({ network: 'x', handle, expireTokens: true });
    await waitFor('all 300 published', async () => (await statuses(channelId)).published === 300, { timeoutMs: 90_000, intervalMs: 250 });

    expect(await statuses(channelId)).toEqual({ published: 300 });
    const accepted = (await stack.mockPosts({ network: 'x', handle })).map((post) => post.text);
    expect(accepted).toHaveLength(300);
    expect(new Set(accepted).size).toBe(300);
    expect(await tokenCalls('x', 'refresh_token')).toMatchObject({ count: 1, refused: 0 });
    // The expiry did land mid-burst: calls were refused as expired, and none of them spent an attempt.
    const { rows } = await stack.db.query(
      `SELECT count(*) FILTER (WHERE a.outcome = 'auth_expired')::int AS expired, max(d.attempt_count)::int AS most
         FROM deliveries d LEFT JOIN attempts a ON a.delivery_id = d.id WHERE d.channel_id = $1`,
      [channelId],
    );
    expect(rows[0].expired).toBeGreaterThan(0);
    if (rows[0].most !== 1) {
      // Which delivery spent a second attempt, and on what: printed so a failure here says why.
      const spent = await stack.db.query(
        `SELECT d.id, d.attempt_count, a.outcome, a.error_code, a.error_message, a.started_at FROM deliveries d JOIN attempts a ON a.delivery_id = d.id
          WHERE d.channel_id = $1 AND d.attempt_count > 1 ORDER BY d.id, a.started_at`,
        [channelId],
      );
      console.log(JSON.stringify(spent.rows, null, 1), stack.log.filter((line) => spent.rows.some((row: { id: string }) => line.includes(row.id))).join('\n'));
    }
    expect(rows[0].most).toBe(1);
    const renewals = stack.log.filter((line) => line.includes('access token renewed') && line.includes(channelId));
    expect(renewals).toHaveLength(1);
  });

  it('disconnects a channel whose renewal X refuses, announces it, holds its posts, and publishes them once it is connected again', async () => {
    const handle = unique('refused');
    const channelId = await connected('x', handle);
    // Access and refresh tokens revoked: the publish is refused, and so is the renewal.
    await fault({ network: 'x', handle, revokeToken: true });
    const waiting = await api('POST', '/v1/posts', { text: 'waits for its channel', channelIds: [channelId], schedule: { mode: 'now' } });
    expect(waiting.status).toBe(201);

    const announced = await waitFor('channel.disconnected', async () =>
      received.find((entry) => entry.event.type === 'channel.disconnected' && entry.event.data.channelId === channelId),
    );
    expect(announced.event.data).toMatchObject({ channelId, network: 'x', handle, reason: expect.any(String) });
    expect((await api('GET', `/v1/channels/${channelId}`)).body.status).toBe('disconnected');
    expect(await tokenCalls('x', 'refresh_token')).toMatchObject({ refused: 1 });
    // The post waits, its attempt not spent; new posts are refused at once.
    await sleep(1500);
    const held = (await api('GET', `/v1/posts/${waiting.body.id}`)).body;
    expect(held.status).toBe('scheduled');
    expect(held.deliveries[0]).toMatchObject({ status: 'scheduled', attemptCount: 0 });
    expect((await api('POST', '/v1/posts', { text: 'refused', channelIds: [channelId], schedule: { mode: 'now' } })).status).toBe(422);

    // Connected again through the flow: the same channel, active, and what waited goes out.
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    expect(await connected('x', handle)).toBe(channelId);
    expect((await api('GET', `/v1/channels/${channelId}`)).body.status).toBe('active');
    await waitFor('the held post', async () => (await api('GET', `/v1/posts/${waiting.body.id}`)).body.status === 'published', { timeoutMs: 20_000 });
    expect((await stack.mockPosts({ network: 'x', handle })).map((post) => post.text)).toEqual(['waits for its channel']);
    expect(received.filter((entry) => entry.event.type === 'channel.disconnected' && entry.event.data.channelId === channelId)).toHaveLength(1);
  });

  it('announces once, a week ahead, a LinkedIn token it cannot renew, and shows the channel as expiring until it is connected again', async () => {
    const handle = unique('lapsing');
    const channel = { id: await connected('linkedin', handle) };
    const view = (await api('GET', `/v1/channels/${channel.id}`)).body;
    expect(view.expiring).toBe(false);
    expect(Date.parse(view.tokenExpiresAt) - Date.now()).toBeGreaterThan(50 * 86_400_000);
    // LinkedIn grants refresh tokens to its partner apps only: as for any other app, none here, and three days left.
    await stack.db.query(`UPDATE channels SET refresh_token = NULL, token_expires_at = now() + interval '3 days' WHERE id = $1`, [channel.id]);

    const warning = await waitFor('channel.expiring', async () =>
      received.find((entry) => entry.event.type === 'channel.expiring' && entry.event.data.channelId === channel.id),
    );
    expect(warning.event.data).toMatchObject({ channelId: channel.id, network: 'linkedin', expiresAt: expect.any(String) });
    expect(Date.parse(String(warning.event.data.expiresAt)) - Date.now()).toBeGreaterThan(2 * 86_400_000);
    expect((await api('GET', `/v1/channels/${channel.id}`)).body).toMatchObject({ status: 'active', expiring: true });
    // Several sweeps later, still announced once; it keeps publishing meanwhile.
    await sleep(2500);
    expect(received.filter((entry) => entry.event.type === 'channel.expiring' && entry.event.data.channelId === channel.id)).toHaveLength(1);

    expect(await connected('linkedin', handle)).toBe(channel.id);
    const renewed = (await api('GET', `/v1/channels/${channel.id}`)).body;
    expect(renewed.expiring).toBe(false);
    expect(Date.parse(renewed.tokenExpiresAt) - Date.now()).toBeGreaterThan(50 * 86_400_000);
  });

  it("renews a Threads token ahead of its lapse in the sweep, once, with no post asking for it", async () => {
    const handle = unique('threads');
    const channelId = await connected('threads', handle);
    const before = await tokenCalls('threads', 'th_refresh_token');
    const { rows } = await stack.db.query(`UPDATE channels SET token_expires_at = now() + interval '2 days' WHERE id = $1 RETURNING access_token`, [channelId]);
    await waitFor('the sweep to renew it', async () => (await tokenCalls('threads', 'th_refresh_token')).count > before.count);
    await sleep(2500);
    expect((await tokenCalls('threads', 'th_refresh_token')).count).toBe(before.count + 1);
    const after = (await stack.db.query(`SELECT access_token, token_expires_at FROM channels WHERE id = $1`, [channelId])).rows[0];
    expect(after.access_token).not.toBe(rows[0].access_token);
    expect(Date.parse(after.token_expires_at) - Date.now()).toBeGreaterThan(50 * 86_400_000);
  });
});
