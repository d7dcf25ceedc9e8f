/**
 * Tracked links (docs/feeds-and-import.md#tracked-links): a post's `links.utm`
 * puts UTM parameters on each link of each channel's text when it is
 * placed; the network (the mock) receives the tracked link, and the post
 * shows it as that channel's variant.
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
});
