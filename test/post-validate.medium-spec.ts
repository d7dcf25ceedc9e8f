/**
 * `POST /v1/posts/validate`, the dry run of `POST /v1/posts`: the same
 * checks and the same problems, the times a real create then gets (queue
 * slots included), media that fit or are resized per network, nothing
 * written, no quota taken.
 */
import { http } from './support/http';
import { InProcessStack } from './support/in-process';
import { CLIP_MP4, image, upload } from './support/media-files';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((day) => [
  { day, time: '09:00' },
  { day, time: '15:00' },
]);

describe('POST /v1/posts/validate', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0, env: { NETWORK_QUOTAS: 'mastodon=2/1h' } });
    ({ apiKey, id: workspaceId } = await stack.workspace('dry-runs'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown, token = apiKey) => http(method, `${stack.apiUrl}${path}`, { token, body });
  const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  /** Every row a create writes or touches, counted. */
  async function footprint(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ['posts', 'deliveries', 'audit_events', 'idempotency_records', 'media']) {
      counts[table] = (await stack.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId])).rows[0].n;
    }
    counts.redisKeys = (await stack.redisKeys(`${stack.queuePrefix}:publish:*`)).length;
    return counts;
  }

  async function queueTimes(channelId: string): Promise<string[]> {
    return (await api('GET', `/v1/channels/${channelId}/queue`)).body.data.map((entry: { scheduledAt: string }) => entry.scheduledAt);
  }

  it('answers the slot a queued post would take, writes nothing, and a real create then gets that slot', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `v${unique()}@example.social`, timezone: 'Europe/Berlin', postingSchedule: { slots: EVERY_DAY } });
    for (const text of ['one', 'two']) expect((await api('POST', '/v1/posts', { text, channelIds: [channel.id], schedule: { mode: 'queue' } })).status).toBe(201);
    const queueBefore = await queueTimes(channel.id);
    const before = await footprint();

    const body = { text: 'three', channelIds: [channel.id], schedule: { mode: 'queue' } };
    const dry = await api('POST', '/v1/posts/validate', body);
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(true);
    expect(dry.body.problem).toBeNull();
    const [answer] = dry.body.channels;
    expect(answer).toMatchObject({ channelId: channel.id, network: 'mastodon', ok: true, status: 'scheduled', needsApproval: false, problem: null });
    expect(answer.text).toEqual([{ path: 'text', length: 5, limit: 500 }]);
    expect(queueBefore).not.toContain(answer.scheduledAt);
    expect(await footprint()).toEqual(before);

    const created = await api('POST', '/v1/posts', body);
    expect(created.status).toBe(201);
    expect(created.body.deliveries[0].scheduledAt).toBe(answer.scheduledAt);
  });

  it('answers the front of the queue for "next" without moving the others', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `n${unique()}@example.social`, timezone: 'America/New_York', postingSchedule: { slots: EVERY_DAY } });
    for (const text of ['one', 'two']) expect((await api('POST', '/v1/posts', { text, channelIds: [channel.id], schedule: { mode: 'queue' } })).status).toBe(201);
    const queueBefore = await queueTimes(channel.id);
    const before = await footprint();

    const body = { text: 'urgent', channelIds: [channel.id], schedule: { mode: 'next' } };
    const dry = await api('POST', '/v1/posts/validate', body);
    expect(dry.status).toBe(200);
    expect(dry.body.channels[0].scheduledAt).toBe(queueBefore[0]);
    expect(await queueTimes(channel.id)).toEqual(queueBefore);
    expect(await footprint()).toEqual(before);

    const created = await api('POST', '/v1/posts', body);
    expect(created.body.deliveries[0].scheduledAt).toBe(dry.body.channels[0].scheduledAt);
  });

  it('takes no posting quota, says the room left, and answers the refusal a create would give once the cap is reached', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `q${unique()}@example.social` });
    const at = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const body = { text: 'capped', channelIds: [channel.id], schedule: { mode: 'at', at } };
    for (let run = 0; run < 3; run += 1) {
      const dry = await api('POST', '/v1/posts/validate', body);
      expect(dry.body.ok).toBe(true);
      expect(dry.body.channels[0].scheduledAt).toBe(at);
      expect(dry.body.channels[0].quota).toEqual([{ posts: 2, window: '1 hour', windowMs: 3_600_000, left: 1 }]);
    }
    for (let run = 0; run < 2; run += 1) expect((await api('POST', '/v1/posts', body)).status).toBe(201);
    const before = await footprint();
    const dry = await api('POST', '/v1/posts/validate', body);
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(false);
    const refused = await api('POST', '/v1/posts', body);
    expect(refused.status).toBe(422);
    expect(dry.body.channels[0].problem).toMatchObject({ status: 422, title: refused.body.title, detail: refused.body.detail });
    expect(await footprint()).toEqual(before);
  });

  it("names X's limit for a text too long for X, as the create's 422 does, and passes the other channel", async () => {
    const x = await stack.channel(apiKey, { network: 'x', handle: `x${unique()}` });
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `m${unique()}@example.social` });
    const body = { text: 'a'.repeat(300), channelIds: [x.id, mastodon.id], schedule: { mode: 'now' } };
    const before = await footprint();
    const dry = await api('POST', '/v1/posts/validate', body);
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(false);
    const [onX, onMastodon] = dry.body.channels;
    expect(onX.ok).toBe(false);
    expect(onX.text).toEqual([{ path: 'text', length: 300, limit: 280 }]);
    expect(onX.problem.status).toBe(422);
    expect(onX.problem.detail).toMatch(/280/);
    expect(onMastodon).toMatchObject({ ok: true, status: 'scheduled', problem: null });
    const refused = await api('POST', '/v1/posts', body);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toBe(onX.problem.detail);
    expect(await footprint()).toEqual(before);
  });

  it("counts every part of a thread and the first comment, each against its channel's limit, naming the part too long as the create does", async () => {
    const x = await stack.channel(apiKey, { network: 'x', handle: `x${unique()}` });
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `b${unique()}.bsky.social` });
    const body = {
      parts: [{ text: 'first' }, { text: 'b'.repeat(290) }, { text: 'third' }],
      firstComment: { text: 'more at example.com' },
      variants: { [bluesky.id]: 'first, on Bluesky' },
      channelIds: [x.id, bluesky.id],
      schedule: { mode: 'now' },
    };
    const before = await footprint();
    const dry = await api('POST', '/v1/posts/validate', body);
    expect(dry.status).toBe(200);
    const [onX, onBluesky] = dry.body.channels;
    expect(onX.text).toEqual([
      { path: 'parts[0]', length: 5, limit: 280 },
      { path: 'parts[1]', length: 290, limit: 280 },
      { path: 'parts[2]', length: 5, limit: 280 },
      // X counts a link as 23 characters, whatever its length; Bluesky counts what is written.
      { path: 'firstComment', length: 31, limit: 280 },
    ]);
    expect(onX.ok).toBe(false);
    expect(onBluesky.text.map((count: { path: string; length: number }) => [count.path, count.length])).toEqual([
      [`variants.${bluesky.id}`, 17],
      ['parts[1]', 290],
      ['parts[2]', 5],
      ['firstComment', 19],
    ]);
    expect(onBluesky.text.every((count: { limit: number }) => count.limit === 300)).toBe(true);
    expect(onBluesky.ok).toBe(true);
    const refused = await api('POST', '/v1/posts', body);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'parts[1]' })]);
    expect(refused.body.detail).toBe(onX.problem.detail);
    expect(await footprint()).toEqual(before);
  });

  it('answers a problem of the whole post (a past time) and 400 for a body a create would refuse as malformed', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `p${unique()}@example.social` });
    const past = await api('POST', '/v1/posts/validate', { text: 'late', channelIds: [channel.id], schedule: { mode: 'at', at: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ ok: false, channels: [], problem: { status: 422 } });
    expect(past.body.problem.detail).toMatch(/in the past/);
    const malformed = await api('POST', '/v1/posts/validate', { text: 'no channels', schedule: { mode: 'now' } });
    expect(malformed.status).toBe(400);
    const unknown = await api('POST', '/v1/posts/validate', { text: 'who', channelIds: ['00000000-0000-4000-8000-000000000000'], schedule: { mode: 'now' } });
    expect(unknown.body.channels[0]).toMatchObject({ ok: false, network: null, problem: { status: 404 } });
  });

  it('tells a contributor the post would wait for approval', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `c${unique()}@example.social` });
    const key = await api('POST', '/v1/api-keys', { name: 'contributor', role: 'contributor' });
    expect(key.status).toBe(201);
    const dry = await api('POST', '/v1/posts/validate', { text: 'please', channelIds: [channel.id], schedule: { mode: 'now' } }, key.body.key);
    expect(dry.body.channels[0]).toMatchObject({ ok: true, status: 'pending_approval', needsApproval: true });
    const viewerKey = await api('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    expect((await api('POST', '/v1/posts/validate', { text: 'no', channelIds: [channel.id], schedule: { mode: 'now' } }, viewerKey.body.key)).status).toBe(403);
  });

  it('says per channel which library media would be resized, and refuses what a network cannot take, as the create does', async () => {
    const sky = await stack.channel(apiKey, { network: 'bluesky', handle: `m${unique()}.bsky.social` });
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `w${unique()}@example.social` });
    // Wider than Bluesky's 2,000 pixels (Herald scales it down), within Mastodon's limits (sent as it is).
    const wide = await upload(stack.apiUrl, apiKey, await image('png', 2400, 120), 'wide.png', 'image/png');
    const clip = await upload(stack.apiUrl, apiKey, CLIP_MP4, 'clip.mp4', 'video/mp4');
    expect([wide.status, clip.status]).toEqual([201, 201]);
    const before = await footprint();

    const body = { text: 'wide', media: [{ mediaId: wide.body.id }], channelIds: [sky.id, mastodon.id], schedule: { mode: 'draft' } };
    const dry = await api('POST', '/v1/posts/validate', body);
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(true);
    expect(dry.body.channels.map((one: { channelId: string; media: unknown }) => [one.channelId, one.media])).toEqual([
      [sky.id, [{ index: 0, resized: true }]],
      [mastodon.id, [{ index: 0, resized: false }]],
    ]);

    // A video: Bluesky takes none here, Mastodon does.
    const video = { ...body, text: 'clip', media: [{ mediaId: clip.body.id }] };
    const refused = await api('POST', '/v1/posts/validate', video);
    expect(refused.body.ok).toBe(false);
    const [onSky, onMastodon] = refused.body.channels;
    expect(onSky.problem.status).toBe(422);
    expect(onMastodon).toMatchObject({ ok: true, media: [{ index: 0, resized: false }], problem: null });
    expect(await footprint()).toEqual(before);
    const created = await api('POST', '/v1/posts', video);
    expect(created.status).toBe(422);
    expect(created.body.detail).toBe(onSky.problem.detail);
  });
});
