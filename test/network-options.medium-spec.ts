/**
 * `networkOptions` (PRODUCT.md section 14): what a post tells only one
 * network, and what a channel gives every post to it, through the API with
 * real Postgres and Redis and the mock's networks. Each network's options
 * are checked against that network's own schema (a 400 naming the field,
 * with what it takes), then against the content and the channel (a 422
 * naming `networkOptions.<network>.<field>`); they are kept, shown, edited
 * and cleared; a channel defaults only what its network lets it; and the
 * worker hands the network the post's options over the channel's own.
 */
import { http, waitFor } from './support/http';
import { CLIP_MP4, image, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';

describe('network options', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let videoId: string;
  let photoId: string;
  let youtube: { id: string; handle: string };
  let mastodon: { id: string; handle: string };
  let pinterest: { id: string; handle: string; choices: { boards: Array<{ id: string; name: string }> } };
  let business: { id: string; handle: string; timezone: string };

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

  async function connect(network: string, handle: string) {
    const landed = await stack.connectThroughOAuth(apiKey, network, handle);
    // A Google account with several locations: the first is chosen.
    const pending = landed.searchParams.get('pending');
    if (pending) {
      const [first] = (await api('GET', `/v1/channels/connect/${pending}/accounts`)).body.data as Array<{ accountId: string }>;
      return (await api('POST', `/v1/channels/connect/${pending}/choose`, { accountId: first!.accountId })).body;
    }
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting ${network} ended with ${landed.toString()}`);
    return { ...(await api('GET', `/v1/channels/${channelId}`)).body, handle };
  }

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '200' } });
    ({ apiKey } = await stack.workspace('network-options'));
    const uploaded = await upload(stack.apiUrl, apiKey, CLIP_MP4, 'clip.mp4', 'video/mp4');
    expect(uploaded.status).toBe(201);
    videoId = uploaded.body.id;
    photoId = (await upload(stack.apiUrl, apiKey, await image('jpeg', 1000, 1500), 'pin.jpg', 'image/jpeg')).body.id;
    [youtube, pinterest, business] = await Promise.all([connect('youtube', unique('tube')), connect('pinterest', unique('pins')), connect('google_business', unique('shop'))]);
    mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: unique('toots') });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps a post’s options by network, shows them, replaces them on an edit and clears them with {}', async () => {
    const created = await api('POST', '/v1/posts', {
      text: 'Behind the scenes #studio',
      media: [{ mediaId: videoId }],
      channelIds: [youtube.id],
      schedule: { mode: 'draft' },
      networkOptions: { youtube: { title: 'Behind the scenes at the studio', privacy: 'unlisted', tags: ['studio', 'behind the scenes'] } },
    });
    expect(created.status).toBe(201);
    expect(created.body.networkOptions).toEqual({ youtube: { title: 'Behind the scenes at the studio', privacy: 'unlisted', tags: ['studio', 'behind the scenes'] } });
    expect((await api('GET', `/v1/posts/${created.body.id}`)).body.networkOptions).toEqual(created.body.networkOptions);

    const edited = await api('PATCH', `/v1/posts/${created.body.id}`, { networkOptions: { youtube: { privacy: 'private' } } });
    expect(edited.status).toBe(200);
    expect(edited.body.networkOptions).toEqual({ youtube: { privacy: 'private' } });
    // An edit that does not name them keeps them.
    expect((await api('PATCH', `/v1/posts/${created.body.id}`, { text: 'Behind the scenes, take two' })).body.networkOptions).toEqual({ youtube: { privacy: 'private' } });
    expect((await api('PATCH', `/v1/posts/${created.body.id}`, { networkOptions: {} })).body.networkOptions).toEqual({});
  });

  it('refuses options of the wrong shape with a 400 naming each field and what it takes, writing nothing', async () => {
    const before = (await api('GET', '/v1/posts?limit=100')).body.data.length;
    const answer = await api('POST', '/v1/posts', {
      text: 'Wrong shapes',
      media: [{ mediaId: videoId }],
      channelIds: [youtube.id],
      schedule: { mode: 'draft' },
      networkOptions: {
        youtube: { privacy: 'friends', colour: 'red', title: 'x'.repeat(101) },
        google_business: { topicType: 'EVENT', event: { title: 'Open day', startsAt: 'next friday' } },
        myspace: { mood: 'happy' },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const errors = Object.fromEntries((answer.body.errors as Array<{ path: string; message: string }>).map((error) => [error.path, error.message]));
    expect(errors).toMatchObject({
      'networkOptions.youtube.privacy': 'must be one of public, unlisted, private',
      'networkOptions.youtube.colour': expect.stringMatching(/is not an option here \(these are: title, privacy, tags\)/),
      'networkOptions.youtube.title': expect.stringMatching(/100/),
      'networkOptions.google_business.event.startsAt': 'must be a wall time such as 2027-03-12T18:00',
      'networkOptions.google_business.event.endsAt': 'is required',
      'networkOptions.myspace': expect.stringMatching(/is not a network that takes options \(these do: .*youtube.*\)/),
    });
    expect((await api('GET', '/v1/posts?limit=100')).body.data.length).toBe(before);
  });

  it("refuses what the options break, given the post's content and channels, with a 422 at the option", async () => {
    const video = { text: 'Tour <live>', media: [{ mediaId: videoId }], schedule: { mode: 'draft' } };
    // Options for a network none of the post's channels is on.
    const elsewhere = await api('POST', '/v1/posts', { ...video, text: 'Tour', channelIds: [youtube.id], networkOptions: { pinterest: { title: 'A pin' } } });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.errors).toEqual([{ path: 'networkOptions.pinterest', message: 'no channel of the post is on pinterest' }]);
    // YouTube's title of its own stands for the first line, and is judged as a title.
    const title = await api('POST', '/v1/posts', { ...video, text: 'Tour', channelIds: [youtube.id], networkOptions: { youtube: { title: 'Tour <live>' } } });
    expect(title.status).toBe(422);
    expect(title.body.errors).toEqual([{ path: 'networkOptions.youtube.title', message: expect.stringMatching(/The title holds "<" or ">", which YouTube refuses/) }]);
    // A Business Profile event needs its dates, and must end after it starts; an offer's button is Google's.
    const event = await api('POST', '/v1/posts', {
      text: 'Open day at the shop',
      channelIds: [business.id],
      schedule: { mode: 'draft' },
      networkOptions: { google_business: { topicType: 'OFFER', event: { title: 'Spring sale', startsAt: '2027-04-02T10:00', endsAt: '2027-04-01T18:00' }, callToAction: { actionType: 'SHOP', url: 'https://shop.example/sale' } } },
    });
    expect(event.status).toBe(422);
    expect(event.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['networkOptions.google_business.callToAction', 'networkOptions.google_business.event.endsAt']);
    const noEvent = await api('POST', '/v1/posts', { text: 'Open day', channelIds: [business.id], schedule: { mode: 'draft' }, networkOptions: { google_business: { topicType: 'EVENT' } } });
    expect(noEvent.status).toBe(422);
    expect(noEvent.body.errors).toEqual([{ path: 'networkOptions.google_business.event', message: expect.stringMatching(/needs its title and times/) }]);
    // A first comment where the network takes none would go out as a second post: refused, with the channel named.
    const comment = await api('POST', '/v1/posts', { text: 'Tour', media: [{ mediaId: videoId }], channelIds: [youtube.id, mastodon.id], schedule: { mode: 'draft' }, firstComment: { text: 'Tickets: https://example.com' } });
    expect(comment.status).toBe(422);
    expect(comment.body.errors).toEqual([{ path: 'firstComment', message: expect.stringMatching(/^channel .*\(youtube .*\): youtube takes no first comment through Herald/) }]);
    // The same from a dry run: nothing written, the problem said.
    const dry = await api('POST', '/v1/posts/validate', { text: 'Open day', channelIds: [business.id], schedule: { mode: 'draft' }, networkOptions: { google_business: { topicType: 'EVENT' } } });
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(false);
    expect(JSON.stringify(dry.body)).toMatch(/networkOptions\.google_business\.event/);
  });

  it('lets a channel default only what its network allows, shows what it chooses among, and gives its posts its defaults', async () => {
    expect(pinterest.choices.boards.length).toBeGreaterThan(0);
    const board = pinterest.choices.boards.at(-1)!;
    const set = await api('PATCH', `/v1/channels/${pinterest.id}`, { networkOptions: { boardId: board.id } });
    expect(set.status).toBe(200);
    expect(set.body.networkOptions).toEqual({ boardId: board.id });
    // A board the channel does not have, as a default or on a post: refused naming the ones it has.
    const unknownBoard = await api('PATCH', `/v1/channels/${pinterest.id}`, { networkOptions: { boardId: '999000999' } });
    expect(unknownBoard.status).toBe(422);
    expect(unknownBoard.body.errors).toEqual([{ path: 'networkOptions.boardId', message: expect.stringContaining(board.name) }]);
    const pin = await api('POST', '/v1/posts', { text: 'A pin', media: [{ mediaId: photoId }], channelIds: [pinterest.id], schedule: { mode: 'draft' }, networkOptions: { pinterest: { boardId: '999000999' } } });
    expect(pin.status).toBe(422);
    expect(pin.body.errors).toEqual([{ path: 'networkOptions.pinterest.boardId', message: expect.stringContaining(board.name) }]);
    const notDefaultable = await api('PATCH', `/v1/channels/${pinterest.id}`, { networkOptions: { title: 'Every pin the same' } });
    expect(notDefaultable.status).toBe(422);
    expect(notDefaultable.body.errors).toEqual([{ path: 'networkOptions.title', message: 'is not one: a pinterest channel defaults boardId' }]);
    const badShape = await api('PATCH', `/v1/channels/${youtube.id}`, { networkOptions: { privacy: 'friends' } });
    expect(badShape.status).toBe(400);
    expect(badShape.body.errors).toEqual([{ path: 'networkOptions.privacy', message: 'must be one of public, unlisted, private' }]);
    expect((await api('PATCH', `/v1/channels/${mastodon.id}`, { networkOptions: { visibility: 'unlisted' } })).status).toBe(422);
    const unlisted = await api('PATCH', `/v1/channels/${youtube.id}`, { networkOptions: { privacy: 'unlisted' } });
    expect(unlisted.body.networkOptions).toEqual({ privacy: 'unlisted' });
    expect(unlisted.body.choices).toEqual({});
  });

  it("hands the network the post's options over the channel's own", async () => {
    // The channel says unlisted (above); this post says its own title, and private.
    const created = await api('POST', '/v1/posts', {
      text: 'Launch film\nThe whole story of the launch.',
      media: [{ mediaId: videoId }],
      channelIds: [youtube.id, mastodon.id],
      schedule: { mode: 'now' },
      networkOptions: { youtube: { title: 'The launch, in three minutes', tags: ['launch'] } },
    });
    expect(created.status).toBe(201);
    const settled = await waitFor(
      'the post settled',
      async () => {
        const post = (await api('GET', `/v1/posts/${created.body.id}`)).body;
        return ['published', 'failed', 'partially_published'].includes(post.status) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect(settled.status).toBe('published');
    // As YouTube keeps the video: the post's title and tags, the channel's privacy.
    const youtubeUrl = stack.networks.find((network) => network.network === 'youtube')!.baseUrl;
    const token = (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'youtube', handle: youtube.handle } })).body.accessToken as string;
    const uploaded = settled.deliveries.find((delivery: { network: string }) => delivery.network === 'youtube').externalId;
    const video = (await http('GET', `${youtubeUrl}/youtube/v3/videos?part=snippet,status&id=${uploaded}`, { token })).body.items[0];
    expect(video).toMatchObject({ snippet: { title: 'The launch, in three minutes', description: 'Launch film\nThe whole story of the launch.', tags: ['launch'] }, status: { privacyStatus: 'unlisted' } });
  });
});
