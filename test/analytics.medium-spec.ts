/**
 * Analytics (docs/analytics.md), API + worker + mock in process against
 * real Postgres and Redis: a post published to X, Bluesky, Mastodon,
 * LinkedIn and Instagram; its figures set on the mock in each network's own
 * names; a refresh and the scheduled snapshots (intervals shortened) store
 * them, one row per snapshot; the aggregates and their CSV match the rows;
 * an endpoint that opted in to `post.metrics` gets one signed event per
 * snapshot with its figures, one made with the default events none.
 * Then, with snapshots an hour away so the test says when they are due:
 * X's reads batched (one call for 100 posts), its non-public figures read
 * only of posts under 30 days old, a rate-limited metrics read
 * delaying snapshots but not a post due meanwhile, a post deleted on its
 * network ending its snapshots.
 */
import { createHmac } from 'node:crypto';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, sleep, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';
import { image, upload } from './support/media-files';

type Figures = Record<string, number | null>;
interface Snapshot {
  takenAt: string;
  kind: string;
  figures: Figures;
  engagements: number;
  extra: Record<string, number>;
}
interface DeliveryMetrics {
  deliveryId: string;
  channelId: string;
  network: string;
  externalId: string;
  latest: Snapshot | null;
  snapshots: Snapshot[];
  nextSnapshotAt: string | null;
  ended: string | null;
}

const FIVE = ['x', 'bluesky', 'mastodon', 'linkedin', 'instagram'] as const;

/** What each network is told (its own names), and what Herald should read (the shared names; the rest null). */
const SET: Record<(typeof FIVE)[number], { mock: Record<string, number>; read: Figures; engagements: number; extra?: Record<string, number> }> = {
  // Its own post, days old: X's non_public_metrics too (link clicks; profile clicks under extra).
  x: {
    mock: { impression_count: 1000, like_count: 40, retweet_count: 5, reply_count: 3, quote_count: 2, bookmark_count: 1, url_link_clicks: 6, user_profile_clicks: 4 },
    read: { impressions: 1000, likes: 40, reposts: 5, replies: 3, quotes: 2, bookmarks: 1, clicks: 6 },
    engagements: 57,
    extra: { user_profile_clicks: 4 },
  },
  bluesky: { mock: { likeCount: 11, repostCount: 2, replyCount: 1, quoteCount: 0 }, read: { likes: 11, reposts: 2, replies: 1, quotes: 0 }, engagements: 14 },
  mastodon: { mock: { favourites_count: 7, reblogs_count: 3, replies_count: 2, quotes_count: 0 }, read: { likes: 7, reposts: 3, replies: 2, quotes: 0 }, engagements: 12 },
  linkedin: { mock: { totalLikes: 9, aggregatedTotalComments: 4 }, read: { likes: 9, replies: 4 }, engagements: 13 },
  instagram: {
    mock: { views: 500, reach: 300, likes: 25, comments: 5, shares: 2, saved: 3 },
    read: { impressions: 500, likes: 25, replies: 5, shares: 2, saves: 3 },
    engagements: 35,
    extra: { reach: 300 },
  },
};

const NONE: Figures = { impressions: null, likes: null, reposts: null, replies: null, quotes: null, bookmarks: null, clicks: null, saves: null, shares: null, videoViews: null };

function harness(getStack: () => InProcessStack, getKey: () => string) {
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => http(method, `${getStack().apiUrl}${path}`, { token: getKey(), body, headers });
  const mock = (method: string, path: string, body?: unknown) => http(method, `${getStack().mockUrl}${path}`, { body });
  const published = (postId: string, timeoutMs = 40_000) =>
    waitFor(
      `post ${postId} published`,
      async () => {
        const post = (await api('GET', `/v1/posts/${postId}`)).body;
        if (post.deliveries.some((delivery: { status: string }) => delivery.status === 'failed')) throw new Error(`a delivery failed: ${JSON.stringify(post.deliveries)}`);
        return post.status === 'published' ? post : undefined;
      },
      { timeoutMs },
    );
  const metrics = async (postId: string): Promise<DeliveryMetrics[]> => {
    const answer = await api('GET', `/v1/posts/${postId}/metrics`);
    expect(answer.status).toBe(200);
    return answer.body.deliveries;
  };
  const rowsOf = async (deliveryId: string) => Number((await getStack().db.query(`SELECT count(*)::int AS n FROM metric_snapshots WHERE delivery_id = $1`, [deliveryId])).rows[0].n);
  return { api, mock, published, metrics, rowsOf };
}

