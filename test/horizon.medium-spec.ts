/**
 * The horizon: only work due soon lives in Redis. Far-future posts cost Redis
 * nothing until the reconciler moves them in; a revoked channel's other posts
 * wait (not fail one by one) and go out after reconnect; retry requeues only
 * failed deliveries.
 */
import { http, sleep, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

describe('horizon, disconnects and retry', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { HERALD_HORIZON_SECONDS: '5', RECONCILE_INTERVAL_MS: '500' } });
    ({ apiKey } = await stack.workspace('horizon'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const jobExists = async (deliveryId: string) => (await stack.redis.exists(`${stack.queuePrefix}:publish:${deliveryId}`)) === 1;

  it('keeps far-future deliveries out of Redis and enqueues them as they enter the horizon', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: `horizon-${Date.now().toString(36)}.bsky.social` });
    const farAway = await api('POST', '/v1/posts', {
      text: 'next month',
      channelIds: [channel.id],
      schedule: { mode: 'at', at: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    });
    const soonAt = new Date(Date.now() + 8000);
    const soon = await api('POST', '/v1/posts', { text: 'in eight seconds', channelIds: [channel.id], schedule: { mode: 'at', at: soonAt.toISOString() } });
    expect(farAway.status).toBe(201);
    expect(soon.status).toBe(201);
    expect(await jobExists(farAway.body.deliveries[0].id)).toBe(false);
    expect(await jobExists(soon.body.deliveries[0].id)).toBe(false);

    await waitFor('the reconciler to enqueue the soon one', () => jobExists(soon.body.deliveries[0].id), { timeoutMs: 10_000 });
    expect(Date.now()).toBeGreaterThan(soonAt.getTime() - 5000 - 1000);
    const published = await waitFor('publish', async () => {
      const post = (await api('GET', `/v1/posts/${soon.body.id}`)).body;
      return post.status === 'published' ? post : undefined;
    });
    expect(Date.parse(published.deliveries[0].publishedAt)).toBeGreaterThanOrEqual(soonAt.getTime());
    expect(await jobExists(farAway.body.deliveries[0].id)).toBe(false);
    expect((await api('GET', `/v1/posts/${farAway.body.id}`)).body.status).toBe('scheduled');
  });

  it('holds a revoked channel\'s other posts until it is reconnected, and retry sends only the failed one', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: `revoked_${Date.now().toString(36)}` });
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'x', handle: channel.handle, revokeToken: true } });
    const first = await api('POST', '/v1/posts', { text: 'first after revoke', channelIds: [channel.id], schedule: { mode: 'now' } });
    await waitFor('the first to fail', async () => (await api('GET', `/v1/posts/${first.body.id}`)).body.status === 'failed');
    expect((await api('GET', `/v1/channels/${channel.id}`)).body.status).toBe('disconnected');

    // New posts to a disconnected channel are refused at once...
    expect((await api('POST', '/v1/posts', { text: 'refused', channelIds: [channel.id], schedule: { mode: 'now' } })).status).toBe(422);
    // ...and ones already scheduled wait rather than fail one by one.
    await stack.db.query(`UPDATE channels SET status = 'active' WHERE id = $1`, [channel.id]);
    const second = await api('POST', '/v1/posts', { text: 'second, waits', channelIds: [channel.id], schedule: { mode: 'at', at: new Date(Date.now() + 1500).toISOString() } });
    await stack.db.query(`UPDATE channels SET status = 'disconnected' WHERE id = $1`, [channel.id]);
    await sleep(2500);
    const waiting = (await api('GET', `/v1/posts/${second.body.id}`)).body;
    expect(waiting.status).toBe('scheduled');
    expect(waiting.deliveries[0].attemptCount).toBe(0);

    expectStatus(await api('POST', `/v1/posts/${first.body.id}/retry`), 422); // reconnect first
    // Without new credentials a disconnected channel stays disconnected.
    expectStatus(await api('PATCH', `/v1/channels/${channel.id}`, { status: 'active' }), 422);
    const fresh = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'x', handle: channel.handle } })).body.accessToken;
    const reconnected = await api('PATCH', `/v1/channels/${channel.id}`, { status: 'active', accessToken: fresh });
    expect(reconnected.status).toBe(200);
    expect(reconnected.body.status).toBe('active');
    await waitFor('the waiting post', async () => (await api('GET', `/v1/posts/${second.body.id}`)).body.status === 'published');

    const retried = await api('POST', `/v1/posts/${first.body.id}/retry`);
    expect(retried.status).toBe(200);
    await waitFor('the retried post', async () => (await api('GET', `/v1/posts/${first.body.id}`)).body.status === 'published');
    expectStatus(await api('POST', `/v1/posts/${first.body.id}/retry`), 409); // nothing failed any more
    const texts = (await stack.mockPosts({ network: 'x', handle: channel.handle })).map((post) => post.text).sort();
    expect(texts).toEqual(['first after revoke', 'second, waits']);
  });

  function expectStatus(answer: { status: number }, status: number) {
    expect(answer.status).toBe(status);
  }
});
