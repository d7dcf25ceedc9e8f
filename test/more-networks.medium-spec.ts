/**
 * The networks added beside the seven (PRODUCT.md section 14), each against
 * its own origin of the mock with real Postgres and Redis: connected through
 * its OAuth flow from the API, a post with its media published once, its
 * limits refused when the post is scheduled (a 422 naming the rule), and a
 * connection dropped after the network took the post resolved by a lookup,
 * never a second post.
 */
import { PinterestAdapter } from '../libs/channels/src/networks/pinterest/pinterest.adapter';
import { KeptState } from '../libs/channels/src/networks/testing/scripted-network';
import { ADAPTER_OPTIONS, fileOf, mockToken, publishRequest } from './support/direct-adapter';
import { http, waitFor } from './support/http';
import { CLIP4S_MP4, CLIP_MP4, image, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';
import { mockCalls } from './support/mock-networks';
import { CONNECTED_URI, redirectOf } from './support/stack';

interface MockPostView {
  id: string;
  text: string;
  media: Array<{ type: string; mimeType: string; size: number; width?: number; height?: number; alt?: string }>;
}

describe('the networks beside the seven', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '200' } });
    ({ apiKey } = await stack.workspace('more-networks'));
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const mockPosts = async (network: string, handle: string) => (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network, handle })}`)).body.data as MockPostView[];

  /** The whole OAuth flow as `handle`: the channel it made. */
  async function connect(network: string, handle: string): Promise<{ id: string; network: string; handle: string }> {
    const started = await api('POST', '/v1/channels/connect', { network, redirectUri: CONNECTED_URI });
    expect(started.status).toBe(201);
    const authorize = new URL(started.body.authorizeUrl);
    authorize.searchParams.set('login_hint', handle);
    const callback = await redirectOf(authorize.toString());
    expect(`${callback.origin}${callback.pathname}`).toBe(`${stack.apiUrl}/v1/channels/connect/callback`);
    const landed = await redirectOf(callback.toString());
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting ${network} ended with ${landed.toString()}`);
    return (await api('GET', `/v1/channels/${channelId}`)).body;
  }

  async function settled(postId: string): Promise<{ status: string; deliveries: Array<{ status: string; externalId: string | null; lastError: unknown }> }> {
    return waitFor(
      `post ${postId} settled`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        return ['published', 'failed'].includes(post.status) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
  }

  async function photo(alt: string, type: 'png' | 'jpeg' = 'jpeg', width = 1000, height = 1500) {
    const uploaded = await upload(stack.apiUrl, apiKey, await image(type, width, height), `pin.${type === 'png' ? 'png' : 'jpg'}`, `image/${type}`);
    // The same bytes again are the file already in the library (200).
    expect([200, 201]).toContain(uploaded.status);
    return { mediaId: uploaded.body.id as string, alt };
  }

  it('lists every network, the described ones connectable with the mock demo apps', async () => {
    const listed = (await api('GET', '/v1/networks')).body.data as Array<{ network: string; displayName: string; connect: { method: string; connectable: boolean } }>;
    expect(listed.map((network) => network.network)).toEqual(expect.arrayContaining(['pinterest', 'youtube', 'tiktok', 'google_business']));
    expect(listed).toHaveLength(11);
    expect(listed.find((network) => network.network === 'pinterest')).toMatchObject({ displayName: 'Pinterest', connect: { method: 'oauth', connectable: true } });
    expect(listed.find((network) => network.network === 'google_business')).toMatchObject({ displayName: 'Google Business Profile', connect: { method: 'oauth', connectable: true } });
  });

  describe('Pinterest', () => {
    it('connects through its OAuth flow, keeps its boards, and pins an image to the first board once', async () => {
      const channel = await connect('pinterest', unique('pin'));
      expect(channel).toMatchObject({ network: 'pinterest' });
      const boards = await stack.db.query(`SELECT details FROM channels WHERE id = $1`, [channel.id]);
      expect(boards.rows[0].details.boards).toHaveLength(2);
      const board = boards.rows[0].details.boardId as string;
      expect(board).toBe(boards.rows[0].details.boards[0].id);

      const post = await api('POST', '/v1/posts', { text: 'Spring table ideas https://example.com/spring', channelIds: [channel.id], media: [await photo('A laid table')], schedule: { mode: 'now' } });
      expect(post.status).toBe(201);
      const done = await settled(post.body.id);
      expect(done.status).toBe('published');
      const [pin, ...more] = await mockPosts('pinterest', channel.handle);
      expect(more).toHaveLength(0);
      expect(pin).toMatchObject({ text: 'Spring table ideas https://example.com/spring', media: [{ type: 'image', mimeType: 'image/jpeg', width: 1000, height: 1500, alt: 'A laid table' }] });
      expect(done.deliveries[0]!.externalId).toBe(pin!.id);
      expect(await calls('pinterest', channel.handle)).toEqual(['GET /v5/user_account', 'GET /v5/boards', 'POST /v5/pins']);
    });

    it('refuses at schedule time a pin without an image, or with a description over 800 characters, naming the rule', async () => {
      const channel = await connect('pinterest', unique('pinrule'));
      const bare = await api('POST', '/v1/posts', { text: 'No picture', channelIds: [channel.id], schedule: { mode: 'now' } });
      expect(bare.status).toBe(422);
      expect(bare.body.detail).toMatch(/Pinterest needs at least 1 image/);
      const long = await api('POST', '/v1/posts', { text: 'p'.repeat(801), channelIds: [channel.id], media: [await photo('x')], schedule: { mode: 'now' } });
      expect(long.status).toBe(422);
      expect(long.body.detail).toMatch(/801.*800|800.*801/);
      expect(await mockPosts('pinterest', channel.handle)).toHaveLength(0);
    });

    it('a connection dropped after Pinterest took the pin: found on the board, not pinned twice', async () => {
      const channel = await connect('pinterest', unique('pindrop'));
      await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'pinterest', handle: channel.handle, dropAfterAccept: true } });
      const post = await api('POST', '/v1/posts', { text: 'Dropped after the pin', channelIds: [channel.id], media: [await photo('Dropped')], schedule: { mode: 'now' } });
      expect(post.status).toBe(201);
      await waitFor('the pin taken', async () => ((await mockPosts('pinterest', channel.handle)).length > 0 ? true : undefined), { timeoutMs: 20_000 });
      await http('DELETE', `${stack.mockUrl}/_mock/faults`);
      const done = await settled(post.body.id);
      expect(done.status).toBe('published');
      const pins = await mockPosts('pinterest', channel.handle);
      expect(pins).toHaveLength(1);
      expect(done.deliveries[0]!.externalId).toBe(pins[0]!.id);
      const board = (await stack.db.query(`SELECT details FROM channels WHERE id = $1`, [channel.id])).rows[0].details.boardId as string;
      expect(await calls('pinterest', channel.handle)).toContain(`GET /v5/boards/${board}/pins`);
    });

    it('pins to the board the post chose, with its own title and link (networkOptions.pinterest), and finds it there after a crash', async () => {
      const handle = unique('pinopts');
      const pinterestUrl = stack.networks.find((network) => network.network === 'pinterest')!.baseUrl;
      const token = await mockToken(stack.mockUrl, 'pinterest', handle);
      const boards = ((await http('GET', `${pinterestUrl}/v5/boards`, { token: token.accessToken })).body.items as Array<{ id: string; name: string }>).map(({ id, name }) => ({ id, name }));
      const details = { boards, boardId: boards[0]!.id };
      const adapter = new PinterestAdapter(ADAPTER_OPTIONS, pinterestUrl);
      const options = { boardId: boards[1]!.id, title: 'Shelves that hold up', link: 'https://example.com/shelves' };
      const text = 'Shelf ideas, see https://example.com/in-the-text';
      expect(adapter.validate({ text, media: [{ mediaId: 'm1', type: 'image', mimeType: 'image/jpeg', size: 50_000, width: 600, height: 900 }], options }, details)).toEqual([]);

      const kept = new KeptState();
      const request = publishRequest(kept, token, handle, { text, media: [fileOf('pin1', await image('jpeg', 600, 900), 'image/jpeg', { alt: 'A shelf' })], options }, details);
      const published = await adapter.publish(request);
      const pin = (await http('GET', `${pinterestUrl}/v5/pins/${published.externalId}`, { token: token.accessToken })).body;
      expect(pin).toMatchObject({ board_id: boards[1]!.id, title: 'Shelves that hold up', link: 'https://example.com/shelves', description: text, alt_text: 'A shelf' });
      // The lookup reads the chosen board, not the channel's.
      expect(await adapter.lookup({ ...request, content: { text, media: [], options }, since: new Date(Date.now() - 60_000), excludeExternalIds: new Set() })).toMatchObject({ externalId: published.externalId });
      // Without a link of its own, the text's first link leads; without a board of its own, the channel's.
      const plain = await adapter.publish(publishRequest(new KeptState(), token, handle, { text, media: [fileOf('pin2', await image('jpeg', 600, 900), 'image/jpeg')] }, details));
      expect((await http('GET', `${pinterestUrl}/v5/pins/${plain.externalId}`, { token: token.accessToken })).body).toMatchObject({ board_id: boards[0]!.id, title: null, link: 'https://example.com/in-the-text' });
    });

    it('pins a video: registered, sent whole to the upload URL with the fields Pinterest gave, polled until processed, pinned once; a pin refused once is pinned again without sending the file twice', async () => {
      const channel = await connect('pinterest', unique('pinvideo'));
      const clip = await upload(stack.apiUrl, apiKey, CLIP4S_MP4, 'clip.mp4', 'video/mp4');
      expect([200, 201]).toContain(clip.status);
      // Pinterest cannot take the first pin (503): the next try pins the video already uploaded.
      await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'pinterest', handle: channel.handle, path: '/v5/pins', method: 'POST', status: 503, times: 1 } });
      const post = await api('POST', '/v1/posts', { text: 'How we pot a fern', channelIds: [channel.id], media: [{ mediaId: clip.body.id, alt: 'Hands potting a fern' }], schedule: { mode: 'now' } });
      expect(post.status).toBe(201);
      const done = await settled(post.body.id);
      expect(done.status).toBe('published');
      const pins = await mockPosts('pinterest', channel.handle);
      expect(pins).toHaveLength(1);
      expect(pins[0]).toMatchObject({ text: 'How we pot a fern', media: [{ type: 'video', mimeType: 'video/mp4', size: CLIP4S_MP4.length, alt: 'Hands potting a fern' }] });
      expect(done.deliveries[0]!.externalId).toBe(pins[0]!.id);
      const seen = await calls('pinterest', channel.handle);
      expect(seen.filter((call) => call === 'POST /v5/media')).toHaveLength(1);
      expect(seen.filter((call) => call === 'POST /v5/pins')).toHaveLength(2);
      expect(seen.some((call) => /^GET \/v5\/media\/\d+$/.test(call))).toBe(true);
    });

    it("refuses at schedule time a video shorter than Pinterest's 4 s, and the mock refuses an upload without the fields it gave or a pin of a video not yet processed", async () => {
      const channel = await connect('pinterest', unique('pinshort'));
      const short = await upload(stack.apiUrl, apiKey, CLIP_MP4, 'short.mp4', 'video/mp4');
      const refused = await api('POST', '/v1/posts', { text: 'Too short', channelIds: [channel.id], media: [{ mediaId: short.body.id }], schedule: { mode: 'now' } });
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toMatch(/runs 2 s; Pinterest needs video of at least 4 s/);

      const pinterestUrl = stack.networks.find((network) => network.network === 'pinterest')!.baseUrl;
      const token = await mockToken(stack.mockUrl, 'pinterest', channel.handle);
      const registered = await http('POST', `${pinterestUrl}/v5/media`, { token: token.accessToken, body: { media_type: 'video' } });
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ media_id: expect.any(String), media_type: 'video', upload_url: expect.stringMatching(/^http/), upload_parameters: expect.objectContaining({ key: expect.any(String), policy: expect.any(String), 'x-amz-signature': expect.any(String) }) });
      const board = (await stack.db.query(`SELECT details FROM channels WHERE id = $1`, [channel.id])).rows[0].details.boardId as string;
      const early = await http('POST', `${pinterestUrl}/v5/pins`, { token: token.accessToken, body: { board_id: board, description: 'x', media_source: { source_type: 'video_id', media_id: registered.body.media_id, cover_image_key_frame_time: 1 } } });
      expect(early.status).toBe(400);
      expect(early.body.message).toMatch(/not ready \(status registered\)/);
      const form = new FormData();
      form.set('key', registered.body.upload_parameters.key);
      form.set('file', new Blob([CLIP4S_MP4], { type: 'video/mp4' }), 'clip.mp4');
      const unsigned = await fetch(registered.body.upload_url, { method: 'POST', body: form });
      expect(unsigned.status).toBe(403);
      expect(await unsigned.text()).toMatch(/<Code>AccessDenied<\/Code>/);
      expect(await mockPosts('pinterest', channel.handle)).toHaveLength(0);
    });

    it("refuses a board that is not the channel's: at schedule time naming its boards, and Pinterest's own answer; the mock refuses a link that is not a URL", async () => {
      const handle = unique('pinboard');
      const pinterestUrl = stack.networks.find((network) => network.network === 'pinterest')!.baseUrl;
      const token = await mockToken(stack.mockUrl, 'pinterest', handle);
      const boards = ((await http('GET', `${pinterestUrl}/v5/boards`, { token: token.accessToken })).body.items as Array<{ id: string; name: string }>).map(({ id, name }) => ({ id, name }));
      const adapter = new PinterestAdapter(ADAPTER_OPTIONS, pinterestUrl);
      const media = [{ mediaId: 'm1', type: 'image' as const, mimeType: 'image/jpeg', size: 50_000, width: 600, height: 900 }];
      const violations = adapter.validate({ text: 'A pin', media, options: { boardId: '999' } }, { boards, boardId: boards[0]!.id });
      expect(violations).toEqual([{ code: 'board_unknown', field: 'boardId', message: expect.stringMatching(/999.*"Ideas", "Products"/) }]);
      const bytes = await image('jpeg', 600, 900);
      await expect(adapter.publish(publishRequest(new KeptState(), token, handle, { text: 'A pin', media: [fileOf('pin3', bytes, 'image/jpeg')], options: { boardId: '999' } }, { boards, boardId: boards[0]!.id }))).rejects.toMatchObject({ httpStatus: 404 });
      const badLink = await http('POST', `${pinterestUrl}/v5/pins`, {
        token: token.accessToken,
        body: { board_id: boards[0]!.id, description: 'x', link: 'not a url', media_source: { source_type: 'image_base64', content_type: 'image/jpeg', data: bytes.toString('base64') } },
      });
      expect(badLink.status).toBe(400);
      expect(badLink.body).toEqual({ code: 1, message: expect.stringMatching(/link/) });
      expect(await mockPosts('pinterest', handle)).toHaveLength(0);
    });
  });

  /** The calls the mock saw for this account, as `METHOD /path`. */
  async function calls(network: string, handle: string): Promise<string[]> {
    return (await mockCalls({ controlUrl: stack.mockUrl }, { network, handle })).data.map((call) => `${call.method} ${call.path.split('?')[0]}`);
  }
});
