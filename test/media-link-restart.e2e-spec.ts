/**
 * Media reaching the networks while Herald's own links are out of reach: the
 * API (which serves the signed links the networks download from) is stopped
 * with SIGTERM before a post is due and started again; the worker's try is
 * rescheduled, not failed, and the post goes out once the API is back. A
 * process restarted takes seconds, so the API is down across a whole try;
 * the rest of media reaching the networks is test/media-publish.medium-spec.ts's.
 */
import { http, waitFor } from './support/http';
import { image, upload } from './support/media-files';
import { Stack } from './support/stack';

interface MockMediaView {
  type: string;
  mimeType: string;
  size: number;
  width: number;
  height: number;
  durationMs?: number;
  alt?: string;
}

describe('media reaching the networks across an API restart', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { RETRY_BACKOFF_MS: '200' } });
    ({ apiKey } = await stack.workspace('media-restart'));
  });

  afterAll(async () => {
    await stack?.stop();
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

  it("retries, not fails, when a network cannot download a file because Herald's own link is out of reach", async () => {
    const suffix = `${Date.now().toString(36)}d`;
    const channel = await stack.channel(apiKey, { network: 'threads', handle: `threads_${suffix}` });
    const uploaded = await upload(stack.apiUrl, apiKey, await image('jpeg', 600, 600), 'down.jpg', 'image/jpeg');
    const post = await api('POST', '/v1/posts', {
      text: `API down ${suffix}`,
      channelIds: [channel.id],
      media: [{ mediaId: uploaded.body.id, alt: 'Served late' }],
      schedule: { mode: 'at', at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(post.status).toBe(201);
    // The API (which serves the signed links) goes away before the post is due; the worker publishes without it.
    await stack.kill(stack.api!, 'SIGTERM');
    const deliveryId = post.body.deliveries[0].id;
    let waited: { status: string };
    try {
      waited = await waitFor('a try that could not be downloaded', async () => {
        const { rows } = await stack.db.query(`SELECT status, last_error_code FROM deliveries WHERE id = $1`, [deliveryId]);
        return rows[0].last_error_code === 'media_link_unreachable' ? rows[0] : undefined;
      });
    } finally {
      // Back whatever happened, so the cases after this one have their API.
      stack.api = stack.spawn('api');
    }
    // Rescheduled, not failed: on a loaded machine the next try may already have claimed it when this looks.
    expect(['scheduled', 'publishing']).toContain(waited.status);
    await waitFor('the API back', async () => (await http('GET', `${stack.apiUrl}/health/ready`)).status === 200, { timeoutMs: 30_000 });
    const done = await published(post.body.id);
    expect(done.deliveries[0].attempts.map((attempt: { errorCode: string | null }) => attempt.errorCode)).toEqual(expect.arrayContaining(['media_link_unreachable', null]));
    const accepted = await mockPostsWithMedia('threads', channel.handle);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.media).toEqual([expect.objectContaining({ mimeType: 'image/jpeg', alt: 'Served late' })]);
  });
});
