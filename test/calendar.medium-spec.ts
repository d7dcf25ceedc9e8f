/**
 * GET /v1/calendar: one call per visible range, compact entries (no
 * attempts), bounded ranges, filters by channel and status, and days read in
 * a zone across its DST change.
 */
import { http } from './support/http';
import { InProcessStack } from './support/in-process';

describe('the calendar listing', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let otherKey: string;
  let newYork: { id: string };
  let newYorkToo: { id: string };
  let berlin: { id: string };

  const api = (method: string, path: string, body?: unknown, token = apiKey) => http(method, `${stack.apiUrl}${path}`, { token, body });
  const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  async function post(channelIds: string[], schedule: Record<string, unknown>, text = 'hello calendar') {
    const answer = await api('POST', '/v1/posts', { text, channelIds, schedule });
    expect(answer.status).toBe(201);
    return answer.body as { id: string; deliveries: { id: string; scheduledAt: string }[] };
  }

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    ({ apiKey } = await stack.workspace('calendar'));
    ({ apiKey: otherKey } = await stack.workspace('calendar-other'));
    const slots = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, time: '09:00' }));
    newYork = await stack.channel(apiKey, { network: 'mastodon', handle: `ny${unique()}@example.social`, timezone: 'America/New_York', postingSchedule: { slots } });
    newYorkToo = await stack.channel(apiKey, { network: 'mastodon', handle: `ny2${unique()}@example.social`, timezone: 'America/New_York' });
    berlin = await stack.channel(apiKey, { network: 'mastodon', handle: `be${unique()}@example.social`, timezone: 'Europe/Berlin' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers one compact entry per post and instant, with the wall time in the channels\' zone and no attempts', async () => {
    const text = `${'A long post about the spring launch. '.repeat(6)}end`;
    const created = await post([newYork.id, newYorkToo.id], { mode: 'at', localTime: '2027-05-04T09:00', timezone: 'America/New_York' }, text);
    const answer = await api('GET', '/v1/calendar?from=2027-05-01&to=2027-06-01&timezone=America/New_York');
    expect(answer.status).toBe(200);
    expect(answer.body.truncated).toBe(false);
    expect(answer.body.from).toBe('2027-05-01T04:00:00.000Z');
    const entries = answer.body.entries.filter((entry: { postId: string }) => entry.postId === created.id);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(Object.keys(entry).sort()).toEqual(['channelIds', 'deliveries', 'excerpt', 'localTime', 'mediaId', 'postId', 'queued', 'scheduledAt', 'seriesId', 'tags', 'timezone']);
    expect(entry).toMatchObject({ scheduledAt: '2027-05-04T13:00:00.000Z', timezone: 'America/New_York', localTime: '2027-05-04T09:00', queued: false, mediaId: null });
    expect(entry.channelIds.sort()).toEqual([newYork.id, newYorkToo.id].sort());
    for (const delivery of entry.deliveries) expect(Object.keys(delivery).sort()).toEqual(['channelId', 'id', 'publishedAt', 'status']);
    expect(entry.deliveries.map((delivery: { status: string }) => delivery.status)).toEqual(['scheduled', 'scheduled']);
    expect(entry.excerpt.length).toBeLessThanOrEqual(120);
    expect(entry.excerpt.endsWith('…')).toBe(true);
    expect(text.startsWith(entry.excerpt.slice(0, -1))).toBe(true);
  });

  it('says which entries hold a queue slot', async () => {
    const queued = await post([newYork.id], { mode: 'queue' }, 'queued one');
    const at = new Date(queued.deliveries[0]!.scheduledAt);
    const from = new Date(at.getTime() - 3_600_000).toISOString();
    const to = new Date(at.getTime() + 3_600_000).toISOString();
    const answer = await api('GET', `/v1/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(answer.status).toBe(200);
    const entry = answer.body.entries.find((candidate: { postId: string }) => candidate.postId === queued.id);
    expect(entry).toMatchObject({ queued: true, localTime: expect.stringMatching(/T09:00$/) });
  });

  it('takes `from` in and leaves `to` out, and shows no other workspace\'s posts', async () => {
    const start = await post([berlin.id], { mode: 'at', at: '2027-07-01T10:00:00Z' }, 'at the start');
    const end = await post([berlin.id], { mode: 'at', at: '2027-07-02T10:00:00Z' }, 'at the end');
    const answer = await api('GET', '/v1/calendar?from=2027-07-01T10:00:00Z&to=2027-07-02T10:00:00Z');
    const ids = answer.body.entries.map((entry: { postId: string }) => entry.postId);
    expect(ids).toContain(start.id);
    expect(ids).not.toContain(end.id);
    const other = await api('GET', '/v1/calendar?from=2027-07-01T00:00:00Z&to=2027-07-03T00:00:00Z', undefined, otherKey);
    expect(other.status).toBe(200);
    expect(other.body.entries).toEqual([]);
  });

  it('refuses a range past 62 days, an empty one or an unknown zone with a 422 problem, a missing bound with a 400', async () => {
    for (const query of ['from=2027-01-01&to=2027-03-05', 'from=2027-01-02&to=2027-01-01', 'from=2027-01-01&to=2027-01-01', 'from=2027-01-01&to=2027-01-31&timezone=Mars/Olympus']) {
      const answer = await api('GET', `/v1/calendar?${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 422 });
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(answer.body.errors?.[0]?.path).toMatch(/^(to|timezone)$/);
    }
    expect((await api('GET', '/v1/calendar?from=2027-01-01&to=2027-03-04')).status).toBe(200);
    for (const query of ['to=2027-01-31', 'from=yesterday&to=2027-01-31', 'from=2027-01-01&to=2027-01-31&channelId=nope', 'from=2027-01-01&to=2027-01-31&status=lost']) {
      const answer = await api('GET', `/v1/calendar?${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    }
  });

  it('filters by channels and by status', async () => {
    const both = await post([newYork.id, berlin.id], { mode: 'at', at: '2027-08-03T12:00:00Z' }, 'on both');
    const cancelled = await post([berlin.id], { mode: 'at', at: '2027-08-04T12:00:00Z' }, 'cancelled');
    expect((await api('DELETE', `/v1/posts/${cancelled.id}`)).status).toBeLessThan(300);
    const range = 'from=2027-08-01T00:00:00Z&to=2027-08-10T00:00:00Z';
    const onNewYork = await api('GET', `/v1/calendar?${range}&channelId=${newYork.id}`);
    expect(onNewYork.body.entries.map((entry: { postId: string }) => entry.postId)).toEqual([both.id]);
    expect(onNewYork.body.entries[0].channelIds).toEqual([newYork.id]);
    // Channels in two zones: one entry, its wall time in the zone it names.
    const all = await api('GET', `/v1/calendar?${range}&channelId=${newYork.id},${berlin.id}`);
    const ofBoth = all.body.entries.filter((entry: { postId: string }) => entry.postId === both.id);
    expect(ofBoth).toHaveLength(1);
    expect(ofBoth[0].channelIds.sort()).toEqual([newYork.id, berlin.id].sort());
    expect({ 'America/New_York': '2027-08-03T08:00', 'Europe/Berlin': '2027-08-03T14:00' }[ofBoth[0].timezone as string]).toBe(ofBoth[0].localTime);
    const onlyCancelled = await api('GET', `/v1/calendar?${range}&status=cancelled`);
    expect(onlyCancelled.body.entries.map((entry: { postId: string }) => entry.postId)).toEqual([cancelled.id]);
  });

  it("puts a post late on a DST day on that day in the channel's zone, read with its 23 hours", async () => {
    // 14 March 2027: New York springs forward; the day has 23 hours (05:00Z to 04:00Z next day).
    const late = await post([newYork.id], { mode: 'at', localTime: '2027-03-14T23:30', timezone: 'America/New_York' }, 'late on the short day');
    const nextEarly = await post([newYork.id], { mode: 'at', localTime: '2027-03-15T00:30', timezone: 'America/New_York' }, 'early the day after');
    const ids = async (query: string) => (await api('GET', `/v1/calendar?${query}`)).body.entries.map((entry: { postId: string }) => entry.postId);
    const theDay = await api('GET', '/v1/calendar?from=2027-03-14&to=2027-03-15&timezone=America/New_York');
    expect(theDay.body.from).toBe('2027-03-14T05:00:00.000Z');
    expect(theDay.body.to).toBe('2027-03-15T04:00:00.000Z');
    const entry = theDay.body.entries.find((candidate: { postId: string }) => candidate.postId === late.id);
    expect(entry).toMatchObject({ scheduledAt: '2027-03-15T03:30:00.000Z', localTime: '2027-03-14T23:30' });
    expect(theDay.body.entries.map((candidate: { postId: string }) => candidate.postId)).not.toContain(nextEarly.id);
    expect(await ids('from=2027-03-15&to=2027-03-16&timezone=America/New_York')).toEqual([nextEarly.id]);
    // In UTC both are on the 15th.
    expect(await ids('from=2027-03-14&to=2027-03-15')).toEqual([]);
  });
});
