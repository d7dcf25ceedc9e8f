/**
 * Account figures (docs/analytics.md#account-figures), API + worker + mock
 * in process against real Postgres and Redis, the daily interval shortened
 * (`ANALYTICS_ACCOUNT_INTERVAL=4000`, the first reading as long after a
 * channel is added): each channel's followers (and what else
 * its network gives) as the mock serves them in the network's own shape,
 * one row per channel per reading and no more often than the interval; a
 * LinkedIn member, whose followers LinkedIn does not give, has none; the
 * API's history, its change and CSV match the rows, bad input is a 4xx;
 * a rate-limited read waits for the reset while a post due meanwhile on
 * the same channel goes out on time.
 */
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

interface Reading {
  takenAt: string;
  followers: number | null;
  following: number | null;
  posts: number | null;
  extra: Record<string, number>;
}

const INTERVAL_MS = 4000;

describe('account figures, once a day per channel', () => {
  let stack: InProcessStack;
  let apiKey: string;
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body, headers });
  const mock = (method: string, path: string, body?: unknown) => http(method, `${stack.mockUrl}${path}`, { body });
  const rowsOf = async (channelId: string) =>
    (await stack.db.query(`SELECT taken_at, followers, following, posts, extra FROM account_snapshots WHERE channel_id = $1 ORDER BY taken_at`, [channelId])).rows as Array<{
      taken_at: Date;
      followers: string | null;
      following: string | null;
      posts: string | null;
      extra: Record<string, number>;
    }>;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { ANALYTICS_ACCOUNT_INTERVAL: String(INTERVAL_MS), ANALYTICS_TICK: '200ms', ANALYTICS_SNAPSHOTS: '1h', NETWORK_QUOTAS: 'x=off' } });
    ({ apiKey } = await stack.workspace('account-figures'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("stores each channel's reading once per interval, with the mock's figures in shared names; the API's history, change and CSV match", async () => {
    const suffix = Date.now().toString(36);
    const handles = {
      x: `fig_x_${suffix}`,
      bluesky: `fig-${suffix}.bsky.social`,
      mastodon: `fig_${suffix}@mastodon.social`,
      threads: `fig_t_${suffix}`,
      instagram: `fig_i_${suffix}`,
      facebook: `fig_f_${suffix}`,
      linkedin: `fig_l_${suffix}`,
      youtube: `fig_y_${suffix}`,
      pinterest: `fig_p_${suffix}`,
    };
    const set: Record<string, Record<string, number>> = {
      x: { followers_count: 1200, following_count: 80, tweet_count: 15, listed_count: 3 },
      bluesky: { followersCount: 340, followsCount: 12, postsCount: 7 },
      mastodon: { followers_count: 95, following_count: 40, statuses_count: 210 },
      threads: { followers_count: 610 },
      instagram: { followers_count: 4800, follows_count: 150, media_count: 66 },
      facebook: { followers_count: 2500, fan_count: 2300 },
      youtube: { subscriberCount: 15300, videoCount: 42, viewCount: 880000 },
      pinterest: { follower_count: 510, following_count: 20, pin_count: 33, monthly_views: 12000 },
    };
    const expected: Record<string, Omit<Reading, 'takenAt'>> = {
      x: { followers: 1200, following: 80, posts: 15, extra: { listed_count: 3 } },
      bluesky: { followers: 340, following: 12, posts: 7, extra: {} },
      mastodon: { followers: 95, following: 40, posts: 210, extra: {} },
      threads: { followers: 610, following: null, posts: null, extra: {} },
      instagram: { followers: 4800, following: 150, posts: 66, extra: {} },
      facebook: { followers: 2500, following: null, posts: null, extra: { fan_count: 2300 } },
      youtube: { followers: 15300, following: null, posts: 42, extra: { view_count: 880000 } },
      pinterest: { followers: 510, following: 20, posts: 33, extra: { monthly_views: 12000 } },
    };
    for (const [network, metrics] of Object.entries(set)) {
      expect((await mock('PUT', '/_mock/account-metrics', { network, handle: handles[network as keyof typeof handles], metrics })).status).toBe(200);
    }
    const refused = await mock('PUT', '/_mock/account-metrics', { network: 'x', handle: handles.x, metrics: { followersCount: 1 } });
    expect(refused.status).toBe(400);

    // YouTube and Pinterest connect through OAuth only (the mock consents as the login hint names).
    const connected = async (network: string, handle: string) => {
      const landed = await stack.connectThroughOAuth(apiKey, network, handle);
      const id = landed.searchParams.get('channelId');
      if (!id) throw new Error(`connecting ${network} ended with ${landed.toString()}`);
      return { id, handle, apiHandle: handle, network };
    };
    const channels = Object.fromEntries(
      await Promise.all(Object.entries(handles).map(async ([network, handle]) => [network, ['youtube', 'pinterest'].includes(network) ? await connected(network, handle) : await stack.channel(apiKey, { network, handle })] as const)),
    );
    const read = Object.keys(set);
    await waitFor('a first reading of each channel', async () => (await Promise.all(read.map(async (network) => (await rowsOf(channels[network]!.id)).length >= 1))).every(Boolean), { timeoutMs: 20_000 });
    const firstAt = new Map<string, number>();
    for (const network of read) {
      const [row] = await rowsOf(channels[network]!.id);
      firstAt.set(network, row!.taken_at.getTime());
      const figures = { followers: row!.followers === null ? null : Number(row!.followers), following: row!.following === null ? null : Number(row!.following), posts: row!.posts === null ? null : Number(row!.posts), extra: row!.extra };
      expect({ network, figures }).toEqual({ network, figures: expected[network] });
    }
    // LinkedIn gives no follower count of a member: no row, the channel looked at again an interval on.
    expect(await rowsOf(channels.linkedin!.id)).toHaveLength(0);
    const linkedin = (await stack.db.query(`SELECT next_at FROM account_schedules WHERE channel_id = $1`, [channels.linkedin!.id])).rows[0];
    expect(linkedin.next_at.getTime()).toBeGreaterThan(Date.now());

    expect((await mock('PUT', '/_mock/account-metrics', { network: 'x', handle: handles.x, metrics: { followers_count: 1250 } })).status).toBe(200);
    await waitFor('a second reading of X', async () => (await rowsOf(channels.x!.id)).length >= 2, { timeoutMs: 20_000 });
    for (const network of read) {
      // Never more often than the interval: each reading at least an interval after the one before.
      const times = (await rowsOf(channels[network]!.id)).map((row) => row.taken_at.getTime());
      for (let index = 1; index < times.length; index += 1) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS - 50);
      expect(times.length).toBeLessThanOrEqual(Math.floor((Date.now() - firstAt.get(network)!) / INTERVAL_MS) + 1);
    }
    const xRows = await rowsOf(channels.x!.id);
    expect(xRows.slice(0, 2).map((row) => Number(row.followers))).toEqual([1200, 1250]);

    const history = await api('GET', `/v1/analytics/accounts?channelId=${channels.x!.id}&timezone=UTC`);
    expect(history.status).toBe(200);
    expect(history.body.channels).toHaveLength(1);
    const x = history.body.channels[0];
    expect(x).toMatchObject({ channelId: channels.x!.id, network: 'x', latest: { followers: Number(xRows[xRows.length - 1]!.followers), following: 80, posts: 15, extra: { listed_count: 3 } } });
    expect(x.readings.map((reading: Reading) => reading.followers)).toEqual(xRows.map((row) => Number(row.followers)));
    expect(x.followersChange).toBe(Number(xRows[xRows.length - 1]!.followers) - 1200);

    const all = await api('GET', '/v1/analytics/accounts');
    expect(all.status).toBe(200);
    expect(all.body.channels.map((channel: { network: string }) => channel.network).sort()).toEqual([...read].sort());
    const csv = await api('GET', '/v1/analytics/accounts', undefined, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...lines] = String(csv.body).trim().split('\r\n');
    expect(header).toBe('channelId,network,handle,takenAt,followers,following,posts,extra');
    expect(lines).toHaveLength(all.body.channels.reduce((sum: number, channel: { readings: Reading[] }) => sum + channel.readings.length, 0));
    expect(lines).toContainEqual(expect.stringContaining(`${channels.facebook!.id},facebook,`));

    // A range before any reading: no channel; bad input: a problem, nothing read.
    expect((await api('GET', '/v1/analytics/accounts?from=2020-01-01&to=2020-02-01')).body.channels).toEqual([]);
    for (const query of ['channelId=nope', 'from=yesterday', 'from=2027-02-01&to=2027-01-01', 'timezone=Mars/Base']) {
      const bad = await api('GET', `/v1/analytics/accounts?${query}`);
      expect({ query, status: bad.status >= 400 && bad.status < 500 }).toEqual({ query, status: true });
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await api('GET', '/v1/analytics/accounts?channelId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  }, 90_000);

  it('waits for a rate-limited account read, and a post due meanwhile on the channel still goes out on time', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: `limited-${Date.now().toString(36)}.bsky.social` });
    await waitFor('a first reading', async () => (await rowsOf(channel.id)).length >= 1, { timeoutMs: 20_000 });
    // Not due again until the test says so.
    await stack.db.query(`UPDATE account_schedules SET next_at = now() + interval '1 hour' WHERE channel_id = $1`, [channel.id]);
    expect((await mock('PUT', '/_mock/account-metrics', { network: 'bluesky', handle: channel.handle, metrics: { followersCount: 77 } })).status).toBe(200);
    expect((await mock('PUT', '/_mock/faults', { network: 'bluesky', handle: channel.handle, path: '/xrpc/app.bsky.actor.getProfile', status: 429, retryAfter: 6, times: 1 })).status).toBeLessThan(300);
    expect((await mock('DELETE', '/_mock/calls')).status).toBe(204);
    const before = (await rowsOf(channel.id)).length;
    const refusedAt = Date.now();
    await stack.db.query(`UPDATE account_schedules SET next_at = now() WHERE channel_id = $1`, [channel.id]);
    const dueAt = new Date(Date.now() + 1500);
    const post = await api('POST', '/v1/posts', { text: 'Due while the figures wait', channelIds: [channel.id], schedule: { mode: 'at', at: dueAt.toISOString() } });
    expect(post.status).toBe(201);
    const out = await waitFor('the post published', async () => {
      const got = (await api('GET', `/v1/posts/${post.body.id}`)).body;
      return got.status === 'published' ? got : undefined;
    });
    expect(Date.parse(out.deliveries[0].publishedAt) - dueAt.getTime()).toBeLessThan(2000);
    expect(await rowsOf(channel.id)).toHaveLength(before);
    const reading = await waitFor('the reading after the reset', async () => (await rowsOf(channel.id))[before], { timeoutMs: 20_000 });
    expect(Number(reading.followers)).toBe(77);
    expect(reading.taken_at.getTime() - refusedAt).toBeGreaterThanOrEqual(5500);
    const reads = (await mock('GET', `/_mock/calls?network=bluesky&handle=${channel.handle}&path=/xrpc/app.bsky.actor.getProfile`)).body.data;
    expect(reads.slice(0, 2).map((call: { status: number }) => call.status)).toEqual([429, 200]);
  }, 60_000);
});
