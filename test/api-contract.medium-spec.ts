/**
 * The REST contract's edges: validation as problem+json (400 malformed, 422
 * unprocessable), tenancy (404 across workspaces), idempotent creates,
 * cursor pagination, API keys.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, PostsRepository, TokenCipher, tenantOf, type Channel } from '@herald/db';
import type { HeraldConfig } from '@herald/config';
import { NewPost, PostWriter } from '../apps/api/src/posts/post-writer';
import { DeliveryClaims } from '../apps/worker/src/publish/delivery-claims';
import type { OutcomeRecorder } from '../apps/worker/src/publish/outcome-recorder';
import { createHeraldClient, multipartBody } from '@herald/api-client';
import { databaseUrl } from './support/env';
import { http, sleep, waitFor } from './support/http';
import { image } from './support/media-files';
import { ApiDocument, documentedFetch } from './support/openapi';
import { ROUTES } from './support/routes';
import { InProcessStack } from './support/in-process';
import { CONNECTED_URI, redirectOf } from './support/stack';
import { NETWORKS } from '@herald/channels';

describe('REST contract', () => {
  let stack: InProcessStack;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let xChannel: { id: string };
  let blueskyChannel: { id: string };

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
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
        'x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook', 'pinterest', 'youtube', 'tiktok', 'google_business',
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
      // What the API serves is the committed document (test/openapi.e2e-spec.ts: the committed one is the controllers').
      expect(spec.body).toEqual(JSON.parse(readFileSync(join(__dirname, '../apps/api/openapi.json'), 'utf8')));
      const examples = spec.body.paths['/v1/posts'].post.requestBody.content['application/json'].examples;
      const modes = Object.values(examples as Record<string, { value: { schedule: { mode: string } } }>).map((example) => example.value.schedule.mode);
      expect(new Set(modes)).toEqual(new Set(['at', 'queue', 'next', 'now', 'draft']));
      expect(spec.body.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
      expect(spec.body.paths['/v1/posts'].post.responses['422'].content['application/problem+json']).toBeDefined();
      const ui = await http('GET', `${stack.apiUrl}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.body).toContain('swagger');
    });
  });

  describe('the OpenAPI document tells the truth', () => {
    const document = new ApiDocument();
    /** Each operation, and the statuses it was seen to answer (every answer checked against the document on the way). */
    const seen = new Map<string, Set<number>>();
    const herald = (headers: Record<string, string>, csrfToken?: string) =>
      createHeraldClient({ baseUrl: stack.apiUrl, headers, fetch: documentedFetch(document, seen), ...(csrfToken ? { csrfToken: () => csrfToken } : {}) });

    it('answers 401 without credentials exactly where the document says credentials are needed, each answer as declared', async () => {
      const check = documentedFetch(document, seen);
      const refused: string[] = [];
      const documented: string[] = [];
      for (const { method, path, operation } of document.operations) {
        const url = path.replace('{id}', randomUUID()).replace('{state}', 'no-such-state').replace('{name}', 'publish').replace('{file}', 'original');
        const body = ['post', 'put', 'patch'].includes(method) ? '{}' : undefined;
        const response = await check(
          new Request(`${stack.apiUrl}${url}`, { method: method.toUpperCase(), headers: body ? { 'content-type': 'application/json' } : {}, body, redirect: 'manual' }),
        );
        if (response.status === 401) refused.push(`${method.toUpperCase()} ${path}`);
        if ((operation.security as unknown[]).length > 0) documented.push(`${method.toUpperCase()} ${path}`);
      }
      expect(refused).toEqual(documented);
      expect(documented.length).toBeGreaterThan(40);
    });

    it('answers every main route as its declared schema says, errors included, through the generated client', async () => {
      const admin = herald({ authorization: `Bearer ${stack.adminToken}` });
      const workspace = await admin.POST('/v1/workspaces', { body: { name: 'documented' } });
      expect(workspace.response.status).toBe(201);
      const api = herald({ authorization: `Bearer ${workspace.data!.apiKey}` });
      expect((await api.GET('/v1/networks')).data!.data).toHaveLength(NETWORKS.length);

      // Channels: connected with a token (201), again (200); read, changed, refused.
      const instanceUrl = stack.networkUrl('mastodon');
      const token = async () => (await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'mastodon', handle: 'documented', instanceUrl } })).body.accessToken as string;
      const postingSchedule = { slots: [{ day: 'mon' as const, time: '09:00' }, { day: 'wed' as const, time: '12:30' }] };
      const created = await api.POST('/v1/channels', { body: { network: 'mastodon', instanceUrl, accessToken: await token(), timezone: 'Europe/Berlin', postingSchedule, postDefaults: { visibility: 'unlisted' } } });
      expect(created.response.status).toBe(201);
      const channel = created.data!;
      expect((await api.POST('/v1/channels', { body: { network: 'mastodon', instanceUrl, accessToken: await token() } })).response.status).toBe(200);
      const bluesky = await api.POST('/v1/channels', { body: { network: 'bluesky', handle: 'documented.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } });
      expect(bluesky.response.status).toBe(201);
      const page = await api.GET('/v1/channels', { params: { query: { limit: 1 } } });
      expect(page.data!.nextCursor).toEqual(expect.any(String));
      const byId = { params: { path: { id: channel.id } } };
      expect((await api.GET('/v1/channels/{id}', byId)).data!.host).toBe(instanceUrl);
      expect((await api.PATCH('/v1/channels/{id}', { ...byId, body: { staleAfterSeconds: 3600 } })).data!.staleAfterSeconds).toBe(3600);
      expect((await api.PATCH('/v1/channels/{id}', { ...byId, body: { timezone: 'Mars/Olympus' } })).error!.status).toBe(422);
      expect((await api.GET('/v1/channels/{id}', { params: { path: { id: randomUUID() } } })).error!.status).toBe(404);

      // Its name and avatar as the network shows them; saved groups of channels.
      expect((await api.GET('/v1/channels/{id}/avatar', { ...byId, parseAs: 'blob' })).response.headers.get('content-type')).toBe('image/webp');
      expect((await api.GET('/v1/channels/{id}/avatar', { params: { path: { id: randomUUID() } }, parseAs: 'blob' })).error).toBeDefined();
      expect((await api.POST('/v1/channels/{id}/profile/refresh', byId)).data!.displayName).toBe('Documented');
      const group = await api.POST('/v1/channel-groups', { body: { name: 'Documented', channelIds: [channel.id] } });
      expect(group.response.status).toBe(201);
      expect((await api.POST('/v1/channel-groups', { body: { name: 'documented', channelIds: [] } })).error!.status).toBe(409);
      const groupId = { params: { path: { id: group.data!.id } } };
      expect((await api.PATCH('/v1/channel-groups/{id}', { ...groupId, body: { channelIds: [channel.id, bluesky.data!.id] } })).data!.channelIds).toHaveLength(2);
      expect((await api.GET('/v1/channel-groups')).data!.data.map((entry) => entry.name)).toEqual(['Documented']);
      expect((await api.DELETE('/v1/channel-groups/{id}', groupId)).response.status).toBe(204);

      // Recurring series and tags.
      const rule = { rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0', timezone: 'Europe/Berlin' };
      expect((await api.POST('/v1/series/preview', { body: rule })).data!.nextOccurrences).toHaveLength(10);
      const series = await api.POST('/v1/series', { body: { text: 'Documented series', channelIds: [channel.id], ...rule, startAt: '2027-03-01T00:00:00+01:00', count: 3 } });
      expect(series.response.status).toBe(201);
      expect((await api.POST('/v1/series', { body: { text: 'x', channelIds: [channel.id], ...rule, rule: 'FREQ=NEVER' } })).error!.status).toBe(422);
      const seriesId = { params: { path: { id: series.data!.id } } };
      expect((await api.GET('/v1/series/{id}', seriesId)).data!.rule).toBe(rule.rule);
      expect((await api.GET('/v1/series')).data!.data.map((entry) => entry.id)).toContain(series.data!.id);
      expect((await api.PATCH('/v1/series/{id}', { ...seriesId, body: { text: 'Documented series, edited' } })).data!.text).toBe('Documented series, edited');
      expect((await api.POST('/v1/series/{id}/pause', seriesId)).data!.status).toBe('paused');
      expect((await api.POST('/v1/series/{id}/resume', seriesId)).data!.status).toBe('active');
      expect((await api.DELETE('/v1/series/{id}', seriesId)).response.status).toBe(204);
      expect((await api.GET('/v1/series/{id}', seriesId)).error!.status).toBe(404);
      const tag = await api.POST('/v1/tags', { body: { name: 'Documented', colour: '#336699' } });
      expect(tag.response.status).toBe(201);
      expect((await api.POST('/v1/tags', { body: { name: 'documented', colour: '#336699' } })).error!.status).toBe(409);
      const tagId = { params: { path: { id: tag.data!.id! } } };
      expect((await api.PATCH('/v1/tags/{id}', { ...tagId, body: { colour: '#000000' } })).data!.colour).toBe('#000000');
      expect((await api.GET('/v1/tags')).data!.data.map((entry) => entry.name)).toContain('documented');
      expect((await api.DELETE('/v1/tags/{id}', tagId)).response.status).toBe(204);

      // Its slot queue.
      for (const text of ['first in line', 'second in line']) {
        expect((await api.POST('/v1/posts', { body: { text, channelIds: [channel.id], schedule: { mode: 'queue' } } })).response.status).toBe(201);
      }
      const queue = (await api.GET('/v1/channels/{id}/queue', byId)).data!.data;
      expect(queue.map((entry) => entry.position)).toEqual([1, 2]);
      const reordered = await api.POST('/v1/channels/{id}/queue/reorder', { ...byId, body: { deliveryIds: queue.map((entry) => entry.deliveryId).reverse() } });
      expect(reordered.data!.data[0]!.text).toBe('second in line');
      expect((await api.POST('/v1/channels/{id}/queue/reorder', { ...byId, body: { deliveryIds: [] } })).error!.status).toBe(422);
      expect((await api.POST('/v1/channels/{id}/queue/shuffle', byId)).data!.data).toHaveLength(2);

      // Media: uploaded (201), the same bytes again (200), read, downloaded.
      const png = new Blob([new Uint8Array(await image('png', 400, 300))], { type: 'image/png' });
      const uploaded = await api.POST('/v1/media', { body: { file: png }, bodySerializer: multipartBody });
      expect(uploaded.response.status).toBe(201);
      expect((await api.POST('/v1/media', { body: { file: png }, bodySerializer: multipartBody })).response.status).toBe(200);
      const media = uploaded.data!;
      const mediaId = { params: { path: { id: media.id } } };
      expect((await api.GET('/v1/media/{id}', mediaId)).data!.networks!.x!.accepted).toBe(true);
      expect((await api.GET('/v1/media', {})).data!.data.map((item) => item.id)).toContain(media.id);
      expect((await api.GET('/v1/media/{id}/file', { ...mediaId, parseAs: 'blob' })).data!.size).toBe(png.size);
      expect((await api.GET('/v1/media/{id}/thumbnail', { ...mediaId, parseAs: 'blob' })).response.headers.get('content-type')).toBe('image/webp');
      expect((await api.GET('/v1/media/{id}/file', { ...mediaId, parseAs: 'blob', headers: { Range: 'bytes=0-9' } })).response.status).toBe(206);

      // Posts: created with the media, read, listed, edited, cancelled; refused in each way.
      const at = new Date(Date.now() + 86_400_000).toISOString();
      const post = await api.POST('/v1/posts', { body: { text: 'With a picture', channelIds: [channel.id, bluesky.data!.id], media: [{ mediaId: media.id, alt: 'A gradient' }], schedule: { mode: 'at', at } } });
      expect(post.response.status).toBe(201);
      const postId = { params: { path: { id: post.data!.id } } };
      expect((await api.GET('/v1/posts/{id}', postId)).data!.deliveries.map((delivery) => delivery.attempts)).toEqual([[], []]);
      expect((await api.GET('/v1/posts', { params: { query: { limit: 2, status: 'scheduled' } } })).data!.data).toHaveLength(2);
      expect((await api.DELETE('/v1/media/{id}', mediaId)).error!.status).toBe(409);
      expect((await api.PATCH('/v1/posts/{id}', { ...postId, body: { text: 'With a picture, edited' } })).data!.text).toBe('With a picture, edited');
      expect((await api.POST('/v1/posts/{id}/retry', postId)).error!.status).toBe(409);
      expect((await api.POST('/v1/posts/{id}/unpublish', { ...postId, body: {} })).error!.status).toBe(409);
      expect((await api.POST('/v1/posts', { body: { text: 'x'.repeat(501), channelIds: [channel.id], schedule: { mode: 'now' } } })).error!.errors).toHaveLength(1);
      expect((await api.POST('/v1/posts', { body: { text: 'no schedule', channelIds: [channel.id] } as never })).error!.status).toBe(400);
      expect((await api.GET('/v1/posts/{id}', { params: { path: { id: randomUUID() } } })).error!.status).toBe(404);
      const month = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 30 * 86_400_000).toISOString() };
      expect((await api.GET('/v1/calendar', { params: { query: month } })).data!.truncated).toBe(false);
      expect((await api.GET('/v1/calendar', { params: { query: { from: '2027-01-01', to: '2027-06-01' } } })).error!.status).toBe(422);
      const bulk = await api.POST('/v1/posts/bulk', { body: { posts: [{ text: 'bulk one', channelIds: [channel.id], schedule: { mode: 'draft' } }, { text: 'bulk two', channelIds: [channel.id] } as never] } });
      expect(bulk.data!.data.map((item) => item.status)).toEqual([201, 400]);
      // The dry run: an accepted post and a refused one, each answered as its schema says, nothing written.
      const dryOk = await api.POST('/v1/posts/validate', { body: { text: 'checked', channelIds: [channel.id], schedule: { mode: 'at', at } } });
      expect(dryOk.data!.channels[0]!.scheduledAt).toBe(at);
      const dryRefused = await api.POST('/v1/posts/validate', { body: { text: 'x'.repeat(501), channelIds: [channel.id, randomUUID()], schedule: { mode: 'now' } } });
      expect(dryRefused.data!.channels.map((one) => one.problem?.status)).toEqual([422, 404]);
      expect((await api.POST('/v1/posts/validate', { body: { text: 'late', channelIds: [channel.id], schedule: { mode: 'at', at: '2020-01-01T00:00:00Z' } } })).data!.problem!.status).toBe(422);
      // A CSV import (a dry run; a file without the needed header refused) and a feed (one that cannot be reached: its poll fails).
      const asCsv = { bodySerializer: (body: unknown) => body as string, headers: { 'content-type': 'text/csv' } };
      const imported = await api.POST('/v1/posts/import', { body: `text,channels\nimported,${channel.id}\n` as never, ...asCsv });
      expect(imported.data!.summary).toEqual(expect.objectContaining({ rows: 1, ok: 1, committed: false }));
      expect((await api.POST('/v1/posts/import', { body: 'no header' as never, ...asCsv })).error!.status).toBe(400);
      const feed = await api.POST('/v1/feeds', { body: { url: 'https://feeds.example.com/documented.xml', channelIds: [channel.id], mode: 'draft' } });
      expect(feed.response.status).toBe(201);
      const feedId = { params: { path: { id: feed.data!.id } } };
      expect((await api.GET('/v1/feeds', {})).data!.data.map((item) => item.id)).toEqual([feed.data!.id]);
      expect((await api.PATCH('/v1/feeds/{id}', { ...feedId, body: { status: 'paused' } })).data!.status).toBe('paused');
      expect((await api.POST('/v1/feeds/{id}/poll', feedId)).data!.outcome).toBe('failed');
      expect((await api.GET('/v1/feeds/{id}', feedId)).data!.lastError).toEqual(expect.any(String));
      expect((await api.POST('/v1/feeds', { body: { url: 'http://10.0.0.1/feed.xml', channelIds: [channel.id], mode: 'draft' } })).error!.status).toBe(422);
      expect((await api.DELETE('/v1/feeds/{id}', feedId)).response.status).toBe(204);
      // Analytics (each answer checked against its schema by the documented fetch): the sums, top posts, best times, a post's metrics, a refresh.
      expect(((await api.GET('/v1/analytics', { params: { query: { groupBy: 'day', timezone: 'UTC' } } })).data as { totals: unknown }).totals).toEqual(expect.objectContaining({ deliveries: expect.any(Number) }));
      expect(((await api.GET('/v1/analytics/top', { params: { query: { metric: 'likes', limit: 2 } } })).data as { data: unknown }).data).toEqual(expect.any(Array));
      expect(((await api.GET('/v1/analytics/best-times', {})).data as { best: unknown }).best).toEqual(expect.any(Array));
      // A daily account reading (as the worker would record it): the channel's followers, answered as the schema says.
      await stack.db.query(`INSERT INTO account_snapshots (workspace_id, channel_id, followers, following, posts, extra) SELECT workspace_id, id, 42, NULL, 7, '{"listed_count": 1}' FROM channels WHERE id = $1`, [channel.id]);
      expect(((await api.GET('/v1/analytics/accounts', { params: { query: { channelId: channel.id } } })).data as { channels: unknown }).channels).toEqual([expect.objectContaining({ channelId: channel.id, followersChange: 0 })]);
      expect(((await api.GET('/v1/posts/{id}/metrics', postId)).data as { deliveries: unknown }).deliveries).toEqual(expect.any(Array));
      expect([202, 409]).toContain((await api.POST('/v1/posts/{id}/metrics/refresh', postId)).response.status);
      expect((await api.DELETE('/v1/posts/{id}', postId)).data!.status).toBe('cancelled');
      expect((await api.DELETE('/v1/media/{id}', mediaId)).response.status).toBe(204);
      // A delivery that failed (as a worker would record it), retried.
      const failing = (await api.POST('/v1/posts', { body: { text: 'to fail', channelIds: [channel.id], schedule: { mode: 'at', at } } })).data!;
      await stack.db.query(`UPDATE deliveries SET status = 'failed' WHERE post_id = $1`, [failing.id]);
      expect((await api.POST('/v1/posts/{id}/retry', { params: { path: { id: failing.id } } })).data!.deliveries[0]!.status).toBe('scheduled');
      // A published one (as a worker would record it), unpublished: what happens on its channel, answered as the schema says.
      const out = (await api.POST('/v1/posts', { body: { text: 'to take down', channelIds: [channel.id], schedule: { mode: 'at', at } } })).data!;
      await stack.db.query(`UPDATE deliveries SET status = 'published', published_at = now(), external_id = '1' WHERE post_id = $1`, [out.id]);
      expect((await api.POST('/v1/posts/{id}/unpublish', { params: { path: { id: out.id } }, body: { channelIds: [channel.id] } })).data!.unpublish).toEqual([
        { channelId: channel.id, network: channel.network, result: 'deleting', reason: null },
      ]);
      expect((await api.DELETE('/v1/channels/{id}', { params: { path: { id: bluesky.data!.id } } })).response.status).toBe(204);

      // The workspace, and the origins its connect flows may send the browser back to.
      expect((await api.PATCH('/v1/workspace', { body: { allowedRedirectOrigins: [new URL(CONNECTED_URI).origin] } })).data!.allowedRedirectOrigins).toEqual([new URL(CONNECTED_URI).origin]);
      expect((await api.GET('/v1/workspace', {})).data!.webAppOrigin).toBe(new URL(stack.apiUrl).origin);

      // Webhooks and API keys.
      const hook = await api.POST('/v1/webhooks', { body: { url: 'https://hooks.example.com/documented', events: ['post.published'] } });
      expect(hook.data!.secret).toMatch(/^whsec_/);
      const hookId = { params: { path: { id: hook.data!.id } } };
      expect((await api.GET('/v1/webhooks', {})).data!.data).toHaveLength(1);
      expect((await api.GET('/v1/webhooks/{id}', hookId)).data!.events).toEqual(['post.published']);
      expect((await api.GET('/v1/webhooks/{id}/deliveries', hookId)).data!.data).toEqual([]);
      expect((await api.DELETE('/v1/webhooks/{id}', hookId)).response.status).toBe(204);
      const key = await api.POST('/v1/api-keys', { body: { name: 'documented' } });
      expect((await api.GET('/v1/api-keys', {})).data!.data.map((item) => item.id)).toContain(key.data!.id);
      expect((await api.DELETE('/v1/api-keys/{id}', { params: { path: { id: key.data!.id } } })).response.status).toBe(204);

      // Connecting through the network's OAuth flow: started, consented at the mock, called back (302).
      const started = await api.POST('/v1/channels/connect', { body: { network: 'x', redirectUri: CONNECTED_URI } });
      expect(started.response.status).toBe(201);
      const authorize = new URL(started.data!.authorizeUrl);
      authorize.searchParams.set('login_hint', 'documented_x');
      const callback = await redirectOf(authorize.toString());
      const landed = await documentedFetch(document, seen)(new Request(callback, { redirect: 'manual' }));
      expect(new URL(landed.headers.get('location')!).searchParams.get('channelId')).toEqual(expect.any(String));
      expect((await api.GET('/v1/channels/connect/{state}/accounts', { params: { path: { state: started.data!.state } } })).error!.status).toBe(404);

      // A person: signed up (the installation's first), signed in, refused without the CSRF token.
      const people = herald({});
      const signedUp = await people.POST('/v1/auth/sign-up', { body: { email: 'documented@example.com', password: 'a long enough password', name: 'Ada' } });
      expect(signedUp.response.status).toBe(201);
      const cookie = (response: Response) => response.headers.getSetCookie()[0]!.split(';')[0]!;
      const person = herald({ cookie: cookie(signedUp.response) }, signedUp.data!.csrfToken);
      expect((await person.GET('/v1/auth/me')).data!.memberships[0]!.role).toBe('owner');
      expect((await person.GET('/v1/posts', {})).data!.data).toEqual([]);
      expect((await herald({ cookie: cookie(signedUp.response) }).POST('/v1/api-keys', { body: { name: 'no csrf' } })).error!.status).toBe(403);
      expect((await person.POST('/v1/api-keys', { body: { name: 'with csrf' } })).response.status).toBe(201);
      expect((await people.POST('/v1/auth/sign-in', { body: { email: 'documented@example.com', password: 'a wrong password' } })).error!.status).toBe(401);
      const again = await people.POST('/v1/auth/sign-in', { body: { email: 'documented@example.com', password: 'a long enough password' } });
      expect(again.response.status).toBe(200);
      const second = herald({ cookie: cookie(again.response) }, again.data!.csrfToken);
      expect((await person.POST('/v1/auth/password', { body: { currentPassword: 'not it', newPassword: 'another long password' } })).error!.status).toBe(403);
      expect((await person.POST('/v1/auth/password', { body: { currentPassword: 'a long enough password', newPassword: 'another long password' } })).response.status).toBe(204);
      expect((await second.GET('/v1/auth/me')).error!.status).toBe(401);
      expect((await person.POST('/v1/auth/sign-out-everywhere')).response.status).toBe(204);
      const third = await people.POST('/v1/auth/sign-in', { body: { email: 'documented@example.com', password: 'another long password' } });
      expect((await herald({ cookie: cookie(third.response) }, third.data!.csrfToken).POST('/v1/auth/sign-out')).response.status).toBe(204);

      // Members and invitations, approvals, the audit log, a password reset.
      const ownerIn = await people.POST('/v1/auth/sign-in', { body: { email: 'documented@example.com', password: 'another long password' } });
      const owner = herald({ cookie: cookie(ownerIn.response) }, ownerIn.data!.csrfToken);
      const invited = await owner.POST('/v1/invitations', { body: { email: 'grace@example.com', role: 'contributor' } });
      expect(invited.response.status).toBe(201);
      expect((await owner.GET('/v1/invitations', {})).data!.data.map((item) => item.id)).toEqual([invited.data!.id]);
      const byToken = { params: { path: { token: invited.data!.token } } };
      expect((await people.GET('/v1/invitations/preview/{token}', byToken)).data!.role).toBe('contributor');
      expect((await people.GET('/v1/invitations/preview/{token}', { params: { path: { token: 'x'.repeat(43) } } })).error!.status).toBe(404);
      const joined = await people.POST('/v1/invitations/accept', { body: { token: invited.data!.token, name: 'Grace', password: 'a long enough password' } });
      expect(joined.response.status).toBe(200);
      expect((await people.POST('/v1/invitations/accept', { body: { token: invited.data!.token, password: 'a long enough password' } })).error!.status).toBe(410);
      const grace = herald({ cookie: cookie(joined.response) }, joined.data!.csrfToken);
      const sky = (await owner.POST('/v1/channels', { body: { network: 'bluesky', handle: 'approvals.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } })).data!;
      const [yes, no] = [
        await grace.POST('/v1/posts', { body: { text: 'for approval', channelIds: [sky.id], schedule: { mode: 'at', at } } }),
        await grace.POST('/v1/posts', { body: { text: 'for rejection', channelIds: [sky.id], schedule: { mode: 'at', at } } }),
      ];
      expect([yes.data!.status, no.data!.status]).toEqual(['pending_approval', 'pending_approval']);
      expect((await grace.POST('/v1/posts/{id}/approve', { params: { path: { id: yes.data!.id } } })).error!.status).toBe(403);
      expect((await owner.POST('/v1/posts/{id}/approve', { params: { path: { id: yes.data!.id } } })).data!.notice).toBeNull();
      expect((await owner.POST('/v1/posts/{id}/approve', { params: { path: { id: yes.data!.id } } })).error!.status).toBe(409);
      expect((await owner.POST('/v1/posts/{id}/reject', { params: { path: { id: no.data!.id } }, body: { note: 'Not yet' } })).data!.review!.note).toBe('Not yet');
      const graceId = { params: { path: { userId: joined.data!.user.id } } };
      expect((await owner.GET('/v1/members', {})).data!.data.map((member) => member.role)).toEqual(['owner', 'contributor']);
      expect((await owner.PATCH('/v1/members/{userId}', { ...graceId, body: { role: 'viewer' } })).data!.role).toBe('viewer');
      expect((await owner.PATCH('/v1/members/{userId}', { params: { path: { userId: ownerIn.data!.user.id } }, body: { role: 'viewer' } })).error!.status).toBe(409);
      expect((await owner.DELETE('/v1/members/{userId}', graceId)).response.status).toBe(204);
      const revoked = await owner.POST('/v1/invitations', { body: { email: 'later@example.com', role: 'viewer' } });
      expect((await owner.DELETE('/v1/invitations/{id}', { params: { path: { id: revoked.data!.id } } })).response.status).toBe(204);
      expect((await owner.GET('/v1/audit', { params: { query: { limit: 100 } } })).data!.data.map((event) => event.action)).toEqual(
        expect.arrayContaining(['invitation.created', 'invitation.accepted', 'post.approved', 'post.rejected', 'member.role_changed', 'member.removed', 'invitation.revoked']),
      );
      expect((await people.POST('/v1/auth/password-reset', { body: { email: 'documented@example.com' } })).response.status).toBe(202);
      const resetToken = await waitFor('the reset link in the log', async () => stack.log.join('\n').match(/reset-password#token=([A-Za-z0-9_-]{43})/)?.[1]);
      expect((await people.POST('/v1/auth/password-reset/confirm', { body: { token: 'x'.repeat(43), password: 'a third long password' } })).error!.status).toBe(404);
      expect((await people.POST('/v1/auth/password-reset/confirm', { body: { token: resetToken, password: 'a third long password' } })).response.status).toBe(204);
      expect((await owner.GET('/v1/auth/me')).error!.status).toBe(401);

      // The operator's routes, health and metrics.
      expect((await admin.GET('/admin/queues')).data!.queues.map((queue) => queue.name).sort()).toEqual(['publish', 'reconcile', 'unpublish', 'webhooks']);
      expect((await admin.GET('/admin/queues/{name}/jobs', { params: { path: { name: 'publish' }, query: { state: 'delayed' } } })).response.status).toBe(200);
      expect((await admin.POST('/admin/queues/{name}/jobs/{id}/retry', { params: { path: { name: 'publish', id: randomUUID() } } })).error!.status).toBe(404);
      expect((await admin.POST('/admin/queues/{name}/retry-failed', { params: { path: { name: 'webhooks' } } })).data!.retried).toBe(0);
      expect((await admin.POST('/admin/queues/{name}/pause', { params: { path: { name: 'webhooks' } } })).data!.paused).toBe(true);
      expect((await admin.POST('/admin/queues/{name}/resume', { params: { path: { name: 'webhooks' } } })).data!.paused).toBe(false);
      expect((await admin.GET('/admin/queues/{name}/jobs', { params: { path: { name: 'nope' } } })).error!.status).toBe(404);
      expect((await api.GET('/health/live')).data!.status).toBe('ok');
      expect((await api.GET('/health/ready')).data!.details.postgres!.status).toBe('up');
      expect((await admin.GET('/metrics', { parseAs: 'text' })).data).toContain('http_request_duration');

      // Every operation answered as documented with a success, but those a test stack cannot reach that way.
      const unreached = {
        listPendingAccounts: 'a flow that reaches several accounts (Facebook Pages) is needed',
        choosePendingAccount: 'the same',
        getPublicMediaFile: 'its links are signed by the worker for the networks (test/media-publish.medium-spec.ts)',
        retryQueueJob: 'a failed job is needed (test/admin.medium-spec.ts)',
        refreshPostMetrics: 'a post published by a worker is needed (test/analytics.medium-spec.ts)',
      };
      const succeeded = document.operations.map((operation) => operation.operationId).filter((id) => [...(seen.get(id) ?? [])].some((status) => status < 400));
      expect(succeeded.sort()).toEqual(document.operations.map((operation) => operation.operationId).filter((id) => !(id in unreached)).sort());
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
      expect(channel.body).toMatchObject({ network: 'mastodon', handle: `@scheduled@${new URL(instanceUrl).host}`, host: instanceUrl, status: 'active' });
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
