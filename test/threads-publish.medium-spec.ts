/**
 * Threads and first comments through Herald (issue 30; PRODUCT.md section
 * 10), the API, the worker and the mock in process on real Postgres and
 * Redis: a thread of four parts to X, Bluesky, Mastodon and Threads, each
 * part a reply to the one before on each network; each part's own files
 * on the reply that carries them, uploaded once; a second part the
 * network refuses stops the thread, and a retry after an edit publishes
 * parts 2 and 3 only; a part accepted while its answer was lost is looked
 * up, not sent again; a first comment on LinkedIn, Facebook and Instagram
 * once each, also when its answer was lost; a comment refused does not
 * undo the post, and a retry sends only the comment; the 422s and 400s of
 * the shapes at schedule time.
 */
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';
import { image, upload } from './support/media-files';
import { mockCalls } from './support/mock-networks';

interface MockRow {
  id: string;
  text: string;
  kind: 'post' | 'reply' | 'comment';
  replyTo: string | null;
}

interface PartView {
  index: number;
  status: string;
  externalId: string | null;
  externalUrl: string | null;
  lastError: { code: string; message: string | null } | null;
}

describe('threads and first comments, published exactly once', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { NETWORK_QUOTAS: 'x=off', RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '300', HERALD_URL_ALLOWLIST: '127.0.0.1' } });
    ({ apiKey } = await stack.workspace('threads-publish'));
    // Events are recorded for a workspace that subscribes to them (where they are sent matters not here).
    const hook = await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: `${stack.mockUrl}/_mock/health`, events: ['post.published', 'post.failed', 'delivery.failed'] } });
    expect(hook.status).toBe(201);
  });

  afterAll(async () => {
    if (stack) await http('DELETE', `${stack.mockUrl}/_mock/faults`).catch(() => undefined);
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const mockRows = async (network: string, handle: string) =>
    ((await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network, handle })}`)).body.data as MockRow[]).map(({ id, text, kind, replyTo }) => ({ id, text, kind, replyTo }));
  const fault = async (rule: Record<string, unknown>) => expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: rule })).status).toBe(201);
  const settled = (postId: string, wanted: string[] = ['published']) =>
    waitFor(
      `post ${postId} ${wanted.join(' or ')}`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        return wanted.includes(post.status) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
  const handleFor = (network: string, suffix: string) => (network === 'mastodon' ? `m_${suffix}@example.social` : `${network}_${suffix}`);
  /** The rows of one thread on the mock, oldest first: a post, then replies each to the one before. */
  const expectChain = (rows: MockRow[], texts: string[]) => {
    expect(rows.map((row) => row.text)).toEqual(texts);
    rows.forEach((row, index) => {
      expect(row.kind).toBe(index === 0 ? 'post' : 'reply');
      expect(row.replyTo).toBe(index === 0 ? null : rows[index - 1]!.id);
    });
  };

  it('publishes a thread of four parts to X, Bluesky, Mastodon and Threads, each part replying to the one before, and a first comment after the last', async () => {
    const suffix = `${Date.now().toString(36)}a`;
    const networks = ['x', 'bluesky', 'mastodon', 'threads'];
    const channels = await Promise.all(networks.map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const parts = [1, 2, 3, 4].map((n) => ({ text: `Thread ${suffix} ${n}/4` }));
    const created = await api('POST', '/v1/posts', {
      parts,
      firstComment: { text: `More at example.com ${suffix}` },
      channelIds: channels.map((channel) => channel.id),
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    expect(created.body.parts.map((part: { text: string }) => part.text)).toEqual(parts.map((part) => part.text));
    expect(created.body.firstComment).toEqual({ text: `More at example.com ${suffix}` });
    expect(created.body.text).toBe(parts[0]!.text);

    const post = await settled(created.body.id);
    for (const channel of channels) {
      const delivery = post.deliveries.find((candidate: { channelId: string }) => candidate.channelId === channel.id);
      const rows = await mockRows(channel.network, channel.handle);
      // Four parts and the comment (a reply after the last part), each once, each replying to the one before.
      expectChain(rows, [...parts.map((part) => part.text), `More at example.com ${suffix}`]);
      expect(delivery.parts.map((part: PartView) => [part.index, part.status, part.externalId])).toEqual(rows.slice(0, 4).map((row, index) => [index, 'published', row.id]));
      for (const part of delivery.parts as PartView[]) expect(part.externalUrl).toMatch(/^https?:\/\//);
      expect(delivery.firstComment).toMatchObject({ status: 'published', externalId: rows[4]!.id, lastError: null });
      // The delivery is its first part.
      expect(delivery.externalId).toBe(rows[0]!.id);
    }
    // post.published once, when everything was out.
    const events = await stack.db.query(`SELECT type, payload->'data' AS data FROM webhook_events WHERE payload->'data'->>'postId' = $1`, [created.body.id]);
    expect(events.rows.filter((row) => row.type === 'post.published')).toHaveLength(1);
  });

  it("sends each part's own files with that part on X, Bluesky, Mastodon and Threads, each file uploaded once", async () => {
    const suffix = `${Date.now().toString(36)}m`;
    const networks = ['x', 'bluesky', 'mastodon', 'threads'];
    const channels = await Promise.all(networks.map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const [chart, team, booth] = await Promise.all([
      upload(stack.apiUrl, apiKey, await image('png', 800, 600), 'chart.png', 'image/png'),
      upload(stack.apiUrl, apiKey, await image('jpeg', 1000, 800), 'team.jpg', 'image/jpeg'),
      upload(stack.apiUrl, apiKey, await image('jpeg', 640, 640), 'booth.jpg', 'image/jpeg'),
    ]);
    for (const uploaded of [chart, team, booth]) expect(uploaded.status).toBe(201);
    const created = await api('POST', '/v1/posts', {
      parts: [
        { text: `Files ${suffix} 1/3`, media: [{ mediaId: chart.body.id, alt: 'A chart' }] },
        { text: `Files ${suffix} 2/3` },
        { text: `Files ${suffix} 3/3`, media: [{ mediaId: team.body.id, alt: 'The team' }, { mediaId: booth.body.id, alt: 'The booth' }] },
      ],
      channelIds: channels.map((channel) => channel.id),
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    expect(created.body.parts.map((part: { media: unknown[] }) => part.media.length)).toEqual([1, 0, 2]);
    await settled(created.body.id);
    for (const channel of channels) {
      const rows = (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network: channel.network, handle: channel.handle })}`)).body.data as (MockRow & { media: { alt?: string; width: number; height: number }[] })[];
      expectChain(rows, [1, 2, 3].map((n) => `Files ${suffix} ${n}/3`));
      // Each reply with its own files, in order with their alt text: none on the part without.
      expect(rows.map((row) => row.media.map((item) => [item.alt, item.width, item.height]))).toEqual([
        [['A chart', 800, 600]],
        [],
        [
          ['The team', 1000, 800],
          ['The booth', 640, 640],
        ],
      ]);
    }
    // Each file uploaded once to each network that takes uploads (Threads fetches Herald's link).
    const calls = async (network: string, handle: string) => (await mockCalls({ controlUrl: stack.mockUrl }, { network, handle })).data.map((call) => `${call.method} ${call.path.split('?')[0]}`);
    expect((await calls('x', channels[0]!.handle)).filter((call) => call === 'POST /2/media/upload')).toHaveLength(3);
    expect((await calls('bluesky', channels[1]!.handle)).filter((call) => call.endsWith('com.atproto.repo.uploadBlob'))).toHaveLength(3);
    expect((await calls('mastodon', channels[2]!.handle)).filter((call) => call === 'POST /api/v2/media')).toHaveLength(3);
  });

  it("varies each part per channel: X gets its own shorter replies, Mastodon the parts' texts; a part's variant is checked against its channel", async () => {
    const suffix = `${Date.now().toString(36)}v`;
    const [x, mastodon] = await Promise.all(['x', 'mastodon'].map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const long = `Part two in full, as Mastodon takes it: ${'m'.repeat(300)} ${suffix}`;
    const body = (xReply: string) => ({
      parts: [{ text: `Variants ${suffix} 1/3` }, { text: long, variants: { [x!.id]: xReply } }, { text: `Part three ${suffix}`, variants: { [x!.id]: `Three, for X ${suffix}` } }],
      variants: { [x!.id]: `Variants ${suffix} 1/3, for X` },
      channelIds: [x!.id, mastodon!.id],
      schedule: { mode: 'now' },
    });
    // X's own text for part 2 too long: refused, at that variant's path; the dry run counts it there.
    const dry = await api('POST', '/v1/posts/validate', body('x'.repeat(281)));
    expect(dry.body.channels[0].text.map((count: { path: string; length: number }) => [count.path, count.length])).toEqual([
      [`variants.${x!.id}`, `Variants ${suffix} 1/3, for X`.length],
      [`parts[1].variants.${x!.id}`, 281],
      [`parts[2].variants.${x!.id}`, `Three, for X ${suffix}`.length],
    ]);
    const refused = await api('POST', '/v1/posts', body('x'.repeat(281)));
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: `parts[1].variants.${x!.id}`, message: expect.stringMatching(/part 1: .*280/) }]);
    // A part's variant for a channel the post does not go to, and one for the first part, are refused as shapes.
    const stranger = await api('POST', '/v1/posts', { ...body('short'), parts: [{ text: 'a' }, { text: 'b', variants: { '00000000-0000-4000-8000-000000000000': 'c' } }] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors).toEqual([{ path: 'parts[1].variants.00000000-0000-4000-8000-000000000000', message: "is not one of the post's channels" }]);
    const first = await api('POST', '/v1/posts', { ...body('short'), parts: [{ text: 'a', variants: { [x!.id]: 'b' } }, { text: 'c' }] });
    expect(first.status).toBe(400);
    expect(first.body.errors).toEqual([{ path: 'parts[0].variants', message: "give the first part's per-channel texts in variants" }]);

    const created = await api('POST', '/v1/posts', body(`Two, for X ${suffix}`));
    expect(created.status).toBe(201);
    expect(created.body.parts[1].variants).toEqual({ [x!.id]: `Two, for X ${suffix}` });
    await settled(created.body.id);
    expectChain(await mockRows('x', x!.handle), [`Variants ${suffix} 1/3, for X`, `Two, for X ${suffix}`, `Three, for X ${suffix}`]);
    expectChain(await mockRows('mastodon', mastodon!.handle), [`Variants ${suffix} 1/3`, long, `Part three ${suffix}`]);
  });

  it('a second part the network refuses stops the thread; a retry after the edit publishes parts 2 and 3 only, replying to part 1', async () => {
    const suffix = `${Date.now().toString(36)}b`;
    const [x, mastodon] = await Promise.all(['x', 'mastodon'].map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    await fault({ network: 'x', handle: x.handle, textContains: 'REFUSED', status: 403, message: 'You are not permitted to perform this action.' });
    await fault({ network: 'mastodon', handle: mastodon.handle, textContains: 'REFUSED', status: 422, message: 'Validation failed: Text is refused' });
    const created = await api('POST', '/v1/posts', {
      parts: [{ text: `One ${suffix}` }, { text: `Two REFUSED ${suffix}` }, { text: `Three ${suffix}` }],
      channelIds: [x.id, mastodon.id],
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    const failed = await settled(created.body.id, ['failed']);
    for (const channel of [x, mastodon]) {
      const delivery = failed.deliveries.find((candidate: { channelId: string }) => candidate.channelId === channel.id);
      const rows = await mockRows(channel.network, channel.handle);
      expect(rows.map((row) => row.text)).toEqual([`One ${suffix}`]);
      expect(delivery.status).toBe('failed');
      expect(delivery.lastError.message).toMatch(/^part 2 of 3: /);
      const [one, two, three] = delivery.parts as PartView[];
      expect(one).toMatchObject({ index: 0, status: 'published', externalId: rows[0]!.id, lastError: null });
      expect(one!.externalUrl).toMatch(/^https?:\/\//);
      expect(two).toMatchObject({ index: 1, status: 'failed', externalId: null, lastError: { message: expect.stringMatching(/^part 2 of 3: .*(not permitted|refused)/) } });
      expect(three).toMatchObject({ index: 2, status: 'pending', externalId: null });
    }
    // post.failed names the part.
    const events = await stack.db.query(`SELECT payload->'data' AS data FROM webhook_events WHERE type = 'post.failed' AND payload->'data'->>'postId' = $1`, [created.body.id]);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].data.parts).toEqual(expect.arrayContaining([expect.objectContaining({ index: 1, kind: 'part' })]));

    // The refused part mended, then retried: parts 2 and 3 go, part 1 is not sent again.
    const edited = await api('PATCH', `/v1/posts/${created.body.id}`, { parts: [{ text: `One ${suffix}` }, { text: `Two, mended ${suffix}` }, { text: `Three ${suffix}` }] });
    expect(edited.status).toBe(200);
    expect(edited.body.parts[1].text).toBe(`Two, mended ${suffix}`);
    expect((await api('POST', `/v1/posts/${created.body.id}/retry`)).status).toBe(200);
    const done = await settled(created.body.id);
    for (const channel of [x, mastodon]) {
      const rows = await mockRows(channel.network, channel.handle);
      expectChain(rows, [`One ${suffix}`, `Two, mended ${suffix}`, `Three ${suffix}`]);
      const delivery = done.deliveries.find((candidate: { channelId: string }) => candidate.channelId === channel.id);
      expect(delivery.parts.map((part: PartView) => [part.status, part.externalId])).toEqual(rows.map((row) => ['published', row.id]));
      expect(delivery.lastError).toBeNull();
    }
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it('a part the network took while its answer was lost is looked up and replied to, never sent again', async () => {
    const suffix = `${Date.now().toString(36)}c`;
    const x = await stack.channel(apiKey, { network: 'x', handle: handleFor('x', suffix) });
    // X takes part 2, then the connection drops before it answers: the worker cannot tell, and looks.
    await fault({ network: 'x', handle: x.handle, path: '/2/tweets', textContains: 'Lost', dropAfterAccept: true, times: 1 });
    const created = await api('POST', '/v1/posts', { parts: [{ text: `First ${suffix}` }, { text: `Lost ${suffix}` }, { text: `Last ${suffix}` }], channelIds: [x.id], schedule: { mode: 'now' } });
    expect(created.status).toBe(201);
    await settled(created.body.id);
    expectChain(await mockRows('x', x.handle), [`First ${suffix}`, `Lost ${suffix}`, `Last ${suffix}`]);
    const attempts = (await api('GET', `/v1/posts/${created.body.id}`)).body.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome);
    expect(attempts).toEqual(expect.arrayContaining(['lookup_found']));
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it('a first comment on LinkedIn, Facebook and Instagram, once each, also when the answer to it was lost', async () => {
    const suffix = `${Date.now().toString(36)}d`;
    const networks = ['linkedin', 'facebook', 'instagram'];
    const channels = await Promise.all(networks.map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    // The comment is taken and its answer lost on LinkedIn: looked up in the post's comments, not sent twice.
    await fault({ network: 'linkedin', handle: channels[0]!.handle, path: '/comments', dropAfterAccept: true, times: 1 });
    // Instagram takes no post without media.
    const uploaded = await upload(stack.apiUrl, apiKey, await image('jpeg', 1080, 1080), 'comment.jpg', 'image/jpeg');
    expect(uploaded.status).toBe(201);
    const created = await api('POST', '/v1/posts', {
      text: `A post with a comment ${suffix}`,
      media: [{ mediaId: uploaded.body.id }],
      firstComment: { text: `The first comment ${suffix}` },
      channelIds: channels.map((channel) => channel.id),
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    const post = await settled(created.body.id);
    for (const channel of channels) {
      const rows = await mockRows(channel.network, channel.handle);
      expect(rows.map(({ kind, text }) => ({ kind, text }))).toEqual([
        { kind: 'post', text: `A post with a comment ${suffix}` },
        { kind: 'comment', text: `The first comment ${suffix}` },
      ]);
      expect(rows[1]!.replyTo).toBe(rows[0]!.id);
      const delivery = post.deliveries.find((candidate: { channelId: string }) => candidate.channelId === channel.id);
      expect(delivery.parts).toEqual([expect.objectContaining({ index: 0, status: 'published', externalId: rows[0]!.id })]);
      expect(delivery.firstComment).toMatchObject({ status: 'published', externalId: rows[1]!.id });
    }
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it('a first comment refused leaves the post out; a retry sends only the comment', async () => {
    const suffix = `${Date.now().toString(36)}e`;
    const facebook = await stack.channel(apiKey, { network: 'facebook', handle: handleFor('facebook', suffix) });
    await fault({ network: 'facebook', handle: facebook.handle, path: '/comments', status: 400, message: 'Invalid parameter', times: 1 });
    const created = await api('POST', '/v1/posts', { text: `Out ${suffix}`, firstComment: { text: `Comment ${suffix}` }, channelIds: [facebook.id], schedule: { mode: 'now' } });
    const failed = await settled(created.body.id, ['failed']);
    const delivery = failed.deliveries[0];
    expect(delivery.parts[0]).toMatchObject({ status: 'published', externalId: expect.any(String) });
    expect(delivery.firstComment).toMatchObject({ status: 'failed', externalId: null, lastError: { message: expect.stringContaining('first comment') } });
    expect((await mockRows('facebook', facebook.handle)).map((row) => row.kind)).toEqual(['post']);

    expect((await api('POST', `/v1/posts/${created.body.id}/retry`)).status).toBe(200);
    const done = await settled(created.body.id);
    const rows = await mockRows('facebook', facebook.handle);
    expect(rows.map(({ kind, text }) => ({ kind, text }))).toEqual([
      { kind: 'post', text: `Out ${suffix}` },
      { kind: 'comment', text: `Comment ${suffix}` },
    ]);
    expect(done.deliveries[0].externalId).toBe(rows[0]!.id);
    expect(done.deliveries[0].firstComment).toMatchObject({ status: 'published', externalId: rows[1]!.id });
  });

  it('checks each part and the comment on each channel when scheduled: 422 naming the channel and the part; 400 for the shapes', async () => {
    const suffix = `${Date.now().toString(36)}f`;
    const [x, linkedin] = await Promise.all(['x', 'linkedin'].map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const tooLong = await api('POST', '/v1/posts', { parts: [{ text: 'fine' }, { text: 'y'.repeat(300) }], channelIds: [x.id], schedule: { mode: 'at', at } });
    expect(tooLong).toMatchObject({ status: 422, body: { errors: [{ path: 'parts[1]', message: expect.stringContaining(`channel ${x.id} (x `) }] } });
    expect(tooLong.body.errors[0].message).toContain('part 1');
    const noThreads = await api('POST', '/v1/posts', { parts: [{ text: 'one' }, { text: 'two' }], channelIds: [linkedin.id], schedule: { mode: 'at', at } });
    expect(noThreads).toMatchObject({ status: 422, body: { errors: [{ path: 'parts', message: expect.stringMatching(new RegExp(`^channel ${linkedin.id} \\(linkedin .*has no threads`)) }] } });
    const longComment = await api('POST', '/v1/posts', { text: 'fine', firstComment: { text: 'z'.repeat(300) }, channelIds: [x.id], schedule: { mode: 'at', at } });
    expect(longComment).toMatchObject({ status: 422, body: { errors: [{ path: 'firstComment' }] } });

    const both = await api('POST', '/v1/posts', { text: 'a', parts: [{ text: 'a' }], channelIds: [x.id], schedule: { mode: 'draft' } });
    expect(both).toMatchObject({ status: 400, body: { errors: [{ path: 'parts' }] } });
    const neither = await api('POST', '/v1/posts', { channelIds: [x.id], schedule: { mode: 'draft' } });
    expect(neither).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ path: 'text' })] } });
    expect((await api('POST', '/v1/posts', { parts: [], channelIds: [x.id], schedule: { mode: 'draft' } })).status).toBe(400);
    expect((await api('POST', '/v1/posts', { parts: [{ media: [] }], channelIds: [x.id], schedule: { mode: 'draft' } })).status).toBe(400);
    expect((await api('POST', '/v1/posts', { text: 'a', firstComment: { text: '  ' }, channelIds: [x.id], schedule: { mode: 'draft' } })).status).toBe(400);
    // One part is today's post, to any network.
    const single = await api('POST', '/v1/posts', { parts: [{ text: `Alone ${suffix}` }], channelIds: [linkedin.id], schedule: { mode: 'draft' } });
    expect(single.status).toBe(201);
    expect(single.body).toMatchObject({ text: `Alone ${suffix}`, parts: [{ text: `Alone ${suffix}`, media: [] }], firstComment: null });
    // Bulk takes threads too, a reply's own text per channel included, each item checked on its own.
    const bulk = await api('POST', '/v1/posts/bulk', {
      posts: [
        { parts: [{ text: 'b1' }, { text: 'b2', variants: { [x.id]: 'b2 for X' } }], channelIds: [x.id], schedule: { mode: 'draft' } },
        { parts: [{ text: 'b1' }, { text: 'b2' }], channelIds: [linkedin.id], schedule: { mode: 'at', at } },
        { parts: [{ text: 'b1' }, { text: 'b2', variants: { [x.id]: 'y'.repeat(281) } }], channelIds: [x.id], schedule: { mode: 'at', at } },
      ],
    });
    expect(bulk.body.data.map((item: { status: number }) => item.status)).toEqual([201, 422, 422]);
    expect(bulk.body.data[2].problem.errors).toEqual([{ path: `parts[1].variants.${x.id}`, message: expect.stringMatching(/part 1: .*280/) }]);
    expect((await api('GET', `/v1/posts/${bulk.body.data[0].id}`)).body.parts[1]).toEqual({ text: 'b2', media: [], variants: { [x.id]: 'b2 for X' } });
    // An edit may remove the first comment.
    const commented = await api('POST', '/v1/posts', { text: 'c', firstComment: { text: 'to remove' }, channelIds: [x.id], schedule: { mode: 'draft' } });
    expect((await api('PATCH', `/v1/posts/${commented.body.id}`, { firstComment: null })).body.firstComment).toBeNull();
  });
});
