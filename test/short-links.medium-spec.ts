/**
 * Short links (docs/feeds-and-import.md#short-links): with `links.shorten`,
 * each link of a post is replaced by a short link from the configured
 * shortener when the post is placed, after UTM (each channel's tracked
 * link its own short link), in every part and the first comment; the
 * network receives the short link and the counter counts it (a Bluesky post
 * too long with its long link fits with the short one). A link the
 * shortener refuses stays long and the answer says why. The shortener here
 * is a stand-in speaking Shlink's REST API (v3) on loopback. A channel set
 * to shorten (PATCH /v1/channels/:id {links}) shortens every post to it
 * that does not say otherwise, and only its own copy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

describe('short links', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let shortener: Server;
  /** What the stand-in was asked: each long URL, in order. */
  const asked: string[] = [];
  const codes = new Map<string, string>();

  beforeAll(async () => {
    shortener = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' }).end(JSON.stringify(body));
        if (request.method !== 'POST' || request.url !== '/rest/v3/short-urls') return reply(404, { detail: 'no such route' });
        if (request.headers['x-api-key'] !== 'shlink-key') return reply(401, { detail: 'Invalid API key' });
        const { longUrl, findIfExists } = JSON.parse(raw) as { longUrl: string; findIfExists?: boolean };
        asked.push(longUrl);
        if (longUrl.includes('maintenance')) return reply(503, { title: 'Service unavailable', detail: 'down for maintenance' });
        // Shlink's findIfExists: the same long URL keeps its short code.
        const code = (findIfExists && codes.get(longUrl)) || `c${codes.size + 1}`;
        codes.set(longUrl, code);
        return reply(200, { shortCode: code, shortUrl: `https://s.example/${code}`, longUrl });
      });
    });
    await new Promise<void>((resolve) => shortener.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(shortener.address() as AddressInfo).port}`;
    stack = await InProcessStack.start({ env: { LINK_SHORTENER: 'shlink', LINK_SHORTENER_URL: url, LINK_SHORTENER_API_KEY: 'shlink-key' } });
    ({ apiKey } = await stack.workspace('short-links'));
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => shortener?.close(resolve));
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });

  it("gives each channel's tracked link its own short link, which the network receives and the counter counts", async () => {
    const tag = `short${Date.now().toString(36)}`;
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `${tag}b` });
    // 250 characters of link: with its text, over Bluesky's 300 graphemes unless shortened.
    const long = `https://blog.example.com/2026/12/launch?${'q'.repeat(200)}=1`;
    const body = { text: `${tag} We are live, read all about it here: ${long}`, channelIds: [mastodon.id, bluesky.id], links: { utm: { campaign: 'launch' } }, schedule: { mode: 'now' } };
    const unshortened = await api('POST', '/v1/posts', { ...body, links: { utm: { campaign: 'launch' } } });
    expect(unshortened.status).toBe(422);
    expect(unshortened.body.detail).toMatch(/bluesky/);

    const created = await api('POST', '/v1/posts', { ...body, links: { utm: { campaign: 'launch' }, shorten: true } });
    expect(created.status).toBe(201);
    const tracked = (network: string) => `${long}&utm_source=${network}&utm_medium=social&utm_campaign=launch`;
    expect(asked).toEqual(expect.arrayContaining([tracked('mastodon'), tracked('bluesky')]));
    const shortOf = Object.fromEntries(created.body.shortLinks.shortened.map((entry: { url: string; shortUrl: string }) => [entry.url, entry.shortUrl]));
    expect(Object.keys(shortOf).sort()).toEqual([tracked('bluesky'), tracked('mastodon')]);
    expect(shortOf[tracked('mastodon')]).not.toBe(shortOf[tracked('bluesky')]);
    expect(created.body.shortLinks.failed).toEqual([]);
    expect(created.body.variants[mastodon.id]).toBe(`${tag} We are live, read all about it here: ${shortOf[tracked('mastodon')]}`);

    const received = await waitFor('the mock to receive both', async () => {
      const posts = (await stack.mockPosts()).filter((post) => post.text.startsWith(tag));
      return posts.length === 2 ? posts : undefined;
    });
    const texts = Object.fromEntries(received.map((post) => [post.network, post.text]));
    expect(texts).toEqual({
      mastodon: `${tag} We are live, read all about it here: ${shortOf[tracked('mastodon')]}`,
      bluesky: `${tag} We are live, read all about it here: ${shortOf[tracked('bluesky')]}`,
    });
  });

  it('shortens every part of a thread and the first comment; a link the shortener refuses stays long, and the answer says why', async () => {
    const tag = `thread${Date.now().toString(36)}`;
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const created = await api('POST', '/v1/posts', {
      parts: [{ text: `${tag} 1/2 https://example.com/one` }, { text: `${tag} 2/2 https://example.com/two and https://example.com/maintenance` }],
      firstComment: { text: `${tag} more: https://example.com/one` },
      channelIds: [mastodon.id],
      links: { shorten: true },
      schedule: { mode: 'draft' },
    });
    expect(created.status).toBe(201);
    const { shortened, failed } = created.body.shortLinks as { shortened: { url: string; shortUrl: string }[]; failed: { url: string; reason: string }[] };
    const shortOf = Object.fromEntries(shortened.map((entry) => [entry.url, entry.shortUrl]));
    // The same link in a part and in the comment: asked once, one short link.
    expect(Object.keys(shortOf).sort()).toEqual(['https://example.com/one', 'https://example.com/two']);
    expect(failed).toEqual([{ url: 'https://example.com/maintenance', reason: 'the shortener answered HTTP 503: down for maintenance' }]);
    expect(created.body.parts.map((part: { text: string }) => part.text)).toEqual([
      `${tag} 1/2 ${shortOf['https://example.com/one']}`,
      `${tag} 2/2 ${shortOf['https://example.com/two']} and https://example.com/maintenance`,
    ]);
    expect(created.body.firstComment).toEqual({ text: `${tag} more: ${shortOf['https://example.com/one']}` });
  });

  it('shortens the items of a bulk that ask, and a dry run shortens nothing', async () => {
    const tag = `bulk${Date.now().toString(36)}`;
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const before = asked.length;
    const dry = await api('POST', '/v1/posts/validate', { text: `${tag} https://example.com/dry`, channelIds: [mastodon.id], links: { shorten: true }, schedule: { mode: 'draft' } });
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(true);
    expect(asked.length).toBe(before);
    const bulk = await api('POST', '/v1/posts/bulk', {
      posts: [
        { text: `${tag} a https://example.com/bulk`, channelIds: [mastodon.id], links: { shorten: true }, schedule: { mode: 'draft' } },
        { text: `${tag} b https://example.com/kept`, channelIds: [mastodon.id], schedule: { mode: 'draft' } },
      ],
    });
    expect(bulk.body.created).toBe(2);
    expect(bulk.body.data[0].shortLinks.shortened).toEqual([{ url: 'https://example.com/bulk', shortUrl: expect.stringMatching(/^https:\/\/s\.example\/c\d+$/) }]);
    expect(bulk.body.data[1].shortLinks).toBeUndefined();
    expect(asked.slice(before)).toEqual(['https://example.com/bulk']);
    const kept = await api('GET', `/v1/posts/${bulk.body.data[1].id}`);
    expect(kept.body.text).toBe(`${tag} b https://example.com/kept`);
  });

  it('shortens the first 50 distinct links of a post and says the rest stay long', async () => {
    const tag = `many${Date.now().toString(36)}`;
    const linkedin = await stack.channel(apiKey, { network: 'linkedin', handle: `${tag}_l` });
    const links = Array.from({ length: 52 }, (_, index) => `https://example.com/${tag}/${index}`);
    const created = await api('POST', '/v1/posts', { text: links.join(' '), channelIds: [linkedin.id], links: { shorten: true }, schedule: { mode: 'draft' } });
    expect(created.status).toBe(201);
    expect(created.body.shortLinks.shortened).toHaveLength(50);
    expect(created.body.shortLinks.failed).toEqual(links.slice(50).map((url) => ({ url, reason: 'a post has its first 50 links shortened, not more' })));
    expect(created.body.text.endsWith(`${links[50]} ${links[51]}`)).toBe(true);
  });

  it('refuses links.shorten that is not a boolean', async () => {
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `bad_${Date.now().toString(36)}` });
    const answer = await api('POST', '/v1/posts', { text: 'x https://a.example', channelIds: [mastodon.id], links: { shorten: 'yes' }, schedule: { mode: 'draft' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ message: 'links.shorten must be true or false' })]);
  });

  it('shortens the links of posts to a channel set to, only on that channel, unless the post says otherwise', async () => {
    const tag = `chshort${Date.now().toString(36)}`;
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `${tag}b` });
    const set = await api('PATCH', `/v1/channels/${mastodon.id}`, { links: { utm: true, shorten: true } });
    expect(set.status).toBe(200);
    expect(set.body.links).toEqual({ utm: true, shorten: true });

    // A post that says nothing: Mastodon's copy tracked and shortened, Bluesky's left as written, the thread's second part too.
    const before = asked.length;
    const created = await api('POST', '/v1/posts', {
      parts: [{ text: `${tag} 1/2 https://example.com/${tag}/one` }, { text: `${tag} 2/2 https://example.com/${tag}/two` }],
      channelIds: [mastodon.id, bluesky.id],
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    const tracked = `https://example.com/${tag}/one?utm_source=mastodon&utm_medium=social`;
    expect(asked.slice(before).sort()).toEqual([tracked, `https://example.com/${tag}/two`].sort());
    const shortOf = Object.fromEntries(created.body.shortLinks.shortened.map((entry: { url: string; shortUrl: string }) => [entry.url, entry.shortUrl]));
    expect(created.body.shortLinks.failed).toEqual([]);
    expect(created.body.variants).toEqual({ [mastodon.id]: `${tag} 1/2 ${shortOf[tracked]}` });
    expect(created.body.parts[1]).toEqual(expect.objectContaining({ text: `${tag} 2/2 https://example.com/${tag}/two`, variants: { [mastodon.id]: `${tag} 2/2 ${shortOf[`https://example.com/${tag}/two`]}` } }));
    const received = await waitFor('the mock to receive both threads', async () => {
      const posts = (await stack.mockPosts()).filter((post) => post.text.startsWith(tag));
      return posts.length === 4 ? posts : undefined;
    });
    const texts = received.map((post) => `${post.network}: ${post.text}`).sort();
    expect(texts).toEqual(
      [
        `bluesky: ${tag} 1/2 https://example.com/${tag}/one`,
        `bluesky: ${tag} 2/2 https://example.com/${tag}/two`,
        `mastodon: ${tag} 1/2 ${shortOf[tracked]}`,
        `mastodon: ${tag} 2/2 ${shortOf[`https://example.com/${tag}/two`]}`,
      ].sort(),
    );

    // The post's shorten: false wins (its UTM still the channel's); a link the shortener refuses stays long and the answer says why.
    const kept = await api('POST', '/v1/posts', { text: `${tag} kept https://example.com/${tag}/kept`, channelIds: [mastodon.id], links: { shorten: false }, schedule: { mode: 'draft' } });
    expect(kept.status).toBe(201);
    expect(kept.body.shortLinks).toBeUndefined();
    expect(kept.body.variants[mastodon.id]).toBe(`${tag} kept https://example.com/${tag}/kept?utm_source=mastodon&utm_medium=social`);
    const down = await api('POST', '/v1/posts', { text: `${tag} down https://example.com/maintenance`, channelIds: [mastodon.id], schedule: { mode: 'draft' } });
    expect(down.status).toBe(201);
    expect(down.body.shortLinks).toEqual({
      shortened: [],
      failed: [{ url: 'https://example.com/maintenance?utm_source=mastodon&utm_medium=social', reason: 'the shortener answered HTTP 503: down for maintenance' }],
    });
    expect(down.body.variants[mastodon.id]).toBe(`${tag} down https://example.com/maintenance?utm_source=mastodon&utm_medium=social`);

    // A post without a link asks the shortener nothing.
    const quiet = asked.length;
    expect((await api('POST', '/v1/posts', { text: `${tag} no link`, channelIds: [mastodon.id], schedule: { mode: 'draft' } })).status).toBe(201);
    expect(asked.length).toBe(quiet);
    // A setting it cannot use is a 400, and the channel keeps its own.
    expect((await api('PATCH', `/v1/channels/${mastodon.id}`, { links: { shorten: 'yes' } })).status).toBe(400);
    expect((await api('GET', `/v1/channels/${mastodon.id}`)).body.links).toEqual({ utm: true, shorten: true });
  });
});
