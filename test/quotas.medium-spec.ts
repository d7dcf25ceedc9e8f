/**
 * Posting quotas are known when a post is scheduled: a post that would take
 * a channel past its network's cap in some window is a 422 naming the
 * channel, the cap and the window, not a failure at publish time.
 */
import { http } from './support/http';
import { InProcessStack } from './support/in-process';
import { image as jpegImage, upload } from './support/media-files';

const DAY = 86_400_000;

describe('posting quotas', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start();
    ({ apiKey } = await stack.workspace('quotas'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const at = (ms: number) => ({ mode: 'at', at: new Date(ms).toISOString() });

  it('refuses the 251st Threads post in one 24-hour window with 422 naming the channel, the cap and the window; another channel is not affected', async () => {
    const full = await stack.channel(apiKey, { network: 'threads', handle: unique('busy') });
    const other = await stack.channel(apiKey, { network: 'threads', handle: unique('calm') });
    const start = Date.now() + 2 * DAY;
    // 250 over 10 hours, through bulk: all taken (the bulk's own posts count as they go).
    const posts = Array.from({ length: 250 }, (_, index) => ({ text: `quota ${index}`, channelIds: [full.id], schedule: at(start + index * 144_000) }));
    const bulk = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(bulk.body).toEqual(expect.objectContaining({ created: 250, failed: 0 }));

    // The 251st, 20 hours after the first: inside a 24 h window with all 250.
    const refused = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'one too many', channelIds: [full.id], schedule: at(start + 20 * 3_600_000) } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.title).toBe('Posting quota exceeded');
    expect(refused.body.detail).toContain(full.id);
    expect(refused.body.detail).toContain('at most 250 posts in 24 hours');
    expect(refused.body.errors).toEqual([{ path: 'channelIds', message: refused.body.detail }]);
    // Nothing written.
    const written = await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE text = 'one too many'`);
    expect(written.rows[0].n).toBe(0);

    // A post to both channels is refused whole; to the other channel alone, taken.
    const both = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'to both', channelIds: [other.id, full.id], schedule: at(start + 3_600_000) } });
    expect(both.status).toBe(422);
    const alone = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'to the calm one', channelIds: [other.id], schedule: at(start + 3_600_000) } });
    expect(alone.status).toBe(201);

    // 25 hours after the last of the 250 the window has moved on: taken.
    const later = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'next day', channelIds: [full.id], schedule: at(start + 249 * 144_000 + 25 * 3_600_000) } });
    expect(later.status).toBe(201);
    // A draft does not count, and is not refused.
    const draft = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'a draft', channelIds: [full.id], schedule: { mode: 'draft' } } });
    expect(draft.status).toBe(201);
  });

  it('fails only the bulk items past the cap, each with its own 422, and counts a cancelled post no more', async () => {
    const channel = await stack.channel(apiKey, { network: 'threads', handle: unique('bulk') });
    const start = Date.now() + 3 * DAY;
    const posts = Array.from({ length: 252 }, (_, index) => ({ text: `bulk quota ${index}`, channelIds: [channel.id], schedule: at(start + index * 1000) }));
    const bulk = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(bulk.body.created).toBe(250);
    expect(bulk.body.failed).toBe(2);
    const refusedItems = bulk.body.data.filter((item: { status: number }) => item.status !== 201);
    expect(refusedItems.map((item: { index: number; status: number; problem: { title: string } }) => [item.index, item.status, item.problem.title])).toEqual([
      [250, 422, 'Posting quota exceeded'],
      [251, 422, 'Posting quota exceeded'],
    ]);
    // Cancel one: its place is free again.
    const first = bulk.body.data[0].id;
    expect((await http('DELETE', `${stack.apiUrl}/v1/posts/${first}`, { token: apiKey })).status).toBeLessThan(300);
    const again = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'in its place', channelIds: [channel.id], schedule: at(start + 500) } });
    expect(again.status).toBe(201);
  });

  it('refuses moving a post into a full window, keeps it where it was, and lets a post move within its own window', async () => {
    const channel = await stack.channel(apiKey, { network: 'threads', handle: unique('moving') });
    const start = Date.now() + 4 * DAY;
    const posts = Array.from({ length: 250 }, (_, index) => ({ text: `moving ${index}`, channelIds: [channel.id], schedule: at(start + index * 144_000) }));
    const bulk = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(bulk.body.created).toBe(250);
    const away = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'far away', channelIds: [channel.id], schedule: at(start + 3 * DAY) } });
    expect(away.status).toBe(201);

    const into = await http('PATCH', `${stack.apiUrl}/v1/posts/${away.body.id}`, { token: apiKey, body: { schedule: at(start + 5 * 3_600_000) } });
    expect(into.status).toBe(422);
    expect(into.body.detail).toContain('at most 250 posts in 24 hours');
    const unchanged = await http('GET', `${stack.apiUrl}/v1/posts/${away.body.id}`, { token: apiKey });
    expect(unchanged.body.deliveries[0].scheduledAt).toBe(new Date(start + 3 * DAY).toISOString());

    // One of the 250 moved an hour later: still 250 in its window, not 251.
    const first = bulk.body.data[0].id;
    const within = await http('PATCH', `${stack.apiUrl}/v1/posts/${first}`, { token: apiKey, body: { schedule: at(start + 3_600_000) } });
    expect(within.status).toBe(200);
    const elsewhere = await http('PATCH', `${stack.apiUrl}/v1/posts/${away.body.id}`, { token: apiKey, body: { schedule: at(start + 2 * DAY) } });
    expect(elsewhere.status).toBe(200);
  });

  it("asks Instagram for the account's own publishing limit and holds posts to it", async () => {
    const channel = await stack.channel(apiKey, { network: 'instagram', handle: unique('insta') });
    expect((await http('PUT', `${stack.mockUrl}/_mock/quotas`, { body: { network: 'instagram', handle: channel.handle, quotaTotal: 3 } })).status).toBe(201);
    try {
      const start = Date.now() + DAY;
      const square = await upload(stack.apiUrl, apiKey, await jpegImage('jpeg', 1080, 1080), 'square.jpg', 'image/jpeg');
      const image = [{ mediaId: square.body.id, alt: 'a square' }];
      const posts = Array.from({ length: 4 }, (_, index) => ({ text: `insta quota ${index}`, media: image, channelIds: [channel.id], schedule: at(start + index * 60_000) }));
      const bulk = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
      expect(bulk.body.created).toBe(3);
      expect(bulk.body.data[3].problem.detail).toContain('at most 3 posts in 24 hours');
    } finally {
      await http('DELETE', `${stack.mockUrl}/_mock/quotas`);
    }
  });

  it('lets X take 100 posts in 15 minutes and refuses the 101st', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: unique('xq') });
    const start = Date.now() + DAY;
    const posts = Array.from({ length: 101 }, (_, index) => ({ text: `x quota ${index}`, channelIds: [channel.id], schedule: at(start + index * 5000) }));
    const bulk = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(bulk.body.created).toBe(100);
    expect(bulk.body.data[100].problem.detail).toContain('at most 100 posts in 15 minutes');
  });

  it("counts each part of a thread, and a first comment that is a reply, as a post against X's cap; a dry run says the room left", async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: unique('xt') });
    const start = Date.now() + DAY;
    const thread = (tag: string, parts: number, comment = false) => ({
      parts: Array.from({ length: parts }, (_, part) => ({ text: `${tag} ${part + 1}/${parts}` })),
      ...(comment ? { firstComment: { text: `${tag} comment` } } : {}),
      channelIds: [channel.id],
    });
    // 24 threads of 4 parts within 10 minutes: 96 posts on X, through bulk (the bulk's own threads count as they go).
    const posts = Array.from({ length: 24 }, (_, index) => ({ ...thread(`t${index}`, 4), schedule: at(start + index * 25_000) }));
    const bulk = await http('POST', `${stack.apiUrl}/v1/posts/bulk`, { token: apiKey, body: { posts } });
    expect(bulk.body).toEqual(expect.objectContaining({ created: 24, failed: 0 }));
    const when = at(start + 5 * 60_000);

    // Four parts and a comment would make 101.
    const dry = await http('POST', `${stack.apiUrl}/v1/posts/validate`, { token: apiKey, body: { ...thread('big', 4, true), schedule: when } });
    expect(dry.body.ok).toBe(false);
    const refused = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { ...thread('big', 4, true), schedule: when } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('at most 100 posts in 15 minutes; 96 are already scheduled');
    expect(refused.body.detail).toContain('this one makes 5');
    expect(dry.body.channels[0].problem.detail).toBe(refused.body.detail);

    // Three parts and a comment make 100: taken, and the dry run before it said no room would be left.
    const fits = await http('POST', `${stack.apiUrl}/v1/posts/validate`, { token: apiKey, body: { ...thread('fits', 3, true), schedule: when } });
    expect(fits.body.channels[0]).toMatchObject({ ok: true, quota: [{ posts: 100, window: '15 minutes', left: 0 }] });
    expect((await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { ...thread('fits', 3, true), schedule: when } })).status).toBe(201);
    // Then even one post is one too many.
    const one = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'one more', channelIds: [channel.id], schedule: when } });
    expect(one.status).toBe(422);
    expect(one.body.detail).toContain('100 are already scheduled');
  });
});