describe('analytics: snapshots of five networks, kept as history', () => {
  let stack: InProcessStack;
  let apiKey: string;
  const { api, mock, published, metrics, rowsOf } = harness(
    () => stack,
    () => apiKey,
  );
  /** What the webhook receiver got: each request's path, headers and body. */
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    stack = await InProcessStack.start({ env: { ANALYTICS_SNAPSHOTS: '5s,9s', ANALYTICS_TICK: '200ms', NETWORK_QUOTAS: 'x=off', HERALD_URL_ALLOWLIST: '127.0.0.1' } });
    ({ apiKey } = await stack.workspace('analytics'));
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('stores a refresh and each scheduled snapshot, in shared names, one row per snapshot; the aggregates and CSV match them', async () => {
    const suffix = Date.now().toString(36);
    // post.metrics is opt-in: an endpoint naming it gets one event per snapshot; one made with the default events gets none.
    const optedIn = await api('POST', '/v1/webhooks', { url: `${receiverUrl}/metrics`, events: ['post.metrics'] });
    expect(optedIn.status).toBe(201);
    const byDefault = await api('POST', '/v1/webhooks', { url: `${receiverUrl}/default` });
    expect(byDefault.status).toBe(201);
    expect(byDefault.body.events).toContain('post.published');
    expect(byDefault.body.events).not.toContain('post.metrics');
    const channels = await Promise.all(FIVE.map((network) => stack.channel(apiKey, { network, handle: network === 'mastodon' ? `an_${suffix}@example.social` : `an_${network}_${suffix}` })));
    const jpeg = await upload(stack.apiUrl, apiKey, await image('jpeg', 800, 600), 'launch.jpg', 'image/jpeg');
    const created = await api('POST', '/v1/posts', { text: `Launch numbers ${suffix}`, channelIds: channels.map((channel) => channel.id), media: [{ mediaId: jpeg.body.id, alt: 'Launch' }], schedule: { mode: 'now' } });
    expect(created.status).toBe(201);
    const post = await published(created.body.id);
    const networkOf = (channelId: string) => channels.find((channel) => channel.id === channelId)!.network as (typeof FIVE)[number];
    for (const delivery of post.deliveries) {
      const set = await mock('PUT', '/_mock/metrics', { network: networkOf(delivery.channelId), id: delivery.externalId, metrics: SET[networkOf(delivery.channelId)].mock });
      expect(set.status).toBe(200);
    }
    expect((await mock('PUT', '/_mock/metrics', { network: 'x', id: '1', metrics: { likes: 3 } })).status).toBe(400);

    // On demand: read now, at most once a minute.
    const refresh = await api('POST', `/v1/posts/${created.body.id}/metrics/refresh`);
    expect(refresh.status).toBe(202);
    expect(refresh.body.deliveryIds).toHaveLength(5);
    const again = await api('POST', `/v1/posts/${created.body.id}/metrics/refresh`);
    expect(again.status).toBe(429);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);

    const refreshed = await waitFor('a refresh snapshot of each delivery', async () => {
      const deliveries = await metrics(created.body.id);
      return deliveries.every((delivery) => delivery.snapshots.some((snapshot) => snapshot.kind === 'refresh')) ? deliveries : undefined;
    });
    for (const delivery of refreshed) {
      const expected = SET[delivery.network as (typeof FIVE)[number]];
      expect({ network: delivery.network, figures: delivery.latest!.figures }).toEqual({ network: delivery.network, figures: { ...NONE, ...expected.read } });
      expect(delivery.latest!.engagements).toBe(expected.engagements);
      expect(delivery.latest!.extra).toEqual(expected.extra ?? {});
    }

    // The first scheduled snapshot; then X's likes grow before the second.
    await waitFor('the first scheduled snapshot of each', async () => (await metrics(created.body.id)).every((delivery) => delivery.snapshots.filter((snapshot) => snapshot.kind === 'scheduled').length >= 1), { timeoutMs: 20_000 });
    const xDelivery = post.deliveries.find((delivery: { channelId: string }) => networkOf(delivery.channelId) === 'x');
    expect((await mock('PUT', '/_mock/metrics', { network: 'x', id: xDelivery.externalId, metrics: { like_count: 90 } })).status).toBe(200);
    const done = await waitFor('the last scheduled snapshot of each', async () => {
      const deliveries = await metrics(created.body.id);
      return deliveries.every((delivery) => delivery.ended === 'done') ? deliveries : undefined;
    }, { timeoutMs: 20_000 });

    for (const delivery of done) {
      expect(delivery.snapshots.map((snapshot) => snapshot.kind)).toEqual(['refresh', 'scheduled', 'scheduled']);
      expect(delivery.nextSnapshotAt).toBeNull();
      expect(await rowsOf(delivery.deliveryId)).toBe(3);
      const times = delivery.snapshots.map((snapshot) => Date.parse(snapshot.takenAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
    const x = done.find((delivery) => delivery.network === 'x')!;
    expect(x.snapshots.map((snapshot) => snapshot.figures.likes)).toEqual([40, 40, 90]);
    expect(x.latest!.engagements).toBe(107);

    // The aggregates are the latest rows summed.
    const latest = done.map((delivery) => delivery.latest!);
    const impressions = latest.reduce((sum, snapshot) => sum + (snapshot.figures.impressions ?? 0), 0);
    const engagements = latest.reduce((sum, snapshot) => sum + snapshot.engagements, 0);
    const report = await api('GET', '/v1/analytics?groupBy=day&timezone=UTC');
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({ posts: 1, deliveries: 5, impressions, engagements, likes: latest.reduce((sum, snapshot) => sum + (snapshot.figures.likes ?? 0), 0) });
    // The rate counts only the deliveries whose network gives impressions (X and Instagram).
    expect(report.body.totals.engagementRate).toBeCloseTo((107 + 35) / 1500, 4);
    expect(report.body.periods).toHaveLength(1);
    expect(report.body.periods[0]).toMatchObject({ deliveries: 5, engagements });
    expect(report.body.channels).toHaveLength(5);

    const csv = await api('GET', '/v1/analytics?groupBy=day&timezone=UTC', undefined, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, line, ...rest] = String(csv.body).trim().split('\r\n');
    expect(rest).toEqual([]);
    const row = Object.fromEntries(header!.split(',').map((name, index) => [name, line!.split(',')[index]]));
    expect(row).toMatchObject({ period: report.body.periods[0].period, deliveries: '5', impressions: String(impressions), engagements: String(engagements) });

    const postCsv = await api('GET', `/v1/posts/${created.body.id}/metrics`, undefined, { accept: 'text/csv' });
    expect(String(postCsv.body).trim().split('\r\n')).toHaveLength(1 + 15);

    const top = await api('GET', '/v1/analytics/top?metric=likes&limit=2');
    expect(top.body.data.map((entry: { network: string; figures: Figures }) => [entry.network, entry.figures.likes])).toEqual([['x', 90], ['instagram', 25]]);

    const best = await api('GET', '/v1/analytics/best-times');
    expect(best.status).toBe(200);
    expect(best.body.sample).toBe(5);
    expect(best.body.best[0]).toMatchObject({ confidence: 'medium' });
    expect(best.body.cells.reduce((sum: number, cell: { posts: number }) => sum + cell.posts, 0)).toBe(5);

    // post.metrics: one signed event per snapshot (15), each with the snapshot's time and figures.
    const key = Buffer.from(String(optedIn.body.secret).slice('whsec_'.length), 'base64');
    const hooks = await waitFor('a post.metrics event per snapshot', async () => {
      const got = received.filter((hook) => hook.path === '/metrics');
      return got.length >= 15 ? got : undefined;
    }, { timeoutMs: 20_000 });
    const events = hooks.map((hook) => {
      const signed = createHmac('sha256', key).update(`${String(hook.headers['webhook-id'])}.${String(hook.headers['webhook-timestamp'])}.${hook.body}`).digest('base64');
      expect(hook.headers['webhook-signature']).toBe(`v1,${signed}`);
      return JSON.parse(hook.body) as { type: string; data: Record<string, unknown> };
    });
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['post.metrics']));
    const sent = (snapshotOf: DeliveryMetrics, snapshot: Snapshot) => ({
      postId: created.body.id,
      deliveryId: snapshotOf.deliveryId,
      channelId: snapshotOf.channelId,
      network: snapshotOf.network,
      externalId: snapshotOf.externalId,
      kind: snapshot.kind,
      takenAt: snapshot.takenAt,
      figures: snapshot.figures,
      engagements: snapshot.engagements,
      extra: snapshot.extra,
    });
    const order = (data: Record<string, unknown>) => `${String(data.deliveryId)} ${String(data.takenAt)}`;
    const expected = done.flatMap((delivery) => delivery.snapshots.map((snapshot) => sent(delivery, snapshot)));
    expect(events.map((event) => event.data).sort((a, b) => order(a).localeCompare(order(b)))).toEqual(expected.sort((a, b) => order(a).localeCompare(order(b))));
    const defaultDeliveries = await api('GET', `/v1/webhooks/${byDefault.body.id}/deliveries`);
    expect(defaultDeliveries.status).toBe(200);
    expect(defaultDeliveries.body.data.map((delivery: { type: string }) => delivery.type)).toContain('post.published');
    expect(defaultDeliveries.body.data.map((delivery: { type: string }) => delivery.type)).not.toContain('post.metrics');
    expect(received.filter((hook) => hook.path === '/default').map((hook) => JSON.parse(hook.body).type)).not.toContain('post.metrics');
  }, 90_000);
});

