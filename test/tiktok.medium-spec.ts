/**
 * TikTok (PRODUCT.md section 14) against its own origin of the mock, with
 * real Postgres and Redis: connected through TikTok's OAuth v2 with PKCE
 * from the API (the creator's settings kept), a video published once by
 * FILE_UPLOAD (in chunks, each byte once, resumed after a crash, never
 * posted twice) or by PULL_FROM_URL from Herald's signed link, the publish
 * polled until complete (privately: SELF_ONLY, all an unaudited app may), a caption over
 * 2,200 characters refused at schedule time with a 422 naming the rule, and
 * a video longer than the creator may post refused at schedule time (the
 * settings kept) and before posting (the settings read again).
 */
import { TikTokAdapter } from '../libs/channels/src/networks/tiktok/tiktok.adapter';
import { KeptState } from '../libs/channels/src/networks/testing/scripted-network';
import { ADAPTER_OPTIONS, fileOf, mockToken, publishRequest } from './support/direct-adapter';
import { http, waitFor } from './support/http';
import { CLIP4S_MP4, CLIP_MP4, image, startFileServer, upload } from './support/media-files';
import { paddedMp4 } from './support/mock-media-files';
import { InProcessStack } from './support/in-process';
import { mockCalls } from './support/mock-networks';
import { CONNECTED_URI, redirectOf } from './support/stack';

interface MockVideo {
  id: string;
  text: string;
  visibility?: string;
  media: Array<{ type: string; mimeType: string; size: number; durationMs?: number }>;
  bytesReceived?: number;
}

/** Two of the adapter's 8 MiB chunks: the first whole, the last with the trailing bytes. */
const BIG_CLIP = paddedMp4(CLIP_MP4, 17 * 1024 * 1024 + 4321);

