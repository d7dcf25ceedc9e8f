/**
 * YouTube (PRODUCT.md section 14) against its own origin of the mock, with
 * real Postgres and Redis: connected through Google's OAuth from the API
 * (offline access: a refresh token kept), a video published once by
 * resumable upload in chunks, its rules refused when the post is scheduled
 * (a 422 naming the rule), an upload cut off mid-way resumed from what
 * YouTube holds, not restarted (the mock counts the bytes it received), and
 * the channel's daily quota units refused when the post is scheduled.
 */
import { KeptState } from '../libs/channels/src/networks/testing/scripted-network';
import { YouTubeAdapter } from '../libs/channels/src/networks/youtube/youtube.adapter';
import { ADAPTER_OPTIONS, fileOf, mockToken, publishRequest } from './support/direct-adapter';
import { http, waitFor } from './support/http';
import { CLIP_MP4, image, upload } from './support/media-files';
import { paddedMp4 } from './support/mock-media-files';
import { InProcessStack } from './support/in-process';
import { mockCalls } from './support/mock-networks';
import { CONNECTED_URI, redirectOf } from './support/stack';

interface MockVideo {
  id: string;
  text: string;
  media: Array<{ type: string; mimeType: string; size: number; width?: number; height?: number }>;
  bytesReceived?: number;
}

/** Two chunks of the adapter's 8 MiB: the first a whole chunk, the second the rest. */
const VIDEO = paddedMp4(CLIP_MP4, 9 * 1024 * 1024 + 12_345);

