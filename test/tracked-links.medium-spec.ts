/**
 * Tracked links (docs/feeds-and-import.md#tracked-links): a post's `links.utm`
 * puts UTM parameters on each link of each channel's text when it is
 * placed; the network (the mock) receives the tracked link, and the post
 * shows it as that channel's variant. A channel's own `links` (PATCH
 * /v1/channels/:id) track every post to it that does not say otherwise.
 */
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

describe('tracked links', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start();
    ({ apiKey } = await stack.workspace('links'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });

  it('publishes each channel\'s text with utm_source its network, utm_medium social and the campaign', async () => {
    const tag = `utm${Date.now().toString(36)}`;
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `${tag}b` });
    const created = await api('POST', '/v1/posts', {
      text: `${tag} Read https://blog.example.com/launch?ref=home. And https://b.example/x?utm_source=mine`,
      channelIds: [mastodon.id, bluesky.id],
      links: { utm: { campaign: 'launch' } },
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    expect(created.body.variants[mastodon.id]).toBe(`${tag} Read https://blog.example.com/launch?ref=home&utm_source=mastodon&utm_medium=social&utm_campaign=launch. And https://b.example/x?utm_source=mine`);

    const received = await waitFor('the mock to receive both', async () => {
      const posts = (await stack.mockPosts()).filter((post) => post.text.startsWith(tag));
      return posts.length === 2 ? posts : undefined;
    });
    const texts = Object.fromEntries(received.map((post) => [post.network, post.text]));
    expect(texts.mastodon).toContain('https://blog.example.com/launch?ref=home&utm_source=mastodon&utm_medium=social&utm_campaign=launch.');
    expect(texts.bluesky).toContain('utm_source=bluesky&utm_medium=social&utm_campaign=launch');
    // A link that names its own source is left alone.
    expect(texts.mastodon).toContain('https://b.example/x?utm_source=mine');
  });

  it('refuses a utm setting it cannot use', async () => {
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `bad_${Date.now().toString(36)}` });
    const answer = await api('POST', '/v1/posts', { text: 'x https://a.example', channelIds: [mastodon.id], links: { utm: { campaign: 'a&b=c' } }, schedule: { mode: 'draft' } });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toMatch(/utm must be/);
  });

  it("tracks the links of every post to a channel set to, unless the post says otherwise, and refuses settings it cannot use", async () => {
    const tag = `chutm${Date.now().toString(36)}`;
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `${tag}_m` });
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `${tag}b` });
    const set = await api('PATCH', `/v1/channels/${mastodon.id}`, { links: { utm: { campaign: 'always-on' } } });
    expect(set.status).toBe(200);
    expect(set.body.links).toEqual({ utm: { campaign: 'always-on' } });
    expect((await api('GET', `/v1/channels/${mastodon.id}`)).body.links).toEqual({ utm: { campaign: 'always-on' } });
    expect((await api('GET', `/v1/channels/${bluesky.id}`)).body.links).toEqual({});

    // A post that says nothing of links: the Mastodon channel's settings track its link there, Bluesky's text stays as written.
    const plain = await api('POST', '/v1/posts', { text: `${tag} Read https://blog.example.com/a`, channelIds: [mastodon.id, bluesky.id], schedule: { mode: 'now' } });
    expect(plain.status).toBe(201);
    expect(plain.body.variants).toEqual({ [mastodon.id]: `${tag} Read https://blog.example.com/a?utm_source=mastodon&utm_medium=social&utm_campaign=always-on` });
    const received = await waitFor('the mock to receive both', async () => {
      const posts = (await stack.mockPosts()).filter((post) => post.text.startsWith(`${tag} Read`));
      return posts.length === 2 ? posts : undefined;
    });
    expect(Object.fromEntries(received.map((post) => [post.network, post.text]))).toEqual({
      mastodon: `${tag} Read https://blog.example.com/a?utm_source=mastodon&utm_medium=social&utm_campaign=always-on`,
      bluesky: `${tag} Read https://blog.example.com/a`,
    });

    // The post's own fields win: its campaign on both channels; utm false, none on either.
    const own = await api('POST', '/v1/posts', { text: `${tag} own https://blog.example.com/b`, channelIds: [mastodon.id, bluesky.id], links: { utm: { campaign: 'launch' } }, schedule: { mode: 'draft' } });
    expect(own.body.variants[mastodon.id]).toBe(`${tag} own https://blog.example.com/b?utm_source=mastodon&utm_medium=social&utm_campaign=launch`);
    expect(own.body.variants[bluesky.id]).toBe(`${tag} own https://blog.example.com/b?utm_source=bluesky&utm_medium=social&utm_campaign=launch`);
    const off = await api('POST', '/v1/posts', { text: `${tag} off https://blog.example.com/c`, channelIds: [mastodon.id], links: { utm: false }, schedule: { mode: 'draft' } });
    expect(off.body.text).toBe(`${tag} off https://blog.example.com/c`);
    expect(off.body.variants).toEqual({});

    // A dry run counts the link each channel will send (LinkedIn counts a link's every character).
    const linkedin = await stack.channel(apiKey, { network: 'linkedin', handle: `${tag}_l` });
    expect((await api('PATCH', `/v1/channels/${linkedin.id}`, { links: { utm: true } })).status).toBe(200);
    const dryText = `${tag} dry https://blog.example.com/d`;
    const dry = await api('POST', '/v1/posts/validate', { text: dryText, channelIds: [linkedin.id], schedule: { mode: 'draft' } });
    expect(dry.status).toBe(200);
    expect(dry.body.channels[0].text[0]).toEqual(expect.objectContaining({ path: `variants.${linkedin.id}`, length: `${dryText}?utm_source=linkedin&utm_medium=social`.length }));

    // {} clears the channel's settings.
    expect((await api('PATCH', `/v1/channels/${mastodon.id}`, { links: {} })).body.links).toEqual({});
    const cleared = await api('POST', '/v1/posts', { text: `${tag} cleared https://blog.example.com/e`, channelIds: [mastodon.id], schedule: { mode: 'draft' } });
    expect(cleared.body.variants).toEqual({});

    // Refused, and nothing written: a bad campaign (400), not an object (400), shortening without a shortener here (422).
    const badCampaign = await api('PATCH', `/v1/channels/${mastodon.id}`, { links: { utm: { campaign: 'a&b=c' } } });
    expect(badCampaign.status).toBe(400);
    expect(badCampaign.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(badCampaign.body.detail).toMatch(/utm must be/);
    const notObject = await api('PATCH', `/v1/channels/${mastodon.id}`, { links: 'yes' });
    expect(notObject.status).toBe(400);
    const noShortener = await api('PATCH', `/v1/channels/${mastodon.id}`, { links: { utm: true, shorten: true } });
    expect(noShortener.status).toBe(422);
    expect(noShortener.body.errors).toEqual([{ path: 'links.shorten', message: 'no link shortener is configured' }]);
    expect((await api('GET', `/v1/channels/${mastodon.id}`)).body.links).toEqual({});
  });
});