describe('analytics within the networks\' budgets', () => {
  let stack: InProcessStack;
  let apiKey: string;
  const { api, mock, published, metrics, rowsOf } = harness(
    () => stack,
    () => apiKey,
  );

  beforeAll(async () => {
    // Snapshots an hour away: the test says when they are due.
    stack = await InProcessStack.start({ env: { ANALYTICS_SNAPSHOTS: '1h', ANALYTICS_TICK: '200ms', NETWORK_QUOTAS: 'x=off' } });
    ({ apiKey } = await stack.workspace('analytics-budgets'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("reads X's figures 100 posts a call", async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: `batch_${Date.now().toString(36)}` });
    const posts = Array.from({ length: 100 }, (_, index) => ({ text: `batched ${index}`, channelIds: [channel.id], schedule: { mode: 'now' } }));
    expect((await api('POST', '/v1/posts/bulk', { posts })).body.created).toBe(100);
    const followed = async () => Number((await stack.db.query(`SELECT count(*)::int AS n FROM metric_schedules WHERE channel_id = $1`, [channel.id])).rows[0].n);
    await waitFor('100 posts published and followed', async () => (await followed()) === 100, { timeoutMs: 60_000 });
    expect((await mock('DELETE', '/_mock/calls')).status).toBe(204);
    await stack.db.query(`UPDATE metric_schedules SET next_at = now() WHERE channel_id = $1`, [channel.id]);
    await waitFor('100 snapshots', async () => Number((await stack.db.query(`SELECT count(*)::int AS n FROM metric_snapshots WHERE channel_id = $1`, [channel.id])).rows[0].n) === 100, { timeoutMs: 20_000 });
    const calls = (await mock('GET', `/_mock/calls?network=x&handle=${channel.handle}&path=/2/tweets`)).body.data.filter((call: { method: string }) => call.method === 'GET');
    expect(calls).toHaveLength(1);
  }, 90_000);

  it('waits for a rate-limited metrics read, and a post due meanwhile still goes out on time', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: `limited-${Date.now().toString(36)}.bsky.social` });
    const first = await api('POST', '/v1/posts', { text: 'Counted later', channelIds: [channel.id], schedule: { mode: 'now' } });
    await published(first.body.id);
    // The metrics read is refused once with a 429 asking for 4 s; nothing else of the account is.
    expect((await mock('PUT', '/_mock/faults', { network: 'bluesky', handle: channel.handle, path: '/xrpc/app.bsky.feed.getPosts', status: 429, retryAfter: 4, times: 1 })).status).toBeLessThan(300);
    const refusedAt = Date.now();
    expect((await api('POST', `/v1/posts/${first.body.id}/metrics/refresh`)).status).toBe(202);
    const dueAt = new Date(Date.now() + 1500);
    const second = await api('POST', '/v1/posts', { text: 'Due meanwhile', channelIds: [channel.id], schedule: { mode: 'at', at: dueAt.toISOString() } });
    expect(second.status).toBe(201);
    const out = await published(second.body.id);
    // On time: not held for the metrics read's 4 s.
    expect(Date.parse(out.deliveries[0].publishedAt) - dueAt.getTime()).toBeLessThan(2000);
    const [delivery] = await metrics(first.body.id);
    expect(delivery!.snapshots).toHaveLength(0);
    const snapshot = await waitFor('the snapshot after the reset', async () => (await metrics(first.body.id))[0]!.latest ?? undefined, { timeoutMs: 20_000 });
    expect(Date.parse(snapshot.takenAt) - refusedAt).toBeGreaterThanOrEqual(3500);
    const reads = (await mock('GET', `/_mock/calls?network=bluesky&handle=${channel.handle}&path=/xrpc/app.bsky.feed.getPosts`)).body.data;
    // Refused once, then read once after the reset: never asked again meanwhile.
    expect(reads.map((call: { status: number }) => call.status)).toEqual([429, 200]);
  }, 60_000);

  it("reads X's non-public figures of a post under 30 days old, and only the public ones of an older post", async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: `aged_${Date.now().toString(36)}` });
    const ids: string[] = [];
    for (const text of ['fresh', 'aged']) {
      const created = await api('POST', '/v1/posts', { text, channelIds: [channel.id], schedule: { mode: 'now' } });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const [fresh, aged] = await Promise.all(ids.map((id) => published(id)));
    for (const post of [fresh, aged]) {
      expect((await mock('PUT', '/_mock/metrics', { network: 'x', id: post.deliveries[0].externalId, metrics: { like_count: 8, url_link_clicks: 3, user_profile_clicks: 2 } })).status).toBe(200);
    }
    await waitFor('both followed', async () => Number((await stack.db.query(`SELECT count(*)::int AS n FROM metric_schedules WHERE channel_id = $1`, [channel.id])).rows[0].n) === 2);
    // Herald holds the second as published 31 days ago: X would refuse its non-public figures, so they are not asked for.
    await stack.db.query(`UPDATE metric_schedules SET published_at = now() - interval '31 days' WHERE delivery_id = $1`, [aged.deliveries[0].id]);
    expect((await mock('DELETE', '/_mock/calls')).status).toBe(204);
    await stack.db.query(`UPDATE metric_schedules SET next_at = now() WHERE channel_id = $1`, [channel.id]);
    const [freshRead] = await waitFor('the fresh post read', async () => ((await metrics(fresh.id))[0]!.latest ? metrics(fresh.id) : undefined));
    const [agedRead] = await waitFor('the aged post read', async () => ((await metrics(aged.id))[0]!.latest ? metrics(aged.id) : undefined));
    expect(freshRead!.latest).toMatchObject({ figures: { likes: 8, clicks: 3 }, engagements: expect.any(Number), extra: { user_profile_clicks: 2 } });
    expect(agedRead!.latest).toMatchObject({ figures: { likes: 8, clicks: null }, extra: {} });
    expect(agedRead!.latest!.engagements).toBe(freshRead!.latest!.engagements - 3);
    // A call each: never a field X refuses.
    const calls = (await mock('GET', `/_mock/calls?network=x&handle=${channel.handle}&path=/2/tweets`)).body.data.filter((call: { method: string }) => call.method === 'GET');
    expect(calls.map((call: { status: number }) => call.status)).toEqual([200, 200]);
  }, 60_000);

  it('ends the snapshots of a post deleted on its network, and marks it so', async () => {
    const handle = `deleted_${Date.now().toString(36)}`;
    const channel = await stack.channel(apiKey, { network: 'x', handle });
    const created = await api('POST', '/v1/posts', { text: 'Soon gone', channelIds: [channel.id], schedule: { mode: 'now' } });
    const post = await published(created.body.id);
    expect((await api('POST', `/v1/posts/${created.body.id}/metrics/refresh`)).status).toBe(202);
    await waitFor('a first snapshot', async () => (await metrics(created.body.id))[0]!.snapshots.length === 1);
    const token = (await mock('POST', '/_mock/tokens', { network: 'x', handle })).body.accessToken;
    const gone = await http('DELETE', `${stack.networkUrl('x')}/2/tweets/${post.deliveries[0].externalId}`, { token });
    expect(gone.status).toBe(200);
    await stack.db.query(`UPDATE metric_schedules SET next_at = now() WHERE channel_id = $1`, [channel.id]);
    const [ended] = await waitFor('snapshots ended', async () => {
      const deliveries = await metrics(created.body.id);
      return deliveries[0]!.ended === 'deleted' ? deliveries : undefined;
    });
    expect(ended!.snapshots).toHaveLength(1);
    expect(ended!.nextSnapshotAt).toBeNull();
    expect(await rowsOf(ended!.deliveryId)).toBe(1);
    await sleep(600);
    expect(await rowsOf(ended!.deliveryId)).toBe(1);
    // Nothing left to read: a refresh says so.
    await stack.db.query(`UPDATE metric_schedules SET refreshed_at = now() - interval '1 hour' WHERE channel_id = $1`, [channel.id]);
    expect((await api('POST', `/v1/posts/${created.body.id}/metrics/refresh`)).status).toBe(409);
  }, 60_000);
});
