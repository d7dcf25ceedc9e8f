/**
 * The write path's one placement core (apps/api/src/posts/placement): the
 * order in which it checks a new post (its time, its channels, each
 * channel's rules, the slots, the quotas; nothing written on a refusal), the
 * same for a single create and a bulk item; and what posts show: listed by
 * when they go out with filters and a cursor that neither skips nor
 * repeats, a post-level status that agrees with its deliveries, and every
 * change in the audit log (who, which post, never the text).
 */
import { randomUUID } from 'node:crypto';
import { tenantOf } from '@herald/db';
import { PostPlacement } from '../apps/api/src/posts/placement/post-placement';
import { PlacementRequest } from '../apps/api/src/posts/placement/placement-check';
import { HttpAnswer, http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

const MINUTE = 60_000;

describe('the placement core and what posts show', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let api: (method: string, path: string, body?: unknown) => Promise<HttpAnswer>;

  beforeAll(async () => {
    stack = await InProcessStack.start();
    ({ apiKey } = await stack.workspace('placement'));
    api = (method, path, body) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE).toISOString();
  const tooLongForX = 'x'.repeat(281);
  const postsWithText = async (prefix: string) => (await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE text LIKE $1`, [`${prefix}%`])).rows[0].n as number;

  describe('the order of checks', () => {
    it('time, then channels, then each channel\'s rules, then slots, then quotas; a refusal writes nothing', async () => {
      const x = await stack.channel(apiKey, { network: 'x', handle: unique('order'), postingSchedule: { slots: [] } });
      const missing = randomUUID();

      // The time before the channels: a past `at` to an unknown channel is the time's 422, not a 404.
      const past = await api('POST', '/v1/posts', { text: 'order past', channelIds: [missing], schedule: { mode: 'at', at: new Date(Date.now() - 3_600_000).toISOString() } });
      expect(past.status).toBe(422);
      expect(past.body.errors).toEqual([{ path: 'schedule.at', message: 'is in the past' }]);

      // The channels before their rules: too long for X, with an unknown channel beside it, is the 404.
      const unknown = await api('POST', '/v1/posts', { text: `order ${tooLongForX}`, channelIds: [x.id, missing], schedule: { mode: 'draft' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toContain(missing);

      // The rules before the slots: too long for a channel with no posting schedule, asked for its queue, is the content's 422.
      const content = await api('POST', '/v1/posts', { text: `order ${tooLongForX}`, channelIds: [x.id], schedule: { mode: 'queue' } });
      expect(content.status).toBe(422);
      expect(content.body.detail).toContain(`channel ${x.id} (x`);
      expect(content.body.detail).not.toMatch(/posting schedule/);

      // The slots before the quotas: X takes 100 posts in 15 minutes; with the window full, a queue post
      // to the channel (which has no schedule) is refused for its missing slots, an `at` one for the quota.
      const start = Date.now() + 60 * MINUTE;
      const posts = Array.from({ length: 100 }, (_, index) => ({ text: `order fill ${index}`, channelIds: [x.id], schedule: { mode: 'at', at: new Date(start + index * 1000).toISOString() } }));
      expect((await api('POST', '/v1/posts/bulk', { posts })).body).toEqual(expect.objectContaining({ created: 100, failed: 0 }));
      const queued = await api('POST', '/v1/posts', { text: 'order queued', channelIds: [x.id], schedule: { mode: 'queue' } });
      expect(queued.status).toBe(422);
      expect(queued.body.detail).toMatch(/has no posting schedule/);
      const over = await api('POST', '/v1/posts', { text: 'order over', channelIds: [x.id], schedule: { mode: 'at', at: new Date(start + 200_000).toISOString() } });
      expect(over.status).toBe(422);
      expect(over.body.title).toBe('Posting quota exceeded');

      // A bulk item goes through the same core, so the same order.
      const bulk = await api('POST', '/v1/posts/bulk', {
        posts: [
          { text: 'order bulk past', channelIds: [missing], schedule: { mode: 'at', at: new Date(Date.now() - 3_600_000).toISOString() } },
          { text: `order bulk ${tooLongForX}`, channelIds: [x.id, missing], schedule: { mode: 'draft' } },
          { text: `order bulk ${tooLongForX}`, channelIds: [x.id], schedule: { mode: 'queue' } },
          { text: 'order bulk queued', channelIds: [x.id], schedule: { mode: 'queue' } },
          { text: 'order bulk over', channelIds: [x.id], schedule: { mode: 'at', at: new Date(start + 200_000).toISOString() } },
        ],
      });
      expect(bulk.status).toBe(200);
      const items = bulk.body.data as { status: number; problem: { title: string; detail: string; errors?: unknown[] } }[];
      expect(items.map((item) => item.status)).toEqual([422, 404, 422, 422, 422]);
      expect(items[0]!.problem.errors).toEqual([{ path: 'schedule.at', message: 'is in the past' }]);
      expect(items[2]!.problem.detail).toContain(`channel ${x.id} (x`);
      expect(items[3]!.problem.detail).toMatch(/has no posting schedule/);
      expect(items[4]!.problem.title).toBe('Posting quota exceeded');

      // Of all that, only the 100 that filled the window were written.
      expect(await postsWithText('order ')).toBe(100);
    });
  });

  describe('the list', () => {
    it('lists posts by when they go out (latest first), drafts after them newest first, page by page without gaps or repeats, with filters', async () => {
      const { apiKey: key } = await stack.workspace('listing');
      const as = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: key, body });
      const a = await stack.channel(key, { network: 'x', handle: unique('list_a') });
      const b = await stack.channel(key, { network: 'mastodon', handle: unique('list_b') });
      // Created in an order unlike their times: minutes ahead, shuffled, some to both channels, some at the same time.
      const minutes = [300, 120, 900, 60, 600, 120, 480, 30, 720, 240, 120, 840];
      const timed: { id: string; at: number; channels: string[] }[] = [];
      for (const [index, minute] of minutes.entries()) {
        const channels = index % 3 === 0 ? [a.id, b.id] : index % 3 === 1 ? [a.id] : [b.id];
        const at = new Date(Date.now() + minute * MINUTE);
        at.setUTCSeconds(0, 0);
        const created = await as('POST', '/v1/posts', { text: `timed ${index}`, channelIds: channels, schedule: { mode: 'at', at: at.toISOString() } });
        expect(created.status).toBe(201);
        timed.push({ id: created.body.id, at: at.getTime(), channels });
      }
      const drafts: string[] = [];
      for (let index = 0; index < 5; index += 1) drafts.push((await as('POST', '/v1/posts', { text: `draft ${index}`, channelIds: [a.id], schedule: { mode: 'draft' } })).body.id);

      // Ties in time: the later created first (the order a cursor resumes in).
      const byTime = timed
        .map((post, index) => ({ ...post, index }))
        .sort((x, y) => y.at - x.at || y.index - x.index)
        .map((post) => post.id);
      const expected = [...byTime, ...[...drafts].reverse()];

      const walk = async (query: string, limit: number) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: HttpAnswer = await as('GET', `/v1/posts?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
          expect(page.status).toBe(200);
          seen.push(...page.body.data.map((post: { id: string }) => post.id));
          cursor = page.body.nextCursor;
          pages += 1;
        } while (cursor && pages < 100);
        return seen;
      };
      for (const limit of [1, 4, 5, 100]) expect(await walk('', limit)).toEqual(expected);

      // Filters keep the order and page alike.
      expect(await walk('&status=draft', 2)).toEqual([...drafts].reverse());
      expect(await walk('&status=scheduled', 3)).toEqual(byTime);
      const onB = timed.filter((post) => post.channels.includes(b.id)).map((post) => post.id);
      expect(await walk(`&channelId=${b.id}`, 2)).toEqual(byTime.filter((id) => onB.includes(id)));
      const from = Date.now() + 100 * MINUTE;
      const to = Date.now() + 610 * MINUTE;
      const inRange = timed.filter((post) => post.at >= from && post.at < to).map((post) => post.id);
      expect(inRange.length).toBeGreaterThan(3);
      const ranged = await walk(`&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, 2);
      expect(ranged).toEqual(byTime.filter((id) => inRange.includes(id)));
      const rangedOnA = await walk(`&channelId=${a.id}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, 2);
      expect(rangedOnA).toEqual(byTime.filter((id) => inRange.includes(id) && timed.find((post) => post.id === id)!.channels.includes(a.id)));

      // Moved later by an edit, a post moves up the list (the time is kept with the post as its delivery's changes).
      const moved = byTime[byTime.length - 1]!;
      expect((await as('PATCH', `/v1/posts/${moved}`, { schedule: { mode: 'at', at: inMinutes(2000) } })).status).toBe(200);
      byTime.splice(byTime.length - 1, 1);
      byTime.unshift(moved);
      expected.splice(0, expected.length, ...byTime, ...[...drafts].reverse());
      expect(await walk('', 4)).toEqual(expected);

      // A post cancelled keeps its place by time; a cursor this API did not make is a 400.
      expect((await as('DELETE', `/v1/posts/${byTime[3]}`)).status).toBe(200);
      expect(await walk('', 4)).toEqual(expected);
      expect((await as('GET', `/v1/posts?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'nope'])).toString('base64url')}`)).status).toBe(400);
    });
  });

  describe('the post status', () => {
    it('says "publishing" while the post is out on one channel and still scheduled on another, not "scheduled"', async () => {
      const out = await stack.channel(apiKey, { network: 'x', handle: unique('out') });
      const waits = await stack.channel(apiKey, { network: 'facebook', handle: unique('waits') });
      // Facebook answers this account 429 with an hour's Retry-After: its delivery waits, scheduled.
      const fault = await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'facebook', handle: waits.handle, status: 429, retryAfter: 3600 } });
      expect(fault.status).toBeLessThan(300);
      try {
        const created = await api('POST', '/v1/posts', { text: 'half out', channelIds: [out.id, waits.id], schedule: { mode: 'now' } });
        expect(created.status).toBe(201);
        const post = await waitFor('one delivery published, the other waiting', async () => {
          const answer = (await api('GET', `/v1/posts/${created.body.id}`)).body;
          const byChannel = new Map(answer.deliveries.map((delivery: { channelId: string }) => [delivery.channelId, delivery]));
          const published = byChannel.get(out.id) as { status: string } | undefined;
          const waiting = byChannel.get(waits.id) as { status: string; waitingFor: { reason: string } | null } | undefined;
          return published?.status === 'published' && waiting?.status === 'scheduled' && waiting.waitingFor?.reason === 'rate_limited' ? answer : undefined;
        }, { timeoutMs: 30_000 });
        expect(post.status).toBe('publishing');
        const stored = await stack.db.query(`SELECT status FROM posts WHERE id = $1`, [post.id]);
        expect(stored.rows[0].status).toBe('publishing');
        const listed = async (status: string) => (await api('GET', `/v1/posts?status=${status}&channelId=${waits.id}`)).body.data.map((item: { id: string }) => item.id);
        expect(await listed('publishing')).toContain(post.id);
        expect(await listed('scheduled')).not.toContain(post.id);
        // Its waiting delivery cancelled: what went out is all there is, published.
        const cancelled = await api('DELETE', `/v1/posts/${post.id}`);
        expect(cancelled.body.status).toBe('published');
      } finally {
        await http('DELETE', `${stack.mockUrl}/_mock/faults`);
      }
    });
  });

  describe('the audit log', () => {
    it('records every change of a post with who made it and which post, never its text', async () => {
      const { id: workspaceId, apiKey: key } = await stack.workspace('audited');
      const as = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: key, body });
      const channel = await stack.channel(key, { network: 'mastodon', handle: unique('audited'), postingSchedule: { slots: [{ day: 'mon', time: '09:00' }, { day: 'thu', time: '15:00' }] } });
      const secret = `secret words ${randomUUID()}`;
      const created = await as('POST', '/v1/posts', { text: secret, channelIds: [channel.id], schedule: { mode: 'at', at: inMinutes(120) } });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await as('PATCH', `/v1/posts/${id}`, { text: `${secret} edited` })).status).toBe(200);
      expect((await as('PATCH', `/v1/posts/${id}`, { schedule: { mode: 'queue' } })).status).toBe(200);
      expect((await as('PATCH', `/v1/posts/${id}`, { text: `${secret} again`, schedule: { mode: 'at', at: inMinutes(180) } })).status).toBe(200);
      expect((await as('DELETE', `/v1/posts/${id}`)).status).toBe(200);
      // Refused changes are not recorded.
      expect((await as('PATCH', `/v1/posts/${id}`, { text: 'too late' })).status).toBe(409);

      // A failed delivery (as the worker leaves one the network refused), retried.
      const failing = await as('POST', '/v1/posts', { text: `${secret} failing`, channelIds: [channel.id], schedule: { mode: 'at', at: inMinutes(240) } });
      await stack.db.query(`UPDATE deliveries SET status = 'failed', due_at = NULL, last_error_code = 'rejected' WHERE post_id = $1`, [failing.body.id]);
      await stack.db.query(`UPDATE posts SET status = 'failed' WHERE id = $1`, [failing.body.id]);
      expect((await as('POST', `/v1/posts/${failing.body.id}/retry`)).status).toBe(200);
      // Bulk creations are recorded one by one.
      const bulk = await as('POST', '/v1/posts/bulk', { posts: [1, 2, 3].map((n) => ({ text: `${secret} bulk ${n}`, channelIds: [channel.id], schedule: { mode: 'draft' } })) });
      expect(bulk.body.created).toBe(3);

      const audit = await as('GET', '/v1/audit?limit=100');
      expect(audit.status).toBe(200);
      const events = audit.body.data as { action: string; actor: { kind: string; id: string }; subject: { type: string; id: string }; details: Record<string, unknown> }[];
      const key_ = (await stack.db.query(`SELECT id FROM api_keys WHERE workspace_id = $1`, [workspaceId])).rows[0].id;
      const about = (postId: string) => events.filter((event) => event.subject.type === 'post' && event.subject.id === postId).reverse();
      expect(about(id).map((event) => [event.action, event.details])).toEqual([
        ['post.created', { status: 'scheduled', mode: 'at', channelIds: [channel.id] }],
        ['post.edited', { fields: ['text'] }],
        ['post.rescheduled', { mode: 'queue', status: 'scheduled' }],
        ['post.edited', { fields: ['text'] }],
        ['post.rescheduled', { mode: 'at', status: 'scheduled' }],
        ['post.cancelled', { channelIds: [channel.id] }],
      ]);
      expect(about(failing.body.id).map((event) => event.action)).toEqual(['post.created', 'post.retried']);
      for (const item of bulk.body.data) expect(about(item.id).map((event) => event.action)).toEqual(['post.created']);
      for (const event of events.filter((candidate) => candidate.subject.type === 'post')) expect(event.actor).toEqual(expect.objectContaining({ kind: 'api_key', id: key_ }));
      expect(JSON.stringify(audit.body)).not.toContain('secret words');
    });
  });

  describe('parts', () => {
    it('places a thread with a first comment, checking each part on each channel: 422 naming the channel and the part, or refusing several parts on LinkedIn', async () => {
      const { id: workspaceId, apiKey: key } = await stack.workspace('threads');
      const keyId = (await stack.db.query(`SELECT id FROM api_keys WHERE workspace_id = $1`, [workspaceId])).rows[0].id as string;
      const x = await stack.channel(key, { network: 'x', handle: unique('thread_x') });
      const mastodon = await stack.channel(key, { network: 'mastodon', handle: unique('thread_m') });
      const linkedin = await stack.channel(key, { network: 'linkedin', handle: unique('thread_l') });
      const placement = stack.apiApp!.context.get(PostPlacement, { strict: false });
      const author = { actor: { kind: 'api_key' as const, id: keyId }, awaitsApproval: false, requestId: null };
      const place = (channelIds: string[], parts: string[], firstComment?: string) => {
        const request = {
          text: parts[0]!,
          channelIds,
          schedule: { mode: 'at', at: inMinutes(24 * 60) },
          parts: parts.map((text) => ({ text, media: [] })),
          ...(firstComment ? { firstComment: { text: firstComment } } : {}),
        } as PlacementRequest;
        return placement.place(tenantOf(workspaceId), request, author, new Date());
      };

      const placed = await place([x.id, mastodon.id], ['thread one', 'thread two', 'thread three'], 'the comment');
      const { rows } = await stack.db.query(`SELECT text, parts, first_comment FROM posts WHERE id = $1`, [placed.id]);
      expect(rows[0]).toEqual({
        text: 'thread one',
        parts: [{ text: 'thread one', media: [] }, { text: 'thread two', media: [] }, { text: 'thread three', media: [] }],
        first_comment: { text: 'the comment' },
      });
      // The public answer shows them (the publishing of threads is test/threads-publish.medium-spec.ts's).
      expect((await http('GET', `${stack.apiUrl}/v1/posts/${placed.id}`, { token: key })).body).toMatchObject({ parts: [{ text: 'thread one' }, { text: 'thread two' }, { text: 'thread three' }], firstComment: { text: 'the comment' } });

      await expect(place([x.id, mastodon.id], ['thread one', 'thread two', 'y'.repeat(300)])).rejects.toMatchObject({
        status: 422,
        errors: [{ path: 'parts[2]', message: expect.stringContaining(`channel ${x.id} (x `) }],
      });
      await expect(place([x.id, linkedin.id], ['thread one', 'thread two'])).rejects.toMatchObject({
        status: 422,
        errors: [{ path: 'parts', message: expect.stringMatching(new RegExp(`^channel ${linkedin.id} \\(linkedin .*has no threads`)) }],
      });
      // The same post in one part goes to LinkedIn as any post does.
      expect((await place([linkedin.id], ['thread one'])).deliveries).toHaveLength(1);
      const refused = await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE workspace_id = $1`, [workspaceId]);
      expect(refused.rows[0].n).toBe(2);

      // The public API takes parts instead of text, not beside it.
      const publicly = await http('POST', `${stack.apiUrl}/v1/posts`, { token: key, body: { text: 'a', channelIds: [x.id], schedule: { mode: 'draft' }, parts: [{ text: 'a' }, { text: 'b' }] } });
      expect(publicly.status).toBe(400);
      expect((await http('POST', `${stack.apiUrl}/v1/posts`, { token: key, body: { channelIds: [x.id], schedule: { mode: 'draft' }, parts: [{ text: 'a' }, { text: 'b' }] } })).status).toBe(201);
    });
  });
});
