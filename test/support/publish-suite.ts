/**
 * The foundation's promise, end to end: a post accepted by the API is
 * published once, on time, by the worker, to each mock network it names; in
 * bulk, each item on its own; never once cancelled; at once for "now", never
 * for a draft until it has a time; failed with the network's reason; with a
 * Mastodon channel's defaults. On a stack `start` makes:
 * test/publish.e2e-spec.ts runs it on the plain stack,
 * test/pgbouncer.e2e-spec.ts with Postgres behind PgBouncer. Answers the
 * stack, for checks of the caller's own after the suite's.
 */
import { http, sleep, waitFor } from './http';
import { Stack } from './stack';

export function publishingEndToEnd(start: () => Promise<Stack>): { stack: () => Stack } {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await start();
    ({ apiKey } = await stack.workspace('publish'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    http(method, `${stack.apiUrl}${path}`, { token: apiKey, body, headers });

  it('publishes a post to three channels once each, not early, with the external ids recorded', async () => {
    const suffix = Date.now().toString(36);
    const channels = await Promise.all([
      stack.channel(apiKey, { network: 'x', handle: `herald_x_${suffix}` }),
      stack.channel(apiKey, { network: 'bluesky', handle: `herald-${suffix}.bsky.social` }),
      stack.channel(apiKey, { network: 'mastodon', handle: `herald_${suffix}@mastodon.social` }),
    ]);
    const at = new Date(Date.now() + 2000);
    const created = await api('POST', '/v1/posts', {
      text: `Launch day ${suffix}`,
      channelIds: channels.map((channel) => channel.id),
      schedule: { mode: 'at', at: at.toISOString() },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('scheduled');
    expect(created.body.deliveries).toHaveLength(3);
    for (const delivery of created.body.deliveries) expect(delivery.scheduledAt).toBe(at.toISOString());

    const published = await waitFor('all three deliveries published', async () => {
      const post = (await api('GET', `/v1/posts/${created.body.id}`)).body;
      return post.status === 'published' ? post : undefined;
    });

    for (const channel of channels) {
      const accepted = await stack.mockPosts({ network: channel.network, handle: channel.handle });
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.text).toBe(`Launch day ${suffix}`);
      expect(new Date(accepted[0]!.receivedAt).getTime()).toBeGreaterThanOrEqual(at.getTime());
      const delivery = published.deliveries.find((entry: { channelId: string }) => entry.channelId === channel.id);
      expect(delivery.status).toBe('published');
      expect(delivery.externalId).toBe(accepted[0]!.id);
      expect(delivery.externalUrl).toMatch(/^https?:\/\/[^/]+\/./);
      expect(delivery.attemptCount).toBe(1);
      expect(delivery.attempts).toEqual([expect.objectContaining({ number: 1, outcome: 'published', errorCode: null })]);
    }
    // Mastodon honours idempotency keys: the delivery id went with the call.
    const [toot] = await stack.mockPosts({ network: 'mastodon', handle: channels[2]!.handle });
    expect(toot!.idempotencyKey).toBe(published.deliveries.find((entry: { channelId: string }) => entry.channelId === channels[2]!.id).id);
  });

  it('creates posts in bulk, each validated on its own, and publishes the valid ones', async () => {
    // 90: X takes 100 posts per 15 minutes per account, and refuses more when they are scheduled (see quotas.e2e-spec).
    const channel = await stack.channel(apiKey, { network: 'x', handle: `bulk_${Date.now().toString(36)}` });
    const posts = [
      ...Array.from({ length: 90 }, (_, index) => ({ text: `bulk ${index}`, channelIds: [channel.id], schedule: { mode: 'now' } })),
      { text: 'x'.repeat(281), channelIds: [channel.id], schedule: { mode: 'now' } },
      { text: 'unknown channel', channelIds: ['00000000-0000-0000-0000-000000000000'], schedule: { mode: 'now' } },
      { text: 'malformed', channelIds: 'nope', schedule: { mode: 'now' } },
      { text: 'in the past', channelIds: [channel.id], schedule: { mode: 'at', at: '2020-01-01T00:00:00Z' } },
      'not an object',
    ];
    const answer = await api('POST', '/v1/posts/bulk', { posts });
    expect(answer.status).toBe(200);
    expect(answer.body.created).toBe(90);
    expect(answer.body.failed).toBe(5);
    const statuses = answer.body.data.slice(90).map((item: { index: number; status: number }) => [item.index, item.status]);
    expect(statuses).toEqual([[90, 422], [91, 404], [92, 400], [93, 422], [94, 400]]);
    expect(answer.body.data[90].problem.detail).toContain(channel.id);
    await waitFor('90 bulk posts published', async () => (await stack.mockPosts({ handle: channel.handle })).length === 90, { timeoutMs: 30_000 });
    const texts = new Set((await stack.mockPosts({ handle: channel.handle })).map((post) => post.text));
    expect(texts.size).toBe(90);
    expect(texts.has('in the past')).toBe(false);
    expect((await api('POST', '/v1/posts/bulk', { posts: [] })).status).toBe(400);
    expect((await api('POST', '/v1/posts/bulk', { posts: Array(1001).fill(posts[0]) })).status).toBe(400);
  });

  it('never publishes a post cancelled before its time', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: `cancel_${Date.now().toString(36)}` });
    const created = await api('POST', '/v1/posts', {
      text: 'This should never go out',
      channelIds: [channel.id],
      schedule: { mode: 'at', at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(created.status).toBe(201);
    const cancelled = await api('DELETE', `/v1/posts/${created.body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await sleep(3000);
    expect(await stack.mockPosts({ handle: channel.handle })).toHaveLength(0);
    expect((await api('GET', `/v1/posts/${created.body.id}`)).body.deliveries[0].status).toBe('cancelled');
  });

  it('publishes "now" at once and keeps drafts unpublished', async () => {
    const channel = await stack.channel(apiKey, { network: 'linkedin', handle: `now_${Date.now().toString(36)}` });
    const draft = await api('POST', '/v1/posts', { text: 'Draft only', channelIds: [channel.id], schedule: { mode: 'draft' } });
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.deliveries[0].scheduledAt).toBeNull();

    const started = Date.now();
    const now = await api('POST', '/v1/posts', { text: 'Right now', channelIds: [channel.id], schedule: { mode: 'now' } });
    expect(now.status).toBe(201);
    await waitFor('the "now" post', async () => (await api('GET', `/v1/posts/${now.body.id}`)).body.status === 'published');
    expect(Date.now() - started).toBeLessThan(10_000);
    const accepted = await stack.mockPosts({ handle: channel.handle });
    expect(accepted.map((post) => post.text)).toEqual(['Right now']);
  });

  it('publishes a draft once it is given a time', async () => {
    const channel = await stack.channel(apiKey, { network: 'threads', handle: `later_${Date.now().toString(36)}` });
    const draft = await api('POST', '/v1/posts', { text: 'Later', channelIds: [channel.id], schedule: { mode: 'draft' } });
    const at = new Date(Date.now() + 1000);
    const patched = await api('PATCH', `/v1/posts/${draft.body.id}`, { text: 'Later, edited', schedule: { mode: 'at', at: at.toISOString() } });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('scheduled');
    await waitFor('the edited draft', async () => (await api('GET', `/v1/posts/${draft.body.id}`)).body.status === 'published');
    expect((await stack.mockPosts({ handle: channel.handle })).map((post) => post.text)).toEqual(['Later, edited']);
  });

  it('records a rejected post as failed with the network reason, and a revoked token disconnects the channel', async () => {
    const channel = await stack.channel(apiKey, { network: 'facebook', handle: `revoked_${Date.now().toString(36)}` });
    const fault = await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'facebook', handle: channel.handle, revokeToken: true } });
    expect(fault.status).toBeLessThan(300);
    const created = await api('POST', '/v1/posts', { text: 'Token is gone', channelIds: [channel.id], schedule: { mode: 'now' } });
    const failed = await waitFor('the failure', async () => {
      const post = (await api('GET', `/v1/posts/${created.body.id}`)).body;
      return post.status === 'failed' ? post : undefined;
    });
    expect(failed.deliveries[0].lastError.code).toBeTruthy();
    expect(failed.deliveries[0].attempts).toHaveLength(1);
    expect(failed.deliveries[0].attempts[0].outcome).toBe('auth_revoked');
    expect((await api('GET', `/v1/channels/${channel.id}`)).body.status).toBe('disconnected');
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it("posts to Mastodon with the channel's default visibility and language, changed with PATCH; other networks take none", async () => {
    const handle = `defaults_${Date.now().toString(36)}`;
    const instanceUrl = stack.networkUrl('mastodon', 1);
    const token = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'mastodon', handle, instanceUrl } })).body.accessToken;
    const created = await api('POST', '/v1/channels', { network: 'mastodon', instanceUrl, accessToken: token, postDefaults: { visibility: 'unlisted', language: 'de' } });
    expect(created.status).toBe(201);
    expect(created.body.postDefaults).toEqual({ visibility: 'unlisted', language: 'de' });
    const publish = async (text: string) => {
      const post = await api('POST', '/v1/posts', { text, channelIds: [created.body.id], schedule: { mode: 'now' } });
      await waitFor(text, async () => (await api('GET', `/v1/posts/${post.body.id}`)).body.status === 'published');
    };
    await publish('Guten Morgen');
    // Only the language changes; the visibility stays.
    const patched = await api('PATCH', `/v1/channels/${created.body.id}`, { postDefaults: { language: 'fr' } });
    expect(patched.body.postDefaults).toEqual({ visibility: 'unlisted', language: 'fr' });
    await publish('Bonjour');
    const posted = (await stack.mockPosts({ network: 'mastodon', handle })) as unknown as { text: string; visibility: string; language: string }[];
    expect(posted.map(({ text, visibility, language }) => ({ text, visibility, language }))).toEqual([
      { text: 'Guten Morgen', visibility: 'unlisted', language: 'de' },
      { text: 'Bonjour', visibility: 'unlisted', language: 'fr' },
    ]);

    const x = await stack.channel(apiKey, { network: 'x', handle: `nodefaults_${Date.now().toString(36)}` });
    expect((await api('PATCH', `/v1/channels/${x.id}`, { postDefaults: { language: 'de' } })).status).toBe(422);
    expect((await api('PATCH', `/v1/channels/${created.body.id}`, { postDefaults: { visibility: 'everyone' } })).status).toBe(400);
    expect((await api('PATCH', `/v1/channels/${created.body.id}`, { postDefaults: { language: 'German' } })).status).toBe(400);
  });

  return { stack: () => stack };
}
