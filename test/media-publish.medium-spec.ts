/**
 * Media reaching the networks (the mock, judging by its own code what it
 * receives): a post with two images and their alt text to all seven
 * networks, each taking them its own way; images too large for a network
 * resized to fit; video through each network's video path; a media URL
 * that vanished after scheduling; an upload kept and reused by a retry.
 * (A retry while the API that serves Herald's links is stopped and started
 * again is test/media-link-restart.e2e-spec.ts's: it restarts a process.)
 */
import { http, waitFor } from './support/http';
import { CLIP4S_MP4, CLIP_MP4, FileServer, bigPhoto, image, startFileServer, upload } from './support/media-files';
import { mockCalls } from './support/mock-networks';
import { InProcessStack } from './support/in-process';

interface MockMediaView {
  type: string;
  mimeType: string;
  size: number;
  width: number;
  height: number;
  durationMs?: number;
  alt?: string;
}

const NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;

describe('media reaching the networks', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let files: FileServer;

  beforeAll(async () => {
    files = await startFileServer();
    stack = await InProcessStack.start({ env: { HERALD_URL_ALLOWLIST: '127.0.0.2', NETWORK_QUOTAS: 'x=off', RETRY_BACKOFF_MS: '200' } });
    ({ apiKey } = await stack.workspace('media-publish'));
  });

  afterAll(async () => {
    await stack?.stop();
    await files?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const mockPostsWithMedia = async (network: string, handle: string) =>
    (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network, handle })}`)).body.data as { id: string; text: string; media: MockMediaView[] }[];
  const published = (postId: string) =>
    waitFor(
      `post ${postId} published`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        if (post.deliveries.some((delivery: { status: string }) => delivery.status === 'failed')) {
          throw new Error(`a delivery failed: ${JSON.stringify(post.deliveries.map((delivery: { network: string; lastError: unknown }) => [delivery.network, delivery.lastError]))}`);
        }
        return post.status === 'published' ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );
  const channels = (suffix: string) =>
    Promise.all(NETWORKS.map((network) => stack.channel(apiKey, { network, handle: network === 'mastodon' ? `m_${suffix}@example.social` : `${network}_${suffix}` })));

  it('sends a post with two images and their alt text to all seven networks, each its own way', async () => {
    const suffix = Date.now().toString(36);
    const targets = await channels(suffix);
    const png = await upload(stack.apiUrl, apiKey, await image('png', 800, 600), 'chart.png', 'image/png');
    const jpeg = await upload(stack.apiUrl, apiKey, await image('jpeg', 1000, 800), 'team.jpg', 'image/jpeg');
    const post = await api('POST', '/v1/posts', {
      text: `Two pictures ${suffix}`,
      channelIds: targets.map((channel) => channel.id),
      media: [
        { mediaId: png.body.id, alt: 'A bar chart of signups' },
        { mediaId: jpeg.body.id, alt: 'The team on launch day' },
      ],
      schedule: { mode: 'now' },
    });
    expect(post.status).toBe(201);
    await published(post.body.id);
    for (const channel of targets) {
      const [accepted, ...more] = await mockPostsWithMedia(channel.network, channel.handle);
      expect(more).toHaveLength(0);
      expect(accepted!.media.map((item) => item.alt)).toEqual(['A bar chart of signups', 'The team on launch day']);
      expect(accepted!.media.map((item) => [item.type, item.width, item.height])).toEqual([
        ['image', 800, 600],
        ['image', 1000, 800],
      ]);
      // Instagram takes JPEG only: the PNG went as a JPEG Herald made; everyone else got the files as they are.
      expect(accepted!.media.map((item) => item.mimeType)).toEqual([channel.network === 'instagram' ? 'image/jpeg' : 'image/png', 'image/jpeg']);
    }
    // Each network's own way in.
    const calls = async (network: string, handle: string) => (await mockCalls({ controlUrl: stack.mockUrl }, { network, handle })).data.map((call) => `${call.method} ${call.path.split('?')[0]}`);
    const byNetwork = Object.fromEntries(await Promise.all(targets.map(async (channel) => [channel.network, await calls(channel.network, channel.handle)] as const)));
    expect(byNetwork.x!.filter((call) => call === 'POST /2/media/upload')).toHaveLength(2);
    expect(byNetwork.x!.filter((call) => call === 'POST /2/media/metadata')).toHaveLength(2);
    expect(byNetwork.bluesky!.filter((call) => call.endsWith('com.atproto.repo.uploadBlob'))).toHaveLength(2);
    expect(byNetwork.mastodon!.filter((call) => call === 'POST /api/v2/media')).toHaveLength(2);
    expect(byNetwork.linkedin!.filter((call) => call.startsWith('PUT '))).toHaveLength(2);
  });

  it('resizes an image too large in bytes for Bluesky (2,000,000) and X (5 MB), and keeps the original', async () => {
    const suffix = `${Date.now().toString(36)}r`;
    const [bluesky, x, mastodon] = await Promise.all([
      stack.channel(apiKey, { network: 'bluesky', handle: `bluesky_${suffix}` }),
      stack.channel(apiKey, { network: 'x', handle: `x_${suffix}` }),
      stack.channel(apiKey, { network: 'mastodon', handle: `m_${suffix}@example.social` }),
    ]);
    const photo = await bigPhoto(6_000_000);
    const uploaded = await upload(stack.apiUrl, apiKey, photo, 'photo.jpg', 'image/jpeg');
    expect(uploaded.status).toBe(201);
    const networks = (await api('GET', `/v1/media/${uploaded.body.id}`)).body.networks;
    expect(networks.bluesky).toEqual({ accepted: true, resized: true, problems: [] });
    expect(networks.x).toEqual({ accepted: true, resized: true, problems: [] });
    expect(networks.mastodon).toEqual({ accepted: true, resized: false, problems: [] });
    const post = await api('POST', '/v1/posts', {
      text: `Big photo ${suffix}`,
      channelIds: [bluesky.id, x.id, mastodon.id],
      media: [{ mediaId: uploaded.body.id, alt: 'Noise' }],
      schedule: { mode: 'now' },
    });
    expect(post.status).toBe(201);
    await published(post.body.id);
    const [sky] = await mockPostsWithMedia('bluesky', bluesky.handle);
    expect(sky!.media[0]!.size).toBeLessThanOrEqual(2_000_000);
    expect(sky!.media[0]!.width / sky!.media[0]!.height).toBeCloseTo(4000 / 3000, 2);
    const [tweet] = await mockPostsWithMedia('x', x.handle);
    expect(tweet!.media[0]!.size).toBeLessThanOrEqual(5 * 1024 * 1024);
    const [toot] = await mockPostsWithMedia('mastodon', mastodon.handle);
    expect(toot!.media[0]!.size).toBe(photo.length);
    // The original is kept as it was.
    const original = await fetch(`${stack.apiUrl}/v1/media/${uploaded.body.id}/file`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(Buffer.from(await original.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('sends video through each network video path (X chunked, Mastodon processing, Meta containers, LinkedIn parts)', async () => {
    const suffix = `${Date.now().toString(36)}v`;
    const targets = await Promise.all(
      (['x', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const).map((network) =>
        stack.channel(apiKey, { network, handle: network === 'mastodon' ? `m_${suffix}@example.social` : `${network}_${suffix}` }),
      ),
    );
    const clip = await upload(stack.apiUrl, apiKey, CLIP4S_MP4, 'clip.mp4', 'video/mp4');
    const post = await api('POST', '/v1/posts', {
      text: `A clip ${suffix}`,
      channelIds: targets.map((channel) => channel.id),
      media: [{ mediaId: clip.body.id, alt: 'A test pattern' }],
      schedule: { mode: 'now' },
    });
    expect(post.status).toBe(201);
    await published(post.body.id);
    for (const channel of targets) {
      const [accepted] = await mockPostsWithMedia(channel.network, channel.handle);
      expect(accepted!.media).toEqual([expect.objectContaining({ type: 'video', mimeType: 'video/mp4', size: CLIP4S_MP4.length, width: 320, height: 240 })]);
    }
    // Instagram Reels last at least 3 s: a 2-second clip is refused when scheduled, naming the limit.
    const short = await upload(stack.apiUrl, apiKey, CLIP_MP4, 'short.mp4', 'video/mp4');
    const refused = await api('POST', '/v1/posts', { text: 'Reel', channelIds: [targets[4]!.id], media: [{ mediaId: short.body.id }], schedule: { mode: 'now' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/runs 2 s; Instagram needs video of at least 3 s/);
  });

  it('publishes a post whose media URL vanished after scheduling, with its image', async () => {
    const suffix = `${Date.now().toString(36)}u`;
    const channel = await stack.channel(apiKey, { network: 'threads', handle: `threads_${suffix}` });
    files.put(`/${suffix}.jpg`, await image('jpeg', 640, 640), 'image/jpeg');
    const post = await api('POST', '/v1/posts', {
      text: `Gone ${suffix}`,
      channelIds: [channel.id],
      media: [{ url: `${files.url}/${suffix}.jpg`, alt: 'A square' }],
      schedule: { mode: 'at', at: new Date(Date.now() + 2500).toISOString() },
    });
    expect(post.status).toBe(201);
    files.remove(`/${suffix}.jpg`);
    await published(post.body.id);
    const [accepted] = await mockPostsWithMedia('threads', channel.handle);
    expect(accepted!.media).toEqual([expect.objectContaining({ type: 'image', mimeType: 'image/jpeg', width: 640, height: 640, alt: 'A square' })]);
    expect(files.hits.get(`/${suffix}.jpg`)).toBe(1);
  });

  it('reuses what a failed try uploaded instead of uploading it again', async () => {
    const suffix = `${Date.now().toString(36)}k`;
    const [x, mastodon] = await Promise.all([
      stack.channel(apiKey, { network: 'x', handle: `x_${suffix}` }),
      stack.channel(apiKey, { network: 'mastodon', handle: `m_${suffix}@example.social` }),
    ]);
    // The post call fails once (a 503, before anything is posted); the uploads before it went through.
    for (const [network, handle, path] of [
      ['x', x.handle, '/2/tweets'],
      ['mastodon', mastodon.handle, '/api/v1/statuses'],
    ]) {
      expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network, handle, path, status: 503, times: 1 } })).status).toBe(201);
    }
    const uploaded = await upload(stack.apiUrl, apiKey, await image('png', 500, 500), 'retry.png', 'image/png');
    const post = await api('POST', '/v1/posts', { text: `Retry ${suffix}`, channelIds: [x.id, mastodon.id], media: [{ mediaId: uploaded.body.id, alt: 'Once' }], schedule: { mode: 'now' } });
    const done = await published(post.body.id);
    for (const delivery of done.deliveries) expect(delivery.attemptCount).toBe(2);
    const uploads = async (network: string, handle: string, path: string) =>
      (await mockCalls({ controlUrl: stack.mockUrl }, { network, handle })).data.filter((call) => call.method === 'POST' && call.path.split('?')[0] === path).length;
    expect(await uploads('x', x.handle, '/2/media/upload')).toBe(1);
    expect(await uploads('x', x.handle, '/2/tweets')).toBe(2);
    expect(await uploads('mastodon', mastodon.handle, '/api/v2/media')).toBe(1);
    expect(await uploads('mastodon', mastodon.handle, '/api/v1/statuses')).toBe(2);
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });
});
