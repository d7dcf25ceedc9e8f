/**
 * Recurring series (PRODUCT.md section 13): a weekly RRULE at 09:00
 * Europe/Berlin across the March and October changes is made ahead as
 * ordinary posts at 09:00 local, each once however often, concurrently or
 * across a worker restart the expansion runs; each occurrence is published
 * once. Edits, pauses and deletes withdraw what was made ahead. Tags on
 * posts filter the list and the calendar.
 */
import { DateTime } from 'luxon';
import { SeriesExpander } from '../apps/worker/src/series/series-expander';
import { http, sleep, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';
import { image, upload } from './support/media-files';

const RULE = 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0';
const BERLIN = 'Europe/Berlin';

describe('recurring series', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    // The window of series made ahead reaches past next November (the test's dates are in 2027).
    stack = await InProcessStack.start({ env: { HERALD_SERIES_AHEAD_DAYS: '700', RECONCILE_INTERVAL_MS: '500' } });
    ({ apiKey } = await stack.workspace('recurring'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const occurrences = async (seriesId: string) => {
    const answer = await api('GET', `/v1/posts?seriesId=${seriesId}&limit=100`);
    expect(answer.status).toBe(200);
    return answer.body.data as { id: string; text: string; status: string; series: { id: string; occurrenceAt: string | null }; deliveries: { id: string; scheduledAt: string; status: string }[] }[];
  };
  const expander = () => stack.inProcessWorkers.find((worker) => !worker.closed)!.context.get(SeriesExpander);
  /** Every Monday 09:00 Berlin from `from` to `to` (inclusive), by luxon's own arithmetic. */
  const mondaysAtNine = (from: string, to: string) => {
    const out: string[] = [];
    for (let day = DateTime.fromISO(`${from}T09:00`, { zone: BERLIN }); day <= DateTime.fromISO(`${to}T23:59`, { zone: BERLIN }); day = day.plus({ weeks: 1 })) {
      out.push(day.toUTC().toISO({ suppressMilliseconds: false })!);
    }
    return out;
  };

  it('makes a weekly 09:00 Berlin series across both DST changes, each occurrence once, and publishes each once', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `weekly_${Date.now().toString(36)}` });
    const created = await api('POST', '/v1/series', {
      text: 'Monday tip',
      channelIds: [channel.id],
      rule: RULE,
      timezone: BERLIN,
      startAt: '2027-03-01T00:00:00+01:00',
      until: '2027-11-15T23:00:00Z',
      tags: ['Tips'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', rule: RULE, timezone: BERLIN, tags: ['tips'] });
    expect(created.body.summary).toMatch(/every week on Monday/);
    expect(created.body.nextOccurrences.slice(0, 2)).toEqual(['2027-03-01T08:00:00.000Z', '2027-03-08T08:00:00.000Z']);
    expect(created.body.nextOccurrences).toHaveLength(10);
    const expected = mondaysAtNine('2027-03-01', '2027-11-15');
    expect(expected).toContain('2027-03-22T08:00:00.000Z'); // before the March change: UTC+1
    expect(expected).toContain('2027-03-29T07:00:00.000Z'); // after it: UTC+2
    expect(expected).toContain('2027-11-01T08:00:00.000Z'); // after October's: UTC+1 again

    const seriesId = created.body.id as string;
    const made = await waitFor('the worker to make the occurrences', async () => {
      const posts = await occurrences(seriesId);
      return posts.length === expected.length ? posts : undefined;
    });
    const times = made.map((post) => post.deliveries[0]!.scheduledAt).sort();
    expect(times).toEqual(expected);
    for (const post of made) {
      expect(DateTime.fromISO(post.deliveries[0]!.scheduledAt, { zone: BERLIN }).toFormat('EEE HH:mm')).toBe('Mon 09:00');
      expect(post.series.occurrenceAt).toBe(post.deliveries[0]!.scheduledAt);
      expect(post).toMatchObject({ status: 'scheduled', text: 'Monday tip', tags: ['tips'] });
    }

    // Expansion again, twice at once, then by a restarted worker: nothing is made twice.
    const again = async () => {
      await stack.db.query(`UPDATE series SET expanded_until = start_at - interval '1 millisecond' WHERE id = $1`, [seriesId]);
    };
    await again();
    const reports = await Promise.all([expander().expandDue(), expander().expandDue(), expander().expandDue()]);
    expect(reports.reduce((sum, report) => sum + report.posts, 0)).toBe(0);
    await stack.inProcessWorkers[0]!.close();
    await stack.startWorkerInProcess();
    await again();
    await waitFor('the restarted worker to sweep the series', async () => {
      const { rows } = await stack.db.query(`SELECT expanded_until > now() AS done FROM series WHERE id = $1`, [seriesId]);
      return rows[0].done === true;
    });
    expect(await occurrences(seriesId)).toHaveLength(expected.length);
    const { rows: perOccurrence } = await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE series_id = $1 GROUP BY occurrence_at HAVING count(*) > 1`, [seriesId]);
    expect(perOccurrence).toEqual([]);
    // The key in Postgres refuses a second post for one occurrence whoever writes it.
    await expect(
      stack.db.query(
        `INSERT INTO posts (workspace_id, text, status, series_id, occurrence_at) SELECT workspace_id, 'again', 'scheduled', series_id, occurrence_at FROM posts WHERE series_id = $1 LIMIT 1`,
        [seriesId],
      ),
    ).rejects.toThrow(/posts_series_occurrence_key/);

    // Three occurrences (either side of both changes) brought to now are each published once.
    const chosen = made.filter((post) => ['2027-03-22T08:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-11-01T08:00:00.000Z'].includes(post.deliveries[0]!.scheduledAt));
    expect(chosen).toHaveLength(3);
    await stack.db.query(`UPDATE deliveries SET scheduled_at = now(), due_at = now() WHERE id = ANY($1::uuid[])`, [chosen.map((post) => post.deliveries[0]!.id)]);
    for (const post of chosen) {
      await waitFor('publish', async () => (await api('GET', `/v1/posts/${post.id}`)).body.status === 'published', { timeoutMs: 20_000 });
    }
    await again();
    await expander().expandDue();
    await sleep(1500);
    expect(await occurrences(seriesId)).toHaveLength(expected.length);
    const sent = await stack.mockPosts({ network: 'mastodon', handle: channel.handle });
    expect(sent.map((post) => post.text)).toEqual(['Monday tip', 'Monday tip', 'Monday tip']);
  });

  it('answers a rule it cannot take with a 422 problem naming the field', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: `rules-${Date.now().toString(36)}.bsky.social` });
    const base = { text: 'x', channelIds: [channel.id], timezone: BERLIN, rule: RULE };
    for (const [body, path] of [
      [{ ...base, rule: 'FREQ=SOMETIMES' }, 'rule'],
      [{ ...base, rule: 'FREQ=MINUTELY' }, 'rule'],
      [{ ...base, rule: 'DTSTART:20270101T000000Z\nRRULE:FREQ=DAILY' }, 'rule'],
      [{ ...base, timezone: 'Europe/Atlantis' }, 'timezone'],
      [{ ...base, startAt: '2020-01-01T00:00:00Z' }, 'startAt'],
      [{ ...base, text: 'x'.repeat(400) }, undefined],
    ] as const) {
      const answer = await api('POST', '/v1/series', body);
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (path) expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    // Tags checked as a post's are: a malformed one, or more than 20, is a 400 naming the rule.
    for (const tags of [['#launch'], Array.from({ length: 21 }, (_, index) => `t${index}`)]) {
      const answer = await api('POST', '/v1/series', { ...base, tags });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(answer.body)).toMatch(/tag/);
    }
    expect((await api('POST', '/v1/series', { ...base, channelIds: ['00000000-0000-4000-8000-000000000000'] })).status).toBe(404);
    expect((await api('GET', '/v1/series/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const preview = await api('POST', '/v1/series/preview', { rule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8', timezone: 'America/New_York', startAt: '2027-01-01T00:00:00Z' });
    expect(preview.status).toBe(200);
    expect(preview.body.nextOccurrences[0]).toBe('2027-01-01T13:00:00.000Z');
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM series WHERE channel_ids @> ARRAY[$1::uuid]`, [channel.id]);
    expect(rows[0].n).toBe(0);
  });

  it('pauses (withdrawing what was made ahead), resumes, edits from the next occurrence on, and deletes', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: `daily-${Date.now().toString(36)}.bsky.social` });
    const created = await api('POST', '/v1/series', { text: 'daily', channelIds: [channel.id], rule: 'FREQ=DAILY;BYHOUR=12', timezone: 'UTC', startAt: '2027-06-01T00:00:00Z', count: 5 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor('five made', async () => (await occurrences(id)).length === 5);

    const paused = await api('POST', `/v1/series/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', nextOccurrences: [] });
    const withdrawn = await occurrences(id);
    expect(withdrawn.every((post) => post.status === 'cancelled' && post.series.occurrenceAt === null)).toBe(true);
    await sleep(1200);
    expect((await occurrences(id)).filter((post) => post.status === 'scheduled')).toHaveLength(0);

    const resumed = await api('POST', `/v1/series/${id}/resume`);
    expect(resumed.body.status).toBe('active');
    await waitFor('made again', async () => (await occurrences(id)).filter((post) => post.status === 'scheduled').length === 5);

    const edited = await api('PATCH', `/v1/series/${id}`, { text: 'daily, edited', rule: 'FREQ=DAILY;BYHOUR=18' });
    expect(edited.status).toBe(200);
    const live = await waitFor('made with the edit', async () => {
      const posts = (await occurrences(id)).filter((post) => post.status === 'scheduled');
      return posts.length === 5 && posts.every((post) => post.text === 'daily, edited') ? posts : undefined;
    });
    expect(live.map((post) => post.deliveries[0]!.scheduledAt).sort()[0]).toBe('2027-06-01T18:00:00.000Z');
    expect((await api('PATCH', `/v1/series/${id}`, { rule: 'FREQ=SECONDLY' })).status).toBe(422);

    expect((await api('GET', '/v1/series')).body.data.map((series: { id: string }) => series.id)).toContain(id);
    expect((await api('DELETE', `/v1/series/${id}`)).status).toBe(204);
    expect((await api('GET', `/v1/series/${id}`)).status).toBe(404);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE channel_id = $1 AND status = 'scheduled'`, [channel.id]);
    expect(rows[0].n).toBe(0);
  });

  it('recycles an evergreen post after its gap, and on X only with a text that differs (else skips it, saying so)', async () => {
    const suffix = Date.now().toString(36);
    const x = await stack.channel(apiKey, { network: 'x', handle: `ever_${suffix}` });
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `ever_${suffix}` });
    for (const channel of [x, mastodon]) {
      const set = await api('PATCH', `/v1/channels/${channel.id}`, { evergreenMinRepeatDays: 1 });
      expect(set.status).toBe(200);
      expect(set.body.evergreenMinRepeatDays).toBe(1);
    }
    const picture = await upload(stack.apiUrl, apiKey, await image('png', 320, 200), 'tip.png', 'image/png');
    expect([200, 201]).toContain(picture.status);
    const plain = await api('POST', '/v1/posts', { text: 'evergreen A', media: [{ mediaId: picture.body.id, alt: 'A tip' }], channelIds: [x.id, mastodon.id], schedule: { mode: 'now' }, evergreen: true, tags: ['tips'] });
    const varied = await api('POST', '/v1/posts', { text: 'evergreen B', variants: { [x.id]: 'evergreen B, for X' }, channelIds: [x.id], schedule: { mode: 'now' }, evergreen: true });
    const once = await api('POST', '/v1/posts', { text: 'not evergreen', channelIds: [mastodon.id], schedule: { mode: 'now' } });
    for (const post of [plain, varied, once]) {
      expect(post.status).toBe(201);
      await waitFor('publish', async () => (await api('GET', `/v1/posts/${post.body.id}`)).body.status === 'published');
    }
    const copies = async () =>
      (
        await stack.db.query(
          `SELECT p.recycled_from, p.text, d.channel_id, d.schedule_mode, p.tags FROM posts p JOIN deliveries d ON d.post_id = p.id WHERE p.recycled_from = ANY($1::uuid[]) ORDER BY p.text, d.channel_id`,
          [[plain.body.id, varied.body.id, once.body.id]],
        )
      ).rows;
    await sleep(1500); // sweeps: within the gap, nothing comes back
    expect(await copies()).toEqual([]);

    await stack.db.query(`UPDATE deliveries SET published_at = published_at - interval '2 days' WHERE post_id = ANY($1::uuid[])`, [[plain.body.id, varied.body.id, once.body.id]]);
    const recycled = await waitFor('the recycling', async () => {
      const rows = await copies();
      return rows.length === 2 ? rows : undefined;
    });
    expect(recycled).toEqual(
      [
        { recycled_from: plain.body.id, text: 'evergreen A', channel_id: mastodon.id, schedule_mode: 'queue', tags: ['tips'] },
        // X was sent the variant last time: the copy takes the post's other text.
        { recycled_from: varied.body.id, text: 'evergreen B', channel_id: x.id, schedule_mode: 'queue', tags: [] },
      ].sort((a, b) => a.text.localeCompare(b.text)),
    );
    const skipped = (await api('GET', `/v1/posts/${plain.body.id}`)).body;
    expect(skipped.evergreenSkips).toEqual([{ channelId: x.id, at: expect.any(String), reason: 'duplicate_text' }]);
    const copy = (await api('GET', `/v1/posts?channelId=${mastodon.id}&tag=tips`)).body.data.find((post: { recycledFrom: string | null }) => post.recycledFrom === plain.body.id);
    expect(copy.deliveries[0].status).toBe('scheduled');
    // The copy goes out with the original's files.
    expect(copy.media).toEqual([expect.objectContaining({ mediaId: picture.body.id, alt: 'A tip' })]);
    await sleep(1500); // the copies wait in the queue: nothing more is recycled meanwhile
    expect(await copies()).toHaveLength(2);
  });

  it('tags posts, and filters the list and the calendar by a tag', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: `tags-${Date.now().toString(36)}.bsky.social` });
    const at = '2027-02-03T10:00:00Z';
    const tagged = await api('POST', '/v1/posts', { text: 'launch day', channelIds: [channel.id], schedule: { mode: 'at', at }, tags: ['Launch', 'q1'] });
    expect(tagged.status).toBe(201);
    expect(tagged.body.tags).toEqual(['launch', 'q1']);
    const plain = await api('POST', '/v1/posts', { text: 'other', channelIds: [channel.id], schedule: { mode: 'at', at } });
    expect(plain.body.tags).toEqual([]);
    expect((await api('POST', '/v1/posts', { text: 'bad', channelIds: [channel.id], schedule: { mode: 'draft' }, tags: ['<b>'] })).status).toBe(400);

    const listed = await api('GET', `/v1/posts?channelId=${channel.id}&tag=LAUNCH`);
    expect(listed.body.data.map((post: { id: string }) => post.id)).toEqual([tagged.body.id]);
    const calendar = await api('GET', `/v1/calendar?from=2027-02-01&to=2027-02-10&channelId=${channel.id}&tag=launch`);
    expect(calendar.status).toBe(200);
    expect(calendar.body.entries.map((entry: { postId: string }) => entry.postId)).toEqual([tagged.body.id]);
    expect(calendar.body.entries[0].tags).toEqual(['launch', 'q1']);

    const retagged = await api('PATCH', `/v1/posts/${plain.body.id}`, { tags: ['launch'] });
    expect(retagged.status).toBe(200);
    expect((await api('GET', `/v1/posts?channelId=${channel.id}&tag=launch`)).body.data).toHaveLength(2);

    const colour = await api('POST', '/v1/tags', { name: 'Launch', colour: '#FF8800' });
    expect(colour.status).toBe(201);
    expect(colour.body).toMatchObject({ name: 'launch', colour: '#ff8800' });
    expect((await api('POST', '/v1/tags', { name: 'launch', colour: '#000000' })).status).toBe(409);
    const tags = (await api('GET', '/v1/tags')).body.data as { name: string; colour: string | null }[];
    expect(tags).toEqual(expect.arrayContaining([{ id: colour.body.id, name: 'launch', colour: '#ff8800', createdAt: colour.body.createdAt }, expect.objectContaining({ name: 'q1', colour: null })]));
    expect((await api('PATCH', `/v1/tags/${colour.body.id}`, { colour: '#123456' })).body.colour).toBe('#123456');
    expect((await api('DELETE', `/v1/tags/${colour.body.id}`)).status).toBe(204);
  });
});
