/**
 * The REST contract's edges: validation as problem+json (400 malformed, 422
 * unprocessable), tenancy (404 across workspaces), idempotent creates,
 * cursor pagination, API keys.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, PostsRepository, TokenCipher, tenantOf, type Channel } from '@herald/db';
import type { HeraldConfig } from '@herald/config';
import { NewPost, PostWriter } from '../apps/api/src/posts/post-writer';
import { DeliveryClaims } from '../apps/worker/src/publish/delivery-claims';
import type { OutcomeRecorder } from '../apps/worker/src/publish/outcome-recorder';
import { databaseUrl } from './support/env';
import { http, sleep } from './support/http';
import { ROUTES } from './support/routes';
import { Stack } from './support/stack';

describe('REST contract', () => {
  let stack: Stack;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let xChannel: { id: string };
  let blueskyChannel: { id: string };

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0 });
    [a, b] = await Promise.all([stack.workspace('A'), stack.workspace('B')]);
    xChannel = await stack.channel(a.apiKey, { network: 'x', handle: 'contract_x' });
    blueskyChannel = await stack.channel(a.apiKey, { network: 'bluesky', handle: 'contract.bsky.social' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const as = (key: string) => (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    http(method, `${stack.apiUrl}${path}`, { token: key, body, headers });
  const inFuture = () => new Date(Date.now() + 3_600_000).toISOString();

  function expectProblem(answer: { status: number; headers: Headers; body: any }, status: number) {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
  }

  describe('validation', () => {
    it('answers 400 for a body that is not JSON', async () => {
      const answer = await http('POST', `${stack.apiUrl}/v1/posts`, { token: a.apiKey, rawBody: '{"text": "oops",' });
      expectProblem(answer, 400);
    });

    it('answers 415 for a body that is not JSON, and 413 for one over 1 MB', async () => {
      const plain = await http('POST', `${stack.apiUrl}/v1/posts`, { token: a.apiKey, rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
      expectProblem(plain, 415);
      const huge = await http('POST', `${stack.apiUrl}/v1/posts`, { token: a.apiKey, rawBody: JSON.stringify({ text: 'a'.repeat(1_100_000) }) });
      expectProblem(huge, 413);
      expect(huge.body.requestId).toEqual(expect.any(String));
    });

    it('answers 400 listing each malformed field', async () => {
      const answer = await as(a.apiKey)('POST', '/v1/posts', { text: 42, channelIds: ['not-a-uuid'], schedule: { mode: 'someday' }, extra: 1 });
      expectProblem(answer, 400);
      const paths = answer.body.errors.map((error: { path: string }) => error.path);
      expect(paths).toEqual(expect.arrayContaining(['text', 'channelIds', 'schedule.mode', 'extra']));
    });

    it('answers 400 naming a missing field, with one message per field when its type is wrong', async () => {
      const missing = await as(a.apiKey)('POST', '/v1/posts', { text: 'no schedule', channelIds: [xChannel.id] });
      expectProblem(missing, 400);
      expect(missing.body.errors).toEqual([{ path: 'schedule', message: expect.stringMatching(/schedule/) }]);
      const bulk = await as(a.apiKey)('POST', '/v1/posts/bulk', { posts: [{ text: 'no schedule', channelIds: [xChannel.id] }] });
      expect(bulk.status).toBe(200);
      expect(bulk.body.data[0]).toEqual(expect.objectContaining({ index: 0, status: 400 }));
      expect(bulk.body.data[0].problem.errors.map((error: { path: string }) => error.path)).toEqual(['schedule']);
      const wrongTypes = await as(a.apiKey)('POST', '/v1/posts', { text: 5, schedule: 'soon' });
      expectProblem(wrongTypes, 400);
      expect(wrongTypes.body.errors).toEqual([
        { path: 'text', message: 'text must be a string' },
        { path: 'channelIds', message: 'channelIds must be an array' },
        { path: 'schedule', message: expect.stringMatching(/object/) },
      ]);
      const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE text = 'no schedule'`);
      expect(rows[0].n).toBe(0);
    });

    it('answers null in any field with a 4xx, never a 500', async () => {
      const draft = await as(a.apiKey)('POST', '/v1/posts', { text: 'nulls', channelIds: [xChannel.id], schedule: { mode: 'draft' } });
      const requests: [string, string, unknown][] = [
        ['POST', '/v1/posts', { text: 'nulls', channelIds: [xChannel.id], schedule: null }],
        ['POST', '/v1/posts', { text: null, channelIds: null, schedule: { mode: null }, media: null, variants: null }],
        ['POST', '/v1/posts/bulk', { posts: null }],
        ['POST', '/v1/posts/bulk', { posts: [null] }],
        ['PATCH', `/v1/posts/${draft.body.id}`, { text: null, schedule: null, media: null, variants: null }],
        ['POST', '/v1/channels', { network: 'x', handle: 'nulls', timezone: null, postingSchedule: null }],
        ['PATCH', `/v1/channels/${xChannel.id}`, { timezone: null, postingSchedule: null, status: null }],
        ['PATCH', `/v1/channels/${xChannel.id}`, { postingSchedule: { slots: null } }],
        ['POST', `/v1/channels/${xChannel.id}/queue/reorder`, { deliveryIds: null }],
        ['POST', '/v1/webhooks', { url: null, events: null }],
        ['POST', '/v1/api-keys', { name: null }],
      ];
      for (const [method, path, body] of requests) {
        const answer = await as(a.apiKey)(method, path, body);
        expect({ method, path, status: answer.status < 500 ? 'below 500' : answer.status }).toEqual({ method, path, status: 'below 500' });
      }
      expect((await as(a.apiKey)('GET', `/v1/posts/${draft.body.id}`)).body.text).toBe('nulls');
    });

    it('answers 422 naming the channel when the text is too long for X', async () => {
      const answer = await as(a.apiKey)('POST', '/v1/posts', {
        text: 'a'.repeat(281),
        channelIds: [xChannel.id, blueskyChannel.id],
        schedule: { mode: 'at', at: inFuture() },
      });
      expectProblem(answer, 422);
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors[0].message).toContain(xChannel.id);
      expect(answer.body.errors[0].message).toContain('281');
    });

    it('answers 422 naming the channel when the text is too long for Bluesky but fine for X (CJK weighs 2 on X)', async () => {
      const answer = await as(a.apiKey)('POST', '/v1/posts', {
        text: 'é'.repeat(301),
        channelIds: [blueskyChannel.id],
        schedule: { mode: 'at', at: inFuture() },
      });
      expectProblem(answer, 422);
      expect(answer.body.errors[0].message).toContain(blueskyChannel.id);
    });

    it('answers 422 for a time in the past, and writes nothing', async () => {
      const before = await stack.db.query('SELECT count(*)::int AS n FROM posts');
      const answer = await as(a.apiKey)('POST', '/v1/posts', {
        text: 'late',
        channelIds: [xChannel.id],
        schedule: { mode: 'at', at: '2020-01-01T09:00:00Z' },
      });
      expectProblem(answer, 422);
      expect(answer.body.errors[0].path).toBe('schedule.at');
      const after = await stack.db.query('SELECT count(*)::int AS n FROM posts');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('takes a wall-clock time in a zone and stores the instant', async () => {
      const answer = await as(a.apiKey)('POST', '/v1/posts', {
        text: 'Berlin morning',
        channelIds: [xChannel.id],
        schedule: { mode: 'at', localTime: '2099-07-01T09:00', timezone: 'Europe/Berlin' },
      });
      expect(answer.status).toBe(201);
      expect(answer.body.deliveries[0].scheduledAt).toBe('2099-07-01T07:00:00.000Z');
    });

    it('refuses an instant without an offset and an unknown zone', async () => {
      const noOffset = await as(a.apiKey)('POST', '/v1/posts', { text: 't', channelIds: [xChannel.id], schedule: { mode: 'at', at: '2099-01-01T09:00:00' } });
      expectProblem(noOffset, 400);
      const badZone = await as(a.apiKey)('POST', '/v1/posts', {
        text: 't',
        channelIds: [xChannel.id],
        schedule: { mode: 'at', localTime: '2099-01-01T09:00', timezone: 'Mars/Olympus' },
      });
      expectProblem(badZone, 422);
    });

    it('answers 404 for a path id that is not a UUID', async () => {
      expectProblem(await as(a.apiKey)('GET', '/v1/posts/123'), 404);
    });
  });

  describe('authentication and tenancy', () => {
    it('answers 401 without a key, with a wrong key, and with a revoked key', async () => {
      expectProblem(await http('GET', `${stack.apiUrl}/v1/posts`), 401);
      expectProblem(await http('GET', `${stack.apiUrl}/v1/posts`, { token: 'hrld_nope' }), 401);
      const issued = await as(a.apiKey)('POST', '/v1/api-keys', { name: 'ci' });
      expect(issued.status).toBe(201);
      expect(issued.body.key).toMatch(/^hrld_/);
      expect((await http('GET', `${stack.apiUrl}/v1/posts`, { token: issued.body.key })).status).toBe(200);
      expect((await as(a.apiKey)('DELETE', `/v1/api-keys/${issued.body.id}`)).status).toBe(204);
      expectProblem(await http('GET', `${stack.apiUrl}/v1/posts`, { token: issued.body.key }), 401);
      const stored = await stack.db.query('SELECT key_hash FROM api_keys WHERE id = $1', [issued.body.id]);
      expect(stored.rows[0].key_hash).not.toContain(issued.body.key);
    });

    it('refuses a key revoked by another API process within a second, and one revoked through this one at once', async () => {
      const issued = (await as(a.apiKey)('POST', '/v1/api-keys', { name: 'elsewhere' })).body;
      expect((await http('GET', `${stack.apiUrl}/v1/posts`, { token: issued.key })).status).toBe(200);
      // As another API process would: straight in Postgres, behind this process's back.
      await stack.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [issued.id]);
      await sleep(1100);
      expectProblem(await http('GET', `${stack.apiUrl}/v1/posts`, { token: issued.key }), 401);
      const local = (await as(a.apiKey)('POST', '/v1/api-keys', { name: 'here' })).body;
      expect((await http('GET', `${stack.apiUrl}/v1/posts`, { token: local.key })).status).toBe(200);
      expect((await as(a.apiKey)('DELETE', `/v1/api-keys/${local.id}`)).status).toBe(204);
      expectProblem(await http('GET', `${stack.apiUrl}/v1/posts`, { token: local.key }), 401);
    });

    it("answers 404 for another workspace's posts, channels and keys, by read, update and delete", async () => {
      const post = await as(a.apiKey)('POST', '/v1/posts', { text: 'mine', channelIds: [xChannel.id], schedule: { mode: 'draft' } });
      const key = await as(a.apiKey)('POST', '/v1/api-keys', { name: 'private' });
      const other = as(b.apiKey);
      expectProblem(await other('GET', `/v1/posts/${post.body.id}`), 404);
      expectProblem(await other('PATCH', `/v1/posts/${post.body.id}`, { text: 'theirs' }), 404);
      expectProblem(await other('DELETE', `/v1/posts/${post.body.id}`), 404);
      expectProblem(await other('GET', `/v1/channels/${xChannel.id}`), 404);
      expectProblem(await other('PATCH', `/v1/channels/${xChannel.id}`, { status: 'paused' }), 404);
      expectProblem(await other('DELETE', `/v1/channels/${xChannel.id}`), 404);
      expectProblem(await other('DELETE', `/v1/api-keys/${key.body.id}`), 404);
      expectProblem(await other('POST', '/v1/posts', { text: 'hijack', channelIds: [xChannel.id], schedule: { mode: 'now' } }), 404);
      expect((await other('GET', '/v1/posts')).body.data).toEqual([]);
      expect((await as(a.apiKey)('GET', `/v1/posts/${post.body.id}`)).body.text).toBe('mine');
      expect((await as(a.apiKey)('GET', `/v1/channels/${xChannel.id}`)).body.status).toBe('active');
    });

    it("answers 404 for another workspace's webhooks, queues, deliveries and retries, and leaves them untouched", async () => {
      const schedule = { slots: [{ day: 'mon', time: '09:00' }, { day: 'thu', time: '15:00' }] };
      const queued = await stack.channel(a.apiKey, { network: 'mastodon', handle: 'tenant_queue', postingSchedule: schedule });
      const post = await as(a.apiKey)('POST', '/v1/posts', { text: 'queued, mine', channelIds: [queued.id], schedule: { mode: 'queue' } });
      expect(post.status).toBe(201);
      const deliveryId = post.body.deliveries[0].id;
      const hook = await as(a.apiKey)('POST', '/v1/webhooks', { url: 'https://hooks.example.com/a', events: ['post.published'] });
      expect(hook.status).toBe(201);
      const other = as(b.apiKey);
      const theirs = await stack.channel(b.apiKey, { network: 'mastodon', handle: 'tenant_queue_b', postingSchedule: schedule });

      expectProblem(await other('GET', `/v1/webhooks/${hook.body.id}`), 404);
      expectProblem(await other('GET', `/v1/webhooks/${hook.body.id}/deliveries`), 404);
      expectProblem(await other('DELETE', `/v1/webhooks/${hook.body.id}`), 404);
      expect((await other('GET', '/v1/webhooks')).body.data).toEqual([]);
      expectProblem(await other('GET', `/v1/channels/${queued.id}/queue`), 404);
      expectProblem(await other('POST', `/v1/channels/${queued.id}/queue/reorder`, { deliveryIds: [deliveryId] }), 404);
      expectProblem(await other('POST', `/v1/channels/${queued.id}/queue/shuffle`), 404);
      expectProblem(await other('POST', `/v1/posts/${post.body.id}/retry`), 404);
      // A's delivery named in B's own queue is not B's to move.
      expectProblem(await other('POST', `/v1/channels/${theirs.id}/queue/reorder`, { deliveryIds: [deliveryId] }), 422);

      expect((await as(a.apiKey)('GET', `/v1/webhooks/${hook.body.id}`)).status).toBe(200);
      const queue = await as(a.apiKey)('GET', `/v1/channels/${queued.id}/queue`);
      expect(queue.body.data.map((item: { deliveryId: string }) => item.deliveryId)).toEqual([deliveryId]);
      const stored = await stack.db.query('SELECT channel_id, scheduled_at FROM deliveries WHERE id = $1', [deliveryId]);
      expect(stored.rows[0].channel_id).toBe(queued.id);
      expect(new Date(stored.rows[0].scheduled_at).toISOString()).toBe(post.body.deliveries[0].scheduledAt);
    });

    it('refuses workspace creation without the admin token', async () => {
      expectProblem(await http('POST', `${stack.apiUrl}/v1/workspaces`, { body: { name: 'x' } }), 401);
      expectProblem(await http('POST', `${stack.apiUrl}/v1/workspaces`, { token: a.apiKey, body: { name: 'x' } }), 401);
    });
  });

  describe('creates', () => {
    it('answers a create with exactly what a later GET shows, for one post and for a bulk item', async () => {
      const body = { text: 'same either way', channelIds: [xChannel.id, blueskyChannel.id], variants: { [blueskyChannel.id]: 'sky' }, schedule: { mode: 'at', at: inFuture() } };
      const created = await as(a.apiKey)('POST', '/v1/posts', body);
      expect(created.status).toBe(201);
      expect(created.body.deliveries).toHaveLength(2);
      expect((await as(a.apiKey)('GET', `/v1/posts/${created.body.id}`)).body).toEqual(created.body);
      const drafted = await as(a.apiKey)('POST', '/v1/posts', { ...body, schedule: { mode: 'draft' } });
      expect(drafted.body.status).toBe('draft');
      expect((await as(a.apiKey)('GET', `/v1/posts/${drafted.body.id}`)).body).toEqual(drafted.body);
      const bulk = await as(a.apiKey)('POST', '/v1/posts/bulk', { posts: [body] });
      const fetched = await as(a.apiKey)('GET', `/v1/posts/${bulk.body.data[0].id}`);
      expect(fetched.body).toEqual(expect.objectContaining({ status: 'scheduled', text: body.text, variants: body.variants }));
      expect(fetched.body.deliveries.map((delivery: { channelId: string }) => delivery.channelId).sort()).toEqual([xChannel.id, blueskyChannel.id].sort());
    });

    it("answers 404 for a channel removed after it was posted to, and for another workspace's channel, writing nothing", async () => {
      const channel = await stack.channel(a.apiKey, { network: 'mastodon', handle: `removed_${Date.now()}` });
      const body = { text: 'before removal', channelIds: [channel.id], schedule: { mode: 'at', at: inFuture() } };
      expect((await as(a.apiKey)('POST', '/v1/posts', body)).status).toBe(201);
      expect((await as(a.apiKey)('DELETE', `/v1/channels/${channel.id}`)).status).toBe(204);
      expectProblem(await as(a.apiKey)('POST', '/v1/posts', { ...body, text: 'after removal' }), 404);
      const bulk = await as(a.apiKey)('POST', '/v1/posts/bulk', { posts: [{ ...body, text: 'after removal' }] });
      expect(bulk.body.data[0]).toEqual({ index: 0, status: 404, problem: expect.objectContaining({ detail: `Channel ${channel.id} was not found` }) });
      expectProblem(await as(b.apiKey)('POST', '/v1/posts', { ...body, channelIds: [xChannel.id], text: 'after removal' }), 404);
      const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE text = 'after removal'`);
      expect(rows[0].n).toBe(0);
    });

    it('decides on fresh rows when a channel it posted to changes behind its back: disconnected 422, reconnected 201, removed 404', async () => {
      const channel = await stack.channel(a.apiKey, { network: 'x', handle: `behind_${Date.now()}` });
      const body = (text: string) => ({ text, channelIds: [channel.id.toUpperCase()], schedule: { mode: 'at', at: inFuture() } });
      expect((await as(a.apiKey)('POST', '/v1/posts', body('behind 1'))).status).toBe(201);
      // As the worker does when a network revokes the token, and as another API process would remove it.
      await stack.db.query(`UPDATE channels SET status = 'disconnected' WHERE id = $1`, [channel.id]);
      expectProblem(await as(a.apiKey)('POST', '/v1/posts', body('behind 2')), 422);
      await stack.db.query(`UPDATE channels SET status = 'active' WHERE id = $1`, [channel.id]);
      expect((await as(a.apiKey)('POST', '/v1/posts', body('behind 3'))).status).toBe(201);
      await stack.db.query(`UPDATE channels SET deleted_at = now() WHERE id = $1`, [channel.id]);
      expectProblem(await as(a.apiKey)('POST', '/v1/posts', body('behind 4')), 404);
      // Known to workspace A only: B naming it gets 404, as for any channel not its own.
      expectProblem(await as(b.apiKey)('POST', '/v1/posts', body('behind 5')), 404);
      const { rows } = await stack.db.query(`SELECT text FROM posts WHERE text LIKE 'behind %' ORDER BY text`);
      expect(rows.map((row: { text: string }) => row.text)).toEqual(['behind 1', 'behind 3']);
    });

    it('writes a post in its guarded statement only while every channel is live: removed or disconnected in between, nothing', async () => {
      const channel = await stack.channel(a.apiKey, { network: 'x', handle: `guarded_${Date.now()}` });
      const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl(stack.database) }).initialize();
      const writer = new PostWriter(new PostsRepository(dataSource));
      const insertIfChannelsLive = (posts: NewPost[]) => writer.insertIfChannelsLive(tenantOf(a.id), { kind: 'api_key', id: randomUUID() }, posts);
      const post = (text: string): NewPost => ({
        id: randomUUID(),
        content: { text, media: [], variants: {} },
        mode: 'at',
        schedule: { mode: 'at', at: new Date(Date.now() + 3_600_000).toISOString() },
        requestId: null,
        deliveries: [{ id: randomUUID(), channel: { id: channel.id, network: 'x' } as Channel, at: new Date(Date.now() + 3_600_000), status: 'scheduled' }],
      });
      expect(await insertIfChannelsLive([post('guard live')])).toHaveLength(1);
      await stack.db.query(`UPDATE channels SET status = 'disconnected' WHERE id = $1`, [channel.id]);
      expect(await insertIfChannelsLive([post('guard disconnected')])).toBeUndefined();
      await stack.db.query(`UPDATE channels SET status = 'active', deleted_at = now() WHERE id = $1`, [channel.id]);
      expect(await insertIfChannelsLive([post('guard removed')])).toBeUndefined();
      const { rows } = await stack.db.query(
        `SELECT p.text, count(d.id)::int AS deliveries FROM posts p LEFT JOIN deliveries d ON d.post_id = p.id WHERE p.text LIKE 'guard %' GROUP BY p.text`,
      );
      expect(rows).toEqual([{ text: 'guard live', deliveries: 1 }]);
      await dataSource.destroy();
    });

    it('claims a batch together, waits for a row another transaction holds instead of refusing it, and says why it cannot claim one', async () => {
      const channel = await stack.channel(a.apiKey, { network: 'x', handle: `claims_${Date.now()}` });
      const deliveryOf = async (text: string) =>
        (await as(a.apiKey)('POST', '/v1/posts', { text, channelIds: [channel.id], schedule: { mode: 'now' } })).body.deliveries[0].id as string;
      const [first, held, beside, cancelled] = [
        await deliveryOf('claim first'),
        await deliveryOf('claim held'),
        await deliveryOf('claim beside'),
        await deliveryOf('claim cancelled'),
      ];
      const { rows: [cancelledPost] } = await stack.db.query('SELECT post_id FROM deliveries WHERE id = $1', [cancelled]);
      expect((await as(a.apiKey)('DELETE', `/v1/posts/${cancelledPost.post_id}`)).status).toBe(200);
      const statuses = async () =>
        Object.fromEntries(
          (await stack.db.query('SELECT id, status, attempt_count FROM deliveries WHERE id = ANY($1::uuid[])', [[first, held, beside, cancelled]])).rows.map(
            (row: { id: string; status: string; attempt_count: number }) => [row.id, [row.status, row.attempt_count]],
          ),
        );
      const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl(stack.database) }).initialize();
      const holder = await stack.db.connect();
      let results: Promise<unknown[]> | undefined;
      try {
        const claims = new DeliveryClaims(new DeliveriesRepository(dataSource), new TokenCipher([Buffer.from(stack.encryptionKey, 'base64')]), {} as OutcomeRecorder, { lookupSettleMs: 0 } as HeraldConfig);
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM deliveries WHERE id = $1 FOR UPDATE', [held]);
        let heldAnsweredAt = 0;
        // The first is written alone; the three submitted while it is in flight go together as one batch.
        results = Promise.all(
          [first, held, beside, cancelled].map(async (id) => {
            const result = await claims.claim(id, 60_000);
            if (id === held) heldAnsweredAt = Date.now();
            return result;
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 400));
        // What the lock held back, while it stands: the held row's claim alone; its batch-mates were written around it.
        expect(await statuses()).toEqual({ [first]: ['publishing', 1], [held]: ['scheduled', 0], [beside]: ['publishing', 1], [cancelled]: ['cancelled', 0] });
        expect(heldAnsweredAt).toBe(0);
        const committingAt = Date.now();
        await holder.query('COMMIT');
        const [claimedFirst, claimedHeld, claimedBeside, refused] = await results;
        expect(claimedFirst).toEqual(expect.objectContaining({ id: first, text: 'claim first', accessToken: expect.any(String) }));
        expect(claimedHeld).toEqual(expect.objectContaining({ id: held, text: 'claim held' }));
        expect(claimedBeside).toEqual(expect.objectContaining({ id: beside, text: 'claim beside' }));
        expect(heldAnsweredAt).toBeGreaterThanOrEqual(committingAt);
        expect(refused).toEqual({ kind: 'finished', status: 'cancelled' });
        expect(await statuses()).toEqual({ [first]: ['publishing', 1], [held]: ['publishing', 1], [beside]: ['publishing', 1], [cancelled]: ['cancelled', 0] });
      } finally {
        // Failed before the commit, the lock must still go, or the claims it holds back never end.
        await holder.query('ROLLBACK');
        holder.release();
        await results?.catch(() => undefined);
        await dataSource.destroy();
      }
    });

    it('gives a channel named twice (in two letter cases) one delivery', async () => {
      const created = await as(a.apiKey)('POST', '/v1/posts', { text: 'one channel, two cases', channelIds: [xChannel.id, xChannel.id.toUpperCase()], schedule: { mode: 'draft' } });
      expect(created.status).toBe(201);
      expect(created.body.deliveries).toHaveLength(1);
    });
  });

  describe('idempotent creates', () => {
    it('returns the first post for a replayed Idempotency-Key, and refuses the key with another body', async () => {
      const key = `create-${Date.now()}`;
      const body = { text: 'once', channelIds: [xChannel.id], schedule: { mode: 'draft' } };
      const first = await as(a.apiKey)('POST', '/v1/posts', body, { 'idempotency-key': key });
      const second = await as(a.apiKey)('POST', '/v1/posts', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body.id).toBe(first.body.id);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const count = await stack.db.query('SELECT count(*)::int AS n FROM posts WHERE text = $1', ['once']);
      expect(count.rows[0].n).toBe(1);
      expectProblem(await as(a.apiKey)('POST', '/v1/posts', { ...body, text: 'twice' }, { 'idempotency-key': key }), 422);
      // Keys are per workspace.
      const otherChannel = await stack.channel(b.apiKey, { network: 'x', handle: 'other_x' });
      const elsewhere = await as(b.apiKey)('POST', '/v1/posts', { ...body, channelIds: [otherChannel.id] }, { 'idempotency-key': key });
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.body.id).not.toBe(first.body.id);
    });

    it('creates one post when the same key arrives twice at once', async () => {
      const key = `race-${Date.now()}`;
      const body = { text: 'raced', channelIds: [xChannel.id], schedule: { mode: 'draft' } };
      const answers = await Promise.all([1, 2, 3].map(() => as(a.apiKey)('POST', '/v1/posts', body, { 'idempotency-key': key })));
      const created = answers.filter((answer) => answer.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
      for (const answer of answers) expect([201, 409]).toContain(answer.status);
      const count = await stack.db.query('SELECT count(*)::int AS n FROM posts WHERE text = $1', ['raced']);
      expect(count.rows[0].n).toBe(1);
    });
  });

  describe('lists', () => {
    it('pages through posts with a cursor, newest first, without gaps or repeats', async () => {
      const { apiKey } = await stack.workspace('pages');
      const channel = await stack.channel(apiKey, { network: 'facebook', handle: 'pages' });
      const ids: string[] = [];
      for (let index = 0; index < 7; index += 1) {
        const post = await as(apiKey)('POST', '/v1/posts', { text: `p${index}`, channelIds: [channel.id], schedule: { mode: 'draft' } });
        ids.push(post.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await as(apiKey)('GET', `/v1/posts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((post: { id: string }) => post.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
      expectProblem(await as(apiKey)('GET', '/v1/posts?cursor=garbage'), 400);
      expectProblem(await as(apiKey)('GET', '/v1/posts?limit=1000'), 400);
      const drafts = await as(apiKey)('GET', `/v1/posts?status=draft&channelId=${channel.id}`);
      expect(drafts.body.data).toHaveLength(7);
    });

    it('tells the rules of every network', async () => {
      const answer = await as(a.apiKey)('GET', '/v1/networks');
      expect(answer.status).toBe(200);
      expect(answer.body.data.map((rules: { network: string }) => rules.network)).toEqual([
        'x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook',
      ]);
    });
  });

  describe('OpenAPI', () => {
    it('documents exactly the routes the API serves, with schedule examples and the problem shape', async () => {
      const spec = await http('GET', `${stack.apiUrl}/docs/openapi.json`);
      expect(spec.status).toBe(200);
      const documented = Object.entries(spec.body.paths as Record<string, Record<string, unknown>>)
        .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
        .sort();
      const served = [...ROUTES, ['GET', '/health/live'], ['GET', '/health/ready'], ['GET', '/metrics']]
        .map(([method, path]) => `${method} ${path!.replace(/:(\w+)/g, '{$1}')}`)
        .sort();
      expect(documented).toEqual(served);
      const examples = spec.body.paths['/v1/posts'].post.requestBody.content['application/json'].examples;
      const modes = Object.values(examples as Record<string, { value: { schedule: { mode: string } } }>).map((example) => example.value.schedule.mode);
      expect(new Set(modes)).toEqual(new Set(['at', 'queue', 'next', 'now', 'draft']));
      expect(spec.body.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
      expect(spec.body.paths['/v1/posts'].post.responses['4XX'].content['application/problem+json']).toBeDefined();
      const ui = await http('GET', `${stack.apiUrl}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.body).toContain('swagger');
    });
  });

  describe('channels', () => {
    it('refuses an unknown network, a bad zone and a bad schedule, and never shows the token', async () => {
      const create = as(a.apiKey);
      expectProblem(await create('POST', '/v1/channels', { network: 'myspace', handle: 'tom' }), 400);
      expectProblem(await create('POST', '/v1/channels', { network: 'x', handle: 'zoned', timezone: 'Not/AZone' }), 422);
      expectProblem(
        await create('POST', '/v1/channels', { network: 'x', handle: 'slots', postingSchedule: { slots: [{ day: 'mon', time: '25:00' }] } }),
        400,
      );
      const instanceUrl = stack.networkUrl('mastodon');
      const token = async () => (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'mastodon', handle: 'scheduled' } })).body.accessToken;
      const issued = await token();
      const channel = await create('POST', '/v1/channels', {
        network: 'mastodon',
        instanceUrl,
        accessToken: issued,
        timezone: 'America/New_York',
        postingSchedule: { slots: [{ day: 'tue', time: '09:00' }, { day: 'mon', time: '17:30' }] },
      });
      expect(channel.status).toBe(201);
      expect(channel.body).toMatchObject({ network: 'mastodon', handle: `scheduled@${new URL(instanceUrl).host}`, host: instanceUrl, status: 'active' });
      expect(channel.body.postingSchedule.slots[0]).toEqual({ day: 'mon', time: '17:30' });
      expect(JSON.stringify(channel.body)).not.toContain(issued);
      expect(JSON.stringify(channel.body)).not.toMatch(/accessToken|refreshToken/);
      // The same account again: connected again (200), the same channel with its schedule, not a second one.
      const again = await create('POST', '/v1/channels', { network: 'mastodon', instanceUrl, accessToken: await token(), timezone: 'UTC' });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(channel.body.id);
      expect(again.body.timezone).toBe('America/New_York');
      expect(again.body.postingSchedule.slots).toHaveLength(2);
    });

    it('connects only with credentials the network accepts: 422 without them or with a token it refuses, nothing written', async () => {
      const create = as(a.apiKey);
      const before = (await create('GET', '/v1/channels?limit=100')).body.data.length;
      // OAuth networks without a token: the connect flow is the way.
      const bare = await create('POST', '/v1/channels', { network: 'x', handle: 'no_token' });
      expectProblem(bare, 422);
      expect(bare.body.errors).toEqual([expect.objectContaining({ path: 'accessToken' })]);
      expectProblem(await create('POST', '/v1/channels', { network: 'x', accessToken: 'made-up-token' }), 422);
      expectProblem(await create('POST', '/v1/channels', { network: 'mastodon', accessToken: 'made-up-token' }), 422);
      expectProblem(await create('POST', '/v1/channels', { network: 'mastodon', instanceUrl: 'http://10.1.2.3', accessToken: 'made-up-token' }), 422);
      // Bluesky: a handle and an app password in the PDS's format, or no channel.
      expectProblem(await create('POST', '/v1/channels', { network: 'bluesky', handle: 'someone.bsky.social' }), 422);
      expectProblem(await create('POST', '/v1/channels', { network: 'bluesky', handle: 'someone.bsky.social', appPassword: 'the-account-password' }), 422);
      expect((await create('GET', '/v1/channels?limit=100')).body.data.length).toBe(before);
    });
  });
});
