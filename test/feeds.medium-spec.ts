/**
 * Feeds (`/v1/feeds`, docs/feeds-and-import.md): a feed served on loopback
 * (allowed by HERALD_URL_ALLOWLIST, as an operator would allow an internal
 * host) polled by the background poller and on demand: 3 items make 3
 * posts, a new item one more, the same guids again none; a 304 is answered
 * without reading a document; a feed that keeps failing is marked broken;
 * a private address is refused when the feed is added.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

interface Served {
  path: string;
  ifNoneMatch?: string;
  status: number;
}

describe('feeds', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let server: Server;
  let origin: string;
  const served: Served[] = [];
  /** What /feed.xml holds now: its ETag and its items (newest first, as feeds list them). */
  let feed = { etag: '"v1"', items: [] as { guid: string; title: string; link: string }[] };

  const rss = () =>
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Blog</title>${feed.items
      .map((item) => `<item><guid isPermaLink="false">${item.guid}</guid><title>${item.title}</title><link>${item.link}</link><description>&lt;p&gt;About ${item.guid}&lt;/p&gt;</description></item>`)
      .join('')}</channel></rss>`;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const path = request.url ?? '';
      const ifNoneMatch = request.headers['if-none-match'] as string | undefined;
      const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
        served.push({ path, ifNoneMatch, status });
        response.writeHead(status, headers).end(body);
      };
      if (path === '/feed.xml') {
        if (ifNoneMatch === feed.etag) return answer(304, '', { etag: feed.etag });
        return answer(200, rss(), { 'content-type': 'application/rss+xml', etag: feed.etag });
      }
      if (path === '/broken') return answer(500, 'oops');
      return answer(404, 'no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack = await InProcessStack.start({ env: { HERALD_URL_ALLOWLIST: '127.0.0.1' } });
    ({ apiKey } = await stack.workspace('feeds'));
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const postsLike = async (prefix: string) => (await stack.db.query(`SELECT text FROM posts WHERE text LIKE $1 ORDER BY created_at`, [`${prefix}%`])).rows.map((row) => row.text as string);

  it('makes one post per new item, none for a guid seen before, and answers a 304 without reading anything', async () => {
    const tag = `feed${Date.now().toString(36)}`;
    const x = await stack.channel(apiKey, { network: 'x', handle: `${tag}_x` });
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const long = `${tag} long ${'word '.repeat(80)}`.trim();
    feed = {
      etag: '"v1"',
      items: [
        { guid: `${tag}-3`, title: long, link: 'https://blog.example.com/3' },
        { guid: `${tag}-2`, title: `${tag} second &amp; better`, link: 'https://blog.example.com/2' },
        { guid: `${tag}-1`, title: `${tag} first`, link: 'https://blog.example.com/1' },
      ],
    };
    const created = await api('POST', '/v1/feeds', { url: `${origin}/feed.xml`, channelIds: [x.id, mastodon.id], mode: 'draft', intervalMinutes: 60 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ status: 'active', template: '{{title}} {{link}}', intervalMinutes: 60, lastPolledAt: null }));
    const id = created.body.id as string;

    // The background poller takes the new feed (due at once): 3 items, 3 posts, oldest first.
    await waitFor('the first poll', async () => (await api('GET', `/v1/feeds/${id}`)).body.lastPolledAt !== null, { timeoutMs: 40_000, intervalMs: 500 });
    const first = (await api('GET', `/v1/feeds/${id}`)).body;
    expect(first).toEqual(expect.objectContaining({ status: 'active', failures: 0, lastError: null }));
    expect(first.recentItems).toHaveLength(3);
    expect(first.recentItems.every((item: { postId: string | null }) => item.postId !== null)).toBe(true);
    const texts = await postsLike(tag);
    expect(texts).toEqual([`${tag} first https://blog.example.com/1`, `${tag} second & better https://blog.example.com/2`, `${long} https://blog.example.com/3`]);
    // The long title is cut for X (280), whole for Mastodon (500), the link kept.
    const longPost = first.recentItems.find((item: { guid: string }) => item.guid === `${tag}-3`).postId as string;
    const view = (await api('GET', `/v1/posts/${longPost}`)).body;
    const xText = view.variants?.[x.id] as string;
    // X counts a link as 23 characters, whatever its length.
    expect(xText.length - 'https://blog.example.com/3'.length + 23).toBeLessThanOrEqual(280);
    expect(xText.length).toBeLessThan(`${long} https://blog.example.com/3`.length);
    expect(xText).toMatch(/… https:\/\/blog\.example\.com\/3$/);
    expect(view.variants?.[mastodon.id]).toBeUndefined();

    // Nothing changed: the feed's ETag is sent, the 304 is taken as it is.
    const notModified = await api('POST', `/v1/feeds/${id}/poll`);
    expect(notModified.status).toBe(200);
    expect(notModified.body).toEqual(expect.objectContaining({ outcome: 'not_modified', newItems: 0, postsCreated: 0 }));
    expect(served[served.length - 1]).toEqual({ path: '/feed.xml', ifNoneMatch: '"v1"', status: 304 });
    expect(notModified.body.feed.lastChangedAt).toBe(first.lastChangedAt);
    expect(notModified.body.feed.lastPolledAt > first.lastPolledAt).toBe(true);

    // A new item: one more post.
    feed = { etag: '"v2"', items: [{ guid: `${tag}-4`, title: `${tag} fourth`, link: 'https://blog.example.com/4' }, ...feed.items] };
    const newer = await api('POST', `/v1/feeds/${id}/poll`);
    expect(newer.body).toEqual(expect.objectContaining({ outcome: 'changed', newItems: 1, postsCreated: 1 }));
    expect(await postsLike(tag)).toHaveLength(4);

    // The same guids in a changed document (another ETag, titles edited): nothing new.
    feed = { etag: '"v3"', items: feed.items.map((item) => ({ ...item, title: `${item.title} (edited)` })) };
    const same = await api('POST', `/v1/feeds/${id}/poll`);
    expect(same.body).toEqual(expect.objectContaining({ outcome: 'changed', newItems: 0, postsCreated: 0 }));
    expect(await postsLike(tag)).toHaveLength(4);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM feed_items WHERE feed_id = $1`, [id])).rows[0].n).toBe(4);

    // Paused: not polled by the background; listed with its status.
    expect((await api('PATCH', `/v1/feeds/${id}`, { status: 'paused' })).body.status).toBe('paused');
    expect((await api('GET', '/v1/feeds')).body.data.find((listed: { id: string }) => listed.id === id).status).toBe('paused');
  });

  it('marks a feed that keeps failing broken, with its error, and polls it later after each failure', async () => {
    const x = await stack.channel(apiKey, { network: 'x', handle: `broken_${Date.now().toString(36)}` });
    const created = await api('POST', '/v1/feeds', { url: `${origin}/broken`, channelIds: [x.id], mode: 'draft', intervalMinutes: 1 });
    const id = created.body.id as string;
    await waitFor('the first failure', async () => (await api('GET', `/v1/feeds/${id}`)).body.failures >= 1, { timeoutMs: 40_000, intervalMs: 500 });
    const once = (await api('GET', `/v1/feeds/${id}`)).body;
    expect(once).toEqual(expect.objectContaining({ status: 'active', failures: 1, lastError: `${origin}/broken answered HTTP 500` }));
    // Backed off: the next try is later than the interval (2 minutes after one failure).
    expect(new Date(once.nextPollAt).getTime() - new Date(once.lastPolledAt).getTime()).toBeGreaterThanOrEqual(110_000);
    let last;
    for (let poll = 0; poll < 4; poll += 1) last = await api('POST', `/v1/feeds/${id}/poll`);
    expect(last!.body.outcome).toBe('failed');
    expect(last!.body.feed).toEqual(expect.objectContaining({ status: 'broken', failures: 5 }));
    // Set active again: its failures forgotten.
    expect((await api('PATCH', `/v1/feeds/${id}`, { status: 'active' })).body).toEqual(expect.objectContaining({ status: 'active', failures: 0 }));
    await api('DELETE', `/v1/feeds/${id}`);
    expect((await api('GET', `/v1/feeds/${id}`)).status).toBe(404);
  });

  it('refuses a private address and unknown channels when the feed is added', async () => {
    const x = await stack.channel(apiKey, { network: 'x', handle: `refused_${Date.now().toString(36)}` });
    const internal = await api('POST', '/v1/feeds', { url: 'http://10.1.2.3/feed.xml', channelIds: [x.id], mode: 'queue' });
    expect(internal.status).toBe(422);
    expect(internal.body.errors[0].path).toBe('url');
    const unknown = await api('POST', '/v1/feeds', { url: `${origin}/feed.xml`, channelIds: ['6b7c5f3e-1d2a-4c8b-9e0f-123456789abc'], mode: 'queue' });
    expect(unknown.status).toBe(404);
    const tooOften = await api('POST', '/v1/feeds', { url: `${origin}/feed.xml`, channelIds: [x.id], mode: 'queue', intervalMinutes: 0 });
    expect(tooOften.status).toBe(400);
  });
});
