/**
 * YouTube's resumable upload across a worker killed mid-upload (issue 34):
 * the upload session is kept in Postgres before a byte is sent; the worker
 * is SIGKILLed while its first chunk is on the way; a new worker recovers
 * the delivery (the uploads playlist read first: the video is not there),
 * asks the kept session what it holds and sends the rest. One video, and
 * every byte received once: a restart would have sent the first chunk again.
 */
import { http, sleep, waitFor } from './support/http';
import { CLIP_MP4, upload } from './support/media-files';
import { paddedMp4 } from './support/mock-media-files';
import { mockCalls } from './support/mock-networks';
import { RunningProcess, Stack } from './support/stack';

const VIDEO = paddedMp4(CLIP_MP4, 9 * 1024 * 1024 + 4321);

describe('YouTube: a worker killed mid-upload', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { NETWORK_TIMEOUT_MS: '5000', CLAIM_LEASE_MS: '8000', RECONCILE_INTERVAL_MS: '500', RETRY_BACKOFF_MS: '100', LOOKUP_SETTLE_MS: '500' } });
    ({ apiKey } = await stack.workspace('youtube-crash'));
  });

  afterAll(async () => {
    if (stack) await http('DELETE', `${stack.mockUrl}/_mock/faults`).catch(() => undefined);
    await stack?.stop();
  });

  const liveWorker = (): RunningProcess => stack.workers.find((worker) => worker.child.exitCode === null && worker.child.signalCode === null)!;

  it('is resumed from what YouTube holds by the next worker: one video, no byte sent twice', async () => {
    const handle = `ytcrash_${Date.now().toString(36)}`;
    const landed = await stack.connectThroughOAuth(apiKey, 'youtube', handle);
    const channelId = landed.searchParams.get('channelId');
    expect(channelId).toBeTruthy();
    const media = await upload(stack.apiUrl, apiKey, VIDEO, 'clip.mp4', 'video/mp4');
    expect(media.status).toBe(201);
    // Each chunk takes a while to be answered, so the worker dies with the first one on the way.
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'youtube', handle, path: '/upload/youtube/v3/videos', method: 'PUT', latencyMs: 1500 } });
    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'Killed mid-upload\nand resumed', channelIds: [channelId], media: [{ mediaId: media.body.id }], schedule: { mode: 'now' } } });
    expect(post.status).toBe(201);

    try {
      await waitFor(
        'the upload session kept',
        async () => {
          const { rows } = await stack.db.query(`SELECT network_media FROM deliveries WHERE post_id = $1`, [post.body.id]);
          return Object.keys(rows[0]?.network_media ?? {}).some((key) => key.endsWith(':session')) ? true : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 20 },
      );
      await sleep(300);
    } finally {
      await stack.kill(liveWorker(), 'SIGKILL');
    }
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
    await stack.startWorker();

    const done = await waitFor(
      'the post settled',
      async () => {
        const view = (await http('GET', `${stack.apiUrl}/v1/posts/${post.body.id}`, { token: apiKey })).body;
        return ['published', 'failed'].includes(view.status) ? view : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(done.status).toBe('published');
    const videos = (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network: 'youtube', handle })}`)).body.data as Array<{ id: string; bytesReceived: number }>;
    expect(videos).toHaveLength(1);
    expect(videos[0]!.bytesReceived).toBe(VIDEO.length);
    expect(done.deliveries[0].externalId).toBe(videos[0]!.id);
    const calls = (await mockCalls({ controlUrl: stack.mockUrl }, { network: 'youtube', handle })).data.map((call) => `${call.method} ${call.path.split('?')[0]}`);
    expect(calls.filter((call) => call === 'POST /upload/youtube/v3/videos')).toHaveLength(1);
    expect(calls).toContain('GET /youtube/v3/playlistItems');
  });
});