describe('TikTok', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let tiktokUrl: string;
  let clipId: string;
  let longClipId: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '200' } });
    ({ apiKey } = await stack.workspace('tiktok'));
    tiktokUrl = stack.networks.find((network) => network.network === 'tiktok')!.baseUrl;
    const clip = await upload(stack.apiUrl, apiKey, CLIP_MP4, 'clip.mp4', 'video/mp4');
    expect([200, 201]).toContain(clip.status);
    clipId = clip.body.id;
    const long = await upload(stack.apiUrl, apiKey, CLIP4S_MP4, 'clip4s.mp4', 'video/mp4');
    expect([200, 201]).toContain(long.status);
    longClipId = long.body.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const videos = async (handle: string) => (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network: 'tiktok', handle })}`)).body.data as MockVideo[];
  const calls = async (handle: string) => (await mockCalls({ controlUrl: stack.mockUrl }, { network: 'tiktok', handle })).data.map((call) => `${call.method} ${call.path.split('?')[0]} ${call.status}`);
  const setCreator = async (handle: string, settings: Record<string, unknown>) => expect((await http('PUT', `${tiktokUrl}/_mock/creator`, { body: { handle, ...settings } })).status).toBe(200);

  /** TikTok's consent as `handle` (the mock's login hint): the channel it made. */
  async function connect(handle: string): Promise<{ id: string; network: string; handle: string }> {
    const started = await api('POST', '/v1/channels/connect', { network: 'tiktok', redirectUri: CONNECTED_URI });
    expect(started.status).toBe(201);
    const authorize = new URL(started.body.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${tiktokUrl}/v2/auth/authorize/`);
    expect(authorize.searchParams.get('client_key')).toBe('herald-demo');
    expect(authorize.searchParams.get('scope')).toBe('user.info.basic,user.info.profile,video.publish');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    authorize.searchParams.set('login_hint', handle);
    const callback = await redirectOf(authorize.toString());
    const landed = await redirectOf(callback.toString());
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting TikTok ended with ${landed.toString()}`);
    return (await api('GET', `/v1/channels/${channelId}`)).body;
  }

  async function settled(postId: string): Promise<{ status: string; deliveries: Array<{ status: string; externalId: string | null; externalUrl: string | null; lastError: { code?: string; message?: string } | null }> }> {
    return waitFor(
      `post ${postId} settled`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        return ['published', 'failed'].includes(post.status) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
  }

  it('is listed with its rules, says it cannot delete, connectable with the mock demo app', async () => {
    const listed = (await api('GET', '/v1/networks')).body.data as Array<Record<string, any>>;
    const tiktok = listed.find((network) => network.network === 'tiktok');
    expect(tiktok).toMatchObject({
      displayName: 'TikTok',
      text: { maxLength: 2200 },
      media: { maxImages: 35, maxVideos: 1, minItems: 1, mixed: false, image: { types: ['image/jpeg', 'image/webp'] } },
      honoursIdempotencyKey: false,
      deletion: { supported: false },
      connect: { method: 'oauth', connectable: true },
    });
    expect(tiktok!.deletion.how).toMatch(/no delete/);
  });

  it("connects through TikTok's OAuth v2 with PKCE, and publishes a video once, uploaded in one chunk (FILE_UPLOAD, the default), polled until complete, privately", async () => {
    const handle = unique('tt');
    const channel = await connect(handle);
    expect(channel).toMatchObject({ network: 'tiktok', handle });
    const stored = (await stack.db.query(`SELECT account_id, refresh_token, details FROM channels WHERE id = $1`, [channel.id])).rows[0];
    expect(stored.account_id).toMatch(/^-000\d+$/);
    expect(stored.refresh_token).toBeTruthy();
    expect(stored.details.creator).toMatchObject({ privacyLevelOptions: expect.arrayContaining(['SELF_ONLY']), maxVideoPostDurationSec: 600 });

    const text = 'Morning on the harbour #sea';
    const post = await api('POST', '/v1/posts', { text, channelIds: [channel.id], media: [{ mediaId: clipId }], schedule: { mode: 'now' } });
    expect(post.status).toBe(201);
    const done = await settled(post.body.id);
    expect(done.status).toBe('published');
    const [video, ...more] = await videos(handle);
    expect(more).toHaveLength(0);
    expect(video).toMatchObject({ text, visibility: 'SELF_ONLY', media: [{ type: 'video', mimeType: 'video/mp4', size: CLIP_MP4.length, durationMs: 2000 }], bytesReceived: CLIP_MP4.length });
    // A private video has no public id: the publish id is the record, the link the creator's profile.
    expect(done.deliveries[0]).toMatchObject({ externalId: expect.stringMatching(/^v_pub_file~v2-1\./), externalUrl: `https://www.tiktok.com/@${handle}` });
    const seen = await calls(handle);
    expect(seen.slice(0, 5)).toEqual(['GET /v2/user/info/ 200', 'POST /v2/post/publish/creator_info/query/ 200', 'POST /v2/post/publish/creator_info/query/ 200', 'POST /v2/post/publish/video/init/ 200', 'PUT /upload/video/ 201']);
    const polls = seen.slice(5);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(polls)).toEqual(new Set(['POST /v2/post/publish/status/fetch/ 200']));
  });

  it("uploads a video of several chunks (8 MiB, the last with the rest), each byte once, as TikTok's chunk rules want", async () => {
    const handle = unique('ttchunks');
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    const adapter = new TikTokAdapter(ADAPTER_OPTIONS, tiktokUrl);
    const published = await adapter.publish(publishRequest(new KeptState(), token, handle, { text: 'In two chunks', media: [fileOf('big', BIG_CLIP, 'video/mp4')] }));
    const [video, ...more] = await videos(handle);
    expect(more).toHaveLength(0);
    expect(video).toMatchObject({ text: 'In two chunks', media: [{ type: 'video', size: BIG_CLIP.length }], bytesReceived: BIG_CLIP.length });
    expect(published.externalId).toMatch(/^v_pub_file~/);
    expect((await calls(handle)).filter((call) => call.startsWith('PUT'))).toEqual(['PUT /upload/video/ 206', 'PUT /upload/video/ 201']);
    // The mock's TikTok holds an upload to its chunk rules.
    const init = (source: Record<string, unknown>) =>
      http('POST', `${tiktokUrl}/v2/post/publish/video/init/`, { token: token.accessToken, body: { post_info: { title: 'x', privacy_level: 'SELF_ONLY' }, source_info: { source: 'FILE_UPLOAD', ...source } } });
    const MiB = 1024 * 1024;
    expect((await init({ video_size: 20 * MiB, chunk_size: MiB, total_chunk_count: 20 })).body.error.message).toMatch(/5 MB to 64 MB/);
    expect((await init({ video_size: 3 * MiB, chunk_size: MiB, total_chunk_count: 3 })).body.error.message).toMatch(/under 5 MB is uploaded whole/);
    expect((await init({ video_size: 20 * MiB, chunk_size: 8 * MiB, total_chunk_count: 3 })).body.error.message).toMatch(/rounded down/);
    expect((await init({ video_size: 20 * MiB, chunk_size: 8 * MiB, total_chunk_count: 2 })).body.data.upload_url).toMatch(/\/upload\/video\/\?upload_id=/);
  });

  it('a worker that dies mid-upload: the retry sends the rest to the kept upload URL, not the whole file, and posts once', async () => {
    const handle = unique('ttcrash');
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    const adapter = new TikTokAdapter(ADAPTER_OPTIONS, tiktokUrl);
    const kept = new KeptState();
    const file = fileOf('crash', BIG_CLIP, 'video/mp4');
    // The process dies as it reads the second chunk: the first is at TikTok, the publish id and the upload URL are kept.
    const dying = { ...file, readRange: async (start: number, end: number) => (start === 0 ? BIG_CLIP.subarray(start, end) : Promise.reject(new Error('the worker died'))) };
    await expect(adapter.publish(publishRequest(kept, token, handle, { text: 'Cut off', media: [dying] }))).rejects.toThrow('the worker died');
    expect(kept.log).toEqual([expect.stringMatching(/^upload crash:upload:v_pub_file~.+=http/), expect.stringMatching(/^ref v_pub_file~/)]);
    expect(await videos(handle)).toHaveLength(0);
    // The lookup after the crash: TikTok holds 8 MiB of 17, so there is no post, and the retry may go (with the kept ref).
    const lookup = { ...publishRequest(kept, token, handle, { text: 'Cut off' }), content: { text: 'Cut off', media: [{ type: 'video' as const, mimeType: 'video/mp4', size: BIG_CLIP.length }] }, since: new Date(Date.now() - 60_000), excludeExternalIds: new Set<string>() };
    expect(await adapter.lookup(lookup)).toBeNull();

    const retried = await adapter.publish(publishRequest(kept, token, handle, { text: 'Cut off', media: [file] }));
    expect(retried.externalId).toBe(kept.ref);
    const [video, ...more] = await videos(handle);
    expect(more).toHaveLength(0);
    // Every byte once: a restart would have sent the first 8 MiB again.
    expect(video!.bytesReceived).toBe(BIG_CLIP.length);
    const seen = await calls(handle);
    expect(seen.filter((call) => call.startsWith('POST /v2/post/publish/video/init/'))).toHaveLength(1);
    expect(seen.filter((call) => call.startsWith('PUT'))).toEqual(['PUT /upload/video/ 206', 'PUT /upload/video/ 201']);
    // A third try (its answer lost, say) asks the kept publish and posts nothing more.
    expect(await adapter.publish(publishRequest(kept, token, handle, { text: 'Cut off', media: [file] }))).toEqual(retried);
    expect(await videos(handle)).toHaveLength(1);
  });

  it('an upload URL TikTok no longer keeps: the retry starts a new publish, and only that one becomes a post', async () => {
    const handle = unique('ttexpired');
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    const adapter = new TikTokAdapter(ADAPTER_OPTIONS, tiktokUrl);
    const kept = new KeptState();
    const file = fileOf('gone', BIG_CLIP, 'video/mp4');
    const dying = { ...file, readRange: async (start: number, end: number) => (start === 0 ? BIG_CLIP.subarray(start, end) : Promise.reject(new Error('the worker died'))) };
    await expect(adapter.publish(publishRequest(kept, token, handle, { text: 'Started again', media: [dying] }))).rejects.toThrow('the worker died');
    const first = kept.ref;
    // Past its hour the kept URL is forgotten (NetworkUploads.get answers only what is still valid).
    kept.kept.clear();
    const published = await adapter.publish(publishRequest(kept, token, handle, { text: 'Started again', media: [file] }));
    expect(kept.ref).not.toBe(first);
    expect(published.externalId).toBe(kept.ref);
    expect(await videos(handle)).toHaveLength(1);
  });

  it('pulls the video from its link instead when the operator chose PULL_FROM_URL (TIKTOK_VIDEO_SOURCE=pull)', async () => {
    const handle = unique('ttpull');
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    const adapter = new TikTokAdapter(ADAPTER_OPTIONS, tiktokUrl, 'pull');
    const files = await startFileServer();
    try {
      files.put('/clip.mp4', CLIP_MP4, 'video/mp4');
      const published = await adapter.publish(publishRequest(new KeptState(), token, handle, { text: 'Pulled', media: [fileOf('pulled', CLIP_MP4, 'video/mp4', { publicUrl: `${files.url}/clip.mp4` })] }));
      expect(published.externalId).toMatch(/^v_pub_url~/);
      expect(files.hits.get('/clip.mp4')).toBe(1);
    } finally {
      await files.stop();
    }
    expect(await videos(handle)).toEqual([expect.objectContaining({ text: 'Pulled', media: [expect.objectContaining({ size: CLIP_MP4.length })] })]);
    expect(await calls(handle)).not.toContain('PUT /upload/video/ 201');
  });

  it('publishes a photo post (content/init, PHOTO, DIRECT_POST): TikTok pulls each photo from its link, the first the cover, the text its description', async () => {
    const handle = unique('ttphoto');
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    const adapter = new TikTokAdapter(ADAPTER_OPTIONS, tiktokUrl);
    const files = await startFileServer();
    try {
      const first = await image('jpeg', 1080, 1350);
      const second = await image('webp', 1080, 1080);
      files.put('/one.jpg', first, 'image/jpeg');
      files.put('/two.webp', second, 'image/webp');
      const text = 'Harbour at dawn\nTwo photos of the boats';
      const photos = [fileOf('p1', first, 'image/jpeg', { publicUrl: `${files.url}/one.jpg` }), fileOf('p2', second, 'image/webp', { publicUrl: `${files.url}/two.webp` })];
      const kept = new KeptState();
      const published = await adapter.publish(publishRequest(kept, token, handle, { text, media: photos, options: { allowComments: false } }));
      expect(published.externalId).toMatch(/^p_pub_url~/);
      expect(kept.ref).toBe(published.externalId);
      expect(await videos(handle)).toEqual([
        expect.objectContaining({ text, visibility: 'SELF_ONLY', media: [expect.objectContaining({ type: 'image', mimeType: 'image/jpeg', size: first.length }), expect.objectContaining({ type: 'image', mimeType: 'image/webp', size: second.length })] }),
      ]);
      expect([files.hits.get('/one.jpg'), files.hits.get('/two.webp')]).toEqual([1, 1]);
      const seen = await calls(handle);
      expect(seen).toContain('POST /v2/post/publish/content/init/ 200');
      expect(seen).not.toContain('POST /v2/post/publish/video/init/ 200');
      // The mock's TikTok refuses a PNG as TikTok does: the publish fails with its reason.
      files.put('/three.png', await image('png', 600, 600), 'image/png');
      const png = fileOf('p3', await image('png', 600, 600), 'image/png', { publicUrl: `${files.url}/three.png` });
      await expect(adapter.publish(publishRequest(new KeptState(), token, handle, { text: 'A PNG', media: [png] }))).rejects.toMatchObject({ code: 'file_format_check_failed' });
      expect(await videos(handle)).toHaveLength(1);
    } finally {
      await files.stop();
    }
  });

  it('refuses at schedule time a caption over 2,200 characters or a post without a video, naming the rule', async () => {
    const channel = await connect(unique('ttrule'));
    const long = await api('POST', '/v1/posts', { text: 'c'.repeat(2201), channelIds: [channel.id], media: [{ mediaId: clipId }], schedule: { mode: 'now' } });
    expect(long.status).toBe(422);
    expect(long.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(long.body.detail).toMatch(/TikTok/);
    expect(long.body.detail).toMatch(/2201.*2200|2200.*2201/);
    const bare = await api('POST', '/v1/posts', { text: 'No video', channelIds: [channel.id], schedule: { mode: 'now' } });
    expect(bare.status).toBe(422);
    expect(bare.body.detail).toMatch(/TikTok needs at least 1 image or video/);
    expect(await videos(channel.handle)).toHaveLength(0);
  });

  it("refuses a video longer than the creator may post: at schedule time from the settings kept, before posting from the settings read again", async () => {
    const handle = unique('ttshort');
    await setCreator(handle, { maxVideoPostDurationSec: 3 });
    const channel = await connect(handle);
    const refused = await api('POST', '/v1/posts', { text: 'Four seconds', channelIds: [channel.id], media: [{ mediaId: longClipId }], schedule: { mode: 'now' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/runs 4\.0 s; this TikTok creator may post videos of up to 3 s/);

    // The creator's limit shrinks after connecting: the post is taken, then refused before anything is sent.
    const later = unique('ttlater');
    const laterChannel = await connect(later);
    await setCreator(later, { maxVideoPostDurationSec: 3 });
    const post = await api('POST', '/v1/posts', { text: 'Four seconds, later', channelIds: [laterChannel.id], media: [{ mediaId: longClipId }], schedule: { mode: 'now' } });
    expect(post.status).toBe(201);
    const done = await settled(post.body.id);
    expect(done.status).toBe('failed');
    expect(done.deliveries[0]!.lastError).toMatchObject({ code: 'video_too_long_for_creator' });
    expect(await videos(later)).toHaveLength(0);
    expect(await calls(later)).not.toContain('POST /v2/post/publish/video/init/ 200');
  });

  it("discloses what a post promotes as TikTok asks (brand_organic_toggle, brand_content_toggle): its own brand labelled on TikTok; branded content refused while private, at schedule time at the option and by TikTok itself", async () => {
    const handle = unique('ttbrand');
    const channel = await connect(handle);
    const own = await api('POST', '/v1/posts', { text: 'Our spring range is in #shop', channelIds: [channel.id], media: [{ mediaId: clipId }], networkOptions: { tiktok: { yourBrand: true } }, schedule: { mode: 'now' } });
    expect(own.status).toBe(201);
    expect((await settled(own.body.id)).status).toBe('published');
    const [video] = await videos(handle);
    expect(video).toMatchObject({ text: 'Our spring range is in #shop', visibility: 'SELF_ONLY', labels: ['Promotional content'] });

    // Herald posts as SELF_ONLY unless told otherwise, and TikTok does not let a paid partnership be private.
    const paid = await api('POST', '/v1/posts', { text: 'In partnership with a brand', channelIds: [channel.id], media: [{ mediaId: clipId }], networkOptions: { tiktok: { brandedContent: true } }, schedule: { mode: 'now' } });
    expect(paid.status).toBe(422);
    expect(paid.body.errors).toEqual([expect.objectContaining({ path: 'networkOptions.tiktok.brandedContent', message: expect.stringMatching(/does not let branded content.*be private/) })]);
    const wrongType = await api('POST', '/v1/posts', { text: 'x', channelIds: [channel.id], media: [{ mediaId: clipId }], networkOptions: { tiktok: { brandedContent: 'yes' } }, schedule: { mode: 'now' } });
    expect(wrongType.status).toBe(400);
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    const refused = await http('POST', `${tiktokUrl}/v2/post/publish/video/init/`, {
      token: token.accessToken,
      body: { post_info: { title: 'Paid', privacy_level: 'SELF_ONLY', brand_content_toggle: true }, source_info: { source: 'PULL_FROM_URL', video_url: 'https://herald.invalid/v.mp4' } },
    });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_params', message: expect.stringMatching(/brand_content_toggle.*SELF_ONLY/) } } });
    expect(await videos(handle)).toHaveLength(1);
  });

  it("reads again what the creator may post when asked, as compose asks when it offers a TikTok channel: the channel's choices and the schedule-time checks are the creator's now", async () => {
    const handle = unique('ttfresh');
    await setCreator(handle, { privacyLevelOptions: ['SELF_ONLY'] });
    const channel = (await connect(handle)) as { id: string; choices?: Record<string, unknown> };
    expect(channel.choices).toMatchObject({ privacyLevels: ['SELF_ONLY'], commentDisabled: false });
    await setCreator(handle, { privacyLevelOptions: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'], commentDisabled: true });
    const fresh = await api('POST', `/v1/channels/${channel.id}/profile/refresh`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.choices).toMatchObject({ privacyLevels: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'], commentDisabled: true });
    expect((await api('GET', `/v1/channels/${channel.id}`)).body.choices).toMatchObject({ privacyLevels: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'], commentDisabled: true });
    // What connecting kept beside the creator stays.
    const details = (await stack.db.query(`SELECT details FROM channels WHERE id = $1`, [channel.id])).rows[0].details as Record<string, unknown>;
    expect(Object.keys(details)).toEqual(expect.arrayContaining(['creator']));
    const refused = await api('POST', '/v1/posts', { text: 'Comments on', channelIds: [channel.id], media: [{ mediaId: clipId }], networkOptions: { tiktok: { privacy: 'SELF_ONLY', allowComments: true } }, schedule: { mode: 'now' } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'networkOptions.tiktok.allowComments' })]);
  });

  it("refuses at schedule time a privacy the creator does not offer (field privacy) and comments the creator turned off, from the settings kept; the mock's TikTok refuses them too", async () => {
    const handle = unique('ttpriv');
    await setCreator(handle, { privacyLevelOptions: ['PUBLIC_TO_EVERYONE', 'SELF_ONLY'], commentDisabled: true });
    const channel = await connect(handle);
    const details = (await stack.db.query(`SELECT details FROM channels WHERE id = $1`, [channel.id])).rows[0].details as Record<string, unknown>;
    const adapter = new TikTokAdapter(ADAPTER_OPTIONS, tiktokUrl);
    const media = [{ mediaId: 'm1', type: 'video' as const, mimeType: 'video/mp4', size: CLIP_MP4.length, durationMs: 2000 }];
    expect(adapter.validate({ text: 'Hi', media, options: { privacy: 'FOLLOWER_OF_CREATOR' } }, details)).toEqual([
      { code: 'privacy_level_unavailable', field: 'privacy', message: expect.stringMatching(/offers PUBLIC_TO_EVERYONE, SELF_ONLY/) },
    ]);
    expect(adapter.validate({ text: 'Hi', media, options: { allowComments: true } }, details)).toEqual([expect.objectContaining({ code: 'comments_turned_off', field: 'allowComments' })]);
    expect(adapter.validate({ text: 'Hi', media, options: { privacy: 'SELF_ONLY', allowComments: false, allowDuet: true } }, details)).toEqual([]);

    // Read again before posting: the creator stopped offering SELF_ONLY after the post was scheduled; nothing is sent.
    const token = await mockToken(stack.mockUrl, 'tiktok', handle);
    await setCreator(handle, { privacyLevelOptions: ['PUBLIC_TO_EVERYONE'] });
    await expect(adapter.publish(publishRequest(new KeptState(), token, handle, { text: 'Hi', media: [fileOf('tt1', CLIP_MP4, 'video/mp4')], options: { privacy: 'SELF_ONLY' } }))).rejects.toMatchObject({ code: 'privacy_level_unavailable' });
    const init = (postInfo: Record<string, unknown>) =>
      http('POST', `${tiktokUrl}/v2/post/publish/video/init/`, { token: token.accessToken, body: { post_info: { title: 'Hi', ...postInfo }, source_info: { source: 'PULL_FROM_URL', video_url: 'https://herald.invalid/v.mp4' } } });
    expect((await init({ privacy_level: 'SELF_ONLY', disable_comment: true })).body.error.code).toBe('privacy_level_option_mismatch');
    await setCreator(handle, { privacyLevelOptions: ['SELF_ONLY'] });
    expect(await init({ privacy_level: 'SELF_ONLY', disable_comment: false })).toMatchObject({ status: 400, body: { error: { code: 'invalid_params', message: expect.stringMatching(/disable_comment/) } } });
    expect(await videos(handle)).toHaveLength(0);
  });
});