describe('YouTube', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let videoId: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '200' } });
    ({ apiKey } = await stack.workspace('youtube'));
    const uploaded = await upload(stack.apiUrl, apiKey, VIDEO, 'clip.mp4', 'video/mp4');
    expect(uploaded.status).toBe(201);
    videoId = uploaded.body.id;
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const videos = async (handle: string) => (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network: 'youtube', handle })}`)).body.data as MockVideo[];
  const calls = async (handle: string) => (await mockCalls({ controlUrl: stack.mockUrl }, { network: 'youtube', handle })).data.map((call) => `${call.method} ${call.path.split('?')[0]} ${call.status}`);

  /** Google's consent as `handle` (the mock's login hint): the channel it made. */
  async function connect(handle: string): Promise<{ id: string; network: string; handle: string; displayName: string }> {
    const started = await api('POST', '/v1/channels/connect', { network: 'youtube', redirectUri: CONNECTED_URI });
    expect(started.status).toBe(201);
    const authorize = new URL(started.body.authorizeUrl);
    expect(authorize.pathname).toBe('/o/oauth2/v2/auth');
    expect(authorize.searchParams.get('access_type')).toBe('offline');
    expect(authorize.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    authorize.searchParams.set('login_hint', handle);
    const callback = await redirectOf(authorize.toString());
    const landed = await redirectOf(callback.toString());
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting YouTube ended with ${landed.toString()}`);
    return (await api('GET', `/v1/channels/${channelId}`)).body;
  }

  async function settled(postId: string): Promise<{ status: string; deliveries: Array<{ status: string; externalId: string | null; externalUrl: string | null; lastError: unknown }> }> {
    return waitFor(
      `post ${postId} settled`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        return ['published', 'failed'].includes(post.status) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
  }

  it('is listed with its rules, connectable with the mock demo app', async () => {
    const listed = (await api('GET', '/v1/networks')).body.data as Array<Record<string, any>>;
    const youtube = listed.find((network) => network.network === 'youtube');
    expect(youtube).toMatchObject({
      displayName: 'YouTube',
      text: { maxLength: 5000, maxBytes: 5000, title: { maxLength: 100 }, forbiddenCharacters: '<>' },
      media: { maxImages: 0, maxVideos: 1, minItems: 1 },
      honoursIdempotencyKey: false,
      connect: { method: 'oauth', connectable: true },
    });
  });

  it("connects through Google's OAuth with offline access, and publishes a video once, in chunks, its first line the title", async () => {
    const handle = unique('yt');
    const channel = await connect(handle);
    expect(channel).toMatchObject({ network: 'youtube', handle: `@${handle}` });
    const stored = (await stack.db.query(`SELECT account_id, refresh_token, details FROM channels WHERE id = $1`, [channel.id])).rows[0];
    expect(stored.account_id).toMatch(/^UC[\w-]{22}$/);
    expect(stored.refresh_token).toBeTruthy();
    expect(stored.details.uploadsPlaylistId).toBe(`UU${stored.account_id.slice(2)}`);

    const text = 'Spring in the garden\nA walk through the beds in April. #garden #spring';
    const post = await api('POST', '/v1/posts', { text, channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'now' } });
    expect(post.status).toBe(201);
    const done = await settled(post.body.id);
    expect(done.status).toBe('published');
    const [video, ...more] = await videos(handle);
    expect(more).toHaveLength(0);
    expect(video).toMatchObject({ text, media: [{ type: 'video', mimeType: 'video/mp4', size: VIDEO.length }], bytesReceived: VIDEO.length });
    expect(done.deliveries[0]).toMatchObject({ externalId: video!.id, externalUrl: `https://www.youtube.com/watch?v=${video!.id}` });
    expect(await calls(handle)).toEqual([
      'GET /youtube/v3/channels 200',
      'POST /upload/youtube/v3/videos 200',
      'PUT /upload/youtube/v3/videos 308',
      'PUT /upload/youtube/v3/videos 200',
    ]);
  });

  it('refuses at schedule time a post without a video, a title over 100 characters, or "<" in the text, naming the rule', async () => {
    const channel = await connect(unique('ytrule'));
    const bare = await api('POST', '/v1/posts', { text: 'No video', channelIds: [channel.id], schedule: { mode: 'now' } });
    expect(bare.status).toBe(422);
    expect(bare.body.detail).toMatch(/YouTube needs at least 1 image or video/);
    const long = await api('POST', '/v1/posts', { text: `${'t'.repeat(101)}\nthe description`, channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'now' } });
    expect(long.status).toBe(422);
    expect(long.body.detail).toMatch(/title \(the first line of the text\) is 101 characters; YouTube allows 100/);
    const angled = await api('POST', '/v1/posts', { text: 'A <b>bold</b> title', channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'now' } });
    expect(angled.status).toBe(422);
    expect(angled.body.detail).toMatch(/YouTube refuses "<" and ">"/);
    const photo = await upload(stack.apiUrl, apiKey, await image('png', 64, 64), 'still.png', 'image/png');
    const still = await api('POST', '/v1/posts', { text: 'A still', channelIds: [channel.id], media: [{ mediaId: photo.body.id }], schedule: { mode: 'now' } });
    expect(still.status).toBe(422);
    expect(still.body.detail).toMatch(/1 image; YouTube allows 0/);
    expect(await videos(channel.handle.slice(1))).toHaveLength(0);
  });

  it('publishes a video with its own title, privacy and tags (networkOptions.youtube), as YouTube keeps them, and finds it by that title after a crash', async () => {
    const handle = unique('ytopts');
    const youtubeUrl = stack.networks.find((network) => network.network === 'youtube')!.baseUrl;
    const token = await mockToken(stack.mockUrl, 'youtube', handle);
    const adapter = new YouTubeAdapter(ADAPTER_OPTIONS, youtubeUrl);
    const text = 'The first line is not the title\nA walk through the beds. #garden';
    const options = { title: 'A garden in April', privacy: 'private', tags: ['garden tour', 'spring'] };
    const request = publishRequest(new KeptState(), token, handle, { text, media: [fileOf('yt1', CLIP_MP4, 'video/mp4')], options });
    const published = await adapter.publish(request);
    const video = (await http('GET', `${youtubeUrl}/youtube/v3/videos?part=snippet,status&id=${published.externalId}`, { token: token.accessToken })).body.items[0];
    expect(video).toMatchObject({ snippet: { title: 'A garden in April', description: text, tags: ['garden tour', 'spring'] }, status: { privacyStatus: 'private' } });
    // The lookup compares the title the upload was given, not the text's first line.
    const lookup = { ...request, content: { text, media: [], options }, since: new Date(Date.now() - 60_000), excludeExternalIds: new Set<string>() };
    expect(await adapter.lookup(lookup)).toMatchObject({ externalId: published.externalId });
    // Without options: the first line, public, the text's hashtags, as before.
    const plain = await adapter.publish(publishRequest(new KeptState(), token, handle, { text, media: [fileOf('yt2', CLIP_MP4, 'video/mp4')] }));
    const plainVideo = (await http('GET', `${youtubeUrl}/youtube/v3/videos?part=snippet,status&id=${plain.externalId}`, { token: token.accessToken })).body.items[0];
    expect(plainVideo).toMatchObject({ snippet: { title: 'The first line is not the title', tags: ['garden'] }, status: { privacyStatus: 'public' } });
  });

  it("the mock's YouTube refuses as YouTube does a privacy it does not know, a title over 100 characters or with <, tags over 500 characters or with >", async () => {
    const handle = unique('ytrefuse');
    const youtubeUrl = stack.networks.find((network) => network.network === 'youtube')!.baseUrl;
    const token = await mockToken(stack.mockUrl, 'youtube', handle);
    const open = (snippet: Record<string, unknown>, status: Record<string, unknown> = {}) =>
      http('POST', `${youtubeUrl}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
        token: token.accessToken,
        headers: { 'x-upload-content-type': 'video/mp4', 'x-upload-content-length': '1000' },
        body: { snippet: { title: 'A title', description: 'd', ...snippet }, status },
      });
    const reasonOf = (answer: { status: number; body: any }) => `${answer.status} ${answer.body.error.errors[0].reason}`;
    expect(reasonOf(await open({}, { privacyStatus: 'friends' }))).toBe('400 invalidVideoMetadata');
    expect(reasonOf(await open({ title: 't'.repeat(101) }))).toBe('400 invalidTitle');
    expect(reasonOf(await open({ title: 'A <b> title' }))).toBe('400 invalidTitle');
    // 50 tags of 9 characters and a space (11 with their quotes), commas between: 599.
    expect(reasonOf(await open({ tags: Array.from({ length: 50 }, (_, index) => `tag ${String(index).padStart(5, '0')}`) }))).toBe('400 invalidTags');
    expect(reasonOf(await open({ tags: ['fine', 'not>fine'] }))).toBe('400 invalidTags');
    expect((await open({ tags: ['fine', 'also fine'] }, { privacyStatus: 'unlisted' })).status).toBe(200);
  });

  it('an upload cut off mid-way and not even answering its status: looked up in the uploads playlist, then resumed from what YouTube holds, not restarted', async () => {
    const handle = unique('ytdrop');
    const channel = await connect(handle);
    // The first chunk is taken, then the connection drops; so does the status question right after it.
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'youtube', handle, path: '/upload/youtube/v3/videos', method: 'PUT', dropAfterAccept: true, times: 2 } });
    const post = await api('POST', '/v1/posts', { text: 'Cut off mid-upload\nand resumed', channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'now' } });
    expect(post.status).toBe(201);
    const done = await settled(post.body.id);
    expect(done.status).toBe('published');
    const [video, ...more] = await videos(handle);
    expect(more).toHaveLength(0);
    // Every byte once: a restart would have sent the first chunk's 8 MiB again.
    expect(video!.bytesReceived).toBe(VIDEO.length);
    expect(video!.bytesReceived).toBeLessThan(2 * VIDEO.length);
    expect(done.deliveries[0]!.externalId).toBe(video!.id);
    const seen = await calls(handle);
    // One session opened; the lookup read the uploads playlist (the video was not there yet); the kept session asked, then fed.
    expect(seen.filter((call) => call.startsWith('POST /upload/youtube/v3/videos'))).toHaveLength(1);
    expect(seen).toContain('GET /youtube/v3/playlistItems 200');
    expect(seen.slice(-2)).toEqual(['PUT /upload/youtube/v3/videos 308', 'PUT /upload/youtube/v3/videos 200']);
  });

  it('a chunk whose answer is lost: the session is asked at once and the upload goes on in the same attempt', async () => {
    const handle = unique('ytlost');
    const channel = await connect(handle);
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'youtube', handle, path: '/upload/youtube/v3/videos', method: 'PUT', dropAfterAccept: true, times: 1 } });
    const post = await api('POST', '/v1/posts', { text: 'A lost answer', channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'now' } });
    const done = await settled(post.body.id);
    expect(done.status).toBe('published');
    const [video, ...more] = await videos(handle);
    expect(more).toHaveLength(0);
    expect(video!.bytesReceived).toBe(VIDEO.length);
    expect(await calls(handle)).not.toContain('GET /youtube/v3/playlistItems 200');
  });

  it("refuses at schedule time a seventh upload in a day: each costs 1,600 of the 10,000 units YouTube gives a day", async () => {
    const channel = await connect(unique('ytquota'));
    const start = Date.now() + 2 * 86_400_000;
    for (let index = 0; index < 6; index += 1) {
      const scheduled = await api('POST', '/v1/posts', { text: `Episode ${index + 1}`, channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'at', at: new Date(start + index * 600_000).toISOString() } });
      expect(scheduled.status).toBe(201);
    }
    const refused = await api('POST', '/v1/posts', { text: 'Episode 7', channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'at', at: new Date(start + 6 * 600_000).toISOString() } });
    expect(refused.status).toBe(422);
    expect(refused.body.title).toBe('Posting quota exceeded');
    expect(refused.body.detail).toContain('at most 6 posts in 24 hours');
    expect(refused.body.detail).toContain('an upload costs 1,600 of the 10,000 quota units Google gives a project a day by default');
    // A day later there is room again.
    const later = await api('POST', '/v1/posts', { text: 'Episode 7, the next day', channelIds: [channel.id], media: [{ mediaId: videoId }], schedule: { mode: 'at', at: new Date(start + 86_400_000 + 600_000).toISOString() } });
    expect(later.status).toBe(201);
  });
});
