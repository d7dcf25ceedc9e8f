/**
 * TikTok (PRODUCT.md section 14) against its own origin of the mock, with
 * real Postgres and Redis: connected through TikTok's OAuth v2 with PKCE
 * from the API (the creator's settings kept), a video published once by
 * PULL_FROM_URL from Herald's signed link and the publish polled until
 * complete (privately: SELF_ONLY, all an unaudited app may), a caption over
 * 2,200 characters refused at schedule time with a 422 naming the rule, and
 * a video longer than the creator may post refused at schedule time (the
 * settings kept) and before posting (the settings read again).
 */
import { TikTokAdapter } from '../libs/channels/src/networks/tiktok/tiktok.adapter';
import { KeptState } from '../libs/channels/src/networks/testing/scripted-network';
import { ADAPTER_OPTIONS, fileOf, mockToken, publishRequest } from './support/direct-adapter';
import { http, waitFor } from './support/http';
import { CLIP4S_MP4, CLIP_MP4, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';
import { mockCalls } from './support/mock-networks';
import { CONNECTED_URI, redirectOf } from './support/stack';

interface MockVideo {
  id: string;
  text: string;
  visibility?: string;
  media: Array<{ type: string; mimeType: string; size: number; durationMs?: number }>;
}

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
      media: { maxImages: 0, maxVideos: 1, minItems: 1 },
      honoursIdempotencyKey: false,
      deletion: { supported: false },
      connect: { method: 'oauth', connectable: true },
    });
    expect(tiktok!.deletion.how).toMatch(/no delete/);
  });

  it("connects through TikTok's OAuth v2 with PKCE, and publishes a video once, pulled from Herald's link, polled until complete, privately", async () => {
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
    expect(video).toMatchObject({ text, visibility: 'SELF_ONLY', media: [{ type: 'video', mimeType: 'video/mp4', size: CLIP_MP4.length, durationMs: 2000 }] });
    // A private video has no public id: the publish id is the record, the link the creator's profile.
    expect(done.deliveries[0]).toMatchObject({ externalId: expect.stringMatching(/^v_pub_url~v2-1\./), externalUrl: `https://www.tiktok.com/@${handle}` });
    const seen = await calls(handle);
    expect(seen.slice(0, 4)).toEqual(['GET /v2/user/info/ 200', 'POST /v2/post/publish/creator_info/query/ 200', 'POST /v2/post/publish/creator_info/query/ 200', 'POST /v2/post/publish/video/init/ 200']);
    const polls = seen.slice(4);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(polls)).toEqual(new Set(['POST /v2/post/publish/status/fetch/ 200']));
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
