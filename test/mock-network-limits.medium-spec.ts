/**
 * The mock networks' limits as a client meets them: the call log (what
 * reached each network, the calls faults failed and dropped included),
 * rate-limit budgets answered with each network's own headers and 429,
 * and the posting quotas Threads and Instagram enforce at their publish
 * step. (No Herald process: these are the mock's own promises.)
 */
import { http, sleep } from './support/http';
import { FileServer, image, startFileServer } from './support/mock-media-files';
import { MockNetworks, formPost, mockCalls, mockToken } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';

let mock: MockNetworks;
/** Serves the JPEG Instagram's containers fetch. */
let files: FileServer;

beforeAll(async () => {
  files = await startFileServer({ '/p.jpg': { type: 'image/jpeg', body: await image('jpeg', 100, 100) } });
  mock = await startMockNetworksInProcess();
});
afterAll(async () => {
  await Promise.all([mock?.stop(), files?.close()]);
});
afterEach(async () => {
  await Promise.all(['faults', 'ratelimits', 'quotas', 'calls', 'posts'].map((what) => http('DELETE', `${mock.controlUrl}/_mock/${what}`)));
});

const put = (what: string, body: unknown) => http('PUT', `${mock.controlUrl}/_mock/${what}`, { body });
const nowSeconds = () => Date.now() / 1000;

describe('the call log', () => {
  it('counts the calls each network received by status, the ones faults failed or dropped included, newest last; not the control surface', async () => {
    const x = await mockToken(mock, 'x', 'carla');
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken })).status).toBe(200);
    await put('faults', { network: 'x', handle: 'carla', status: 503 });
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken })).status).toBe(503);
    await http('DELETE', `${mock.controlUrl}/_mock/faults`);
    await put('faults', { network: 'x', handle: 'carla', dropAfterAccept: true });
    await expect(http('POST', `${mock.urls.x}/2/tweets`, { token: x.accessToken, body: { text: 'accepted, never answered' } })).rejects.toThrow();
    await http('DELETE', `${mock.controlUrl}/_mock/faults`);
    // The token endpoint's calls are logged too (without a handle).
    expect((await formPost(`${mock.urls.x}/2/oauth2/token`, { grant_type: 'refresh_token', refresh_token: x.refreshToken! }, { authorization: `Basic ${Buffer.from('herald-demo:herald-demo-secret').toString('base64')}` })).status).toBe(200);
    expect((await http('GET', `${mock.urls.x}/2/nowhere`)).status).toBe(404);

    const log = await mockCalls(mock, { network: 'x' });
    expect(log).toEqual({
      count: 5,
      byStatus: { 200: 2, 503: 1, 0: 1, 404: 1 },
      byOutcome: { fault: 1, dropped: 1 },
      data: [
        { at: expect.any(String), network: 'x', handle: 'carla', method: 'GET', path: '/2/users/me', status: 200 },
        { at: expect.any(String), network: 'x', handle: 'carla', method: 'GET', path: '/2/users/me', status: 503, outcome: 'fault' },
        { at: expect.any(String), network: 'x', handle: 'carla', method: 'POST', path: '/2/tweets', status: 0, outcome: 'dropped' },
        { at: expect.any(String), network: 'x', method: 'POST', path: '/2/oauth2/token', status: 200 },
        { at: expect.any(String), network: 'x', method: 'GET', path: '/2/nowhere', status: 404 },
      ],
    });
    const times = log.data.map((entry) => Date.parse(entry.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.every((time) => time <= Date.now() && time > Date.now() - 60_000)).toBe(true);
    expect((await mockCalls(mock, { handle: 'carla', path: '/2/users/me' })).count).toBe(2);
    // The control surface's own calls (the token, the faults, these reads) are not in it.
    expect((await mockCalls(mock)).data.some((entry) => entry.path.startsWith('/_mock'))).toBe(false);
  });

  it('filters by Mastodon instance, handle and since; DELETE empties it; a bad query is a 400 naming the filter', async () => {
    const one = await mockToken(mock, 'mastodon', 'milo', mock.urls.mastodon);
    const two = await mockToken(mock, 'mastodon', 'milo', mock.urls['mastodon-two']);
    await http('GET', `${mock.urls.mastodon}/api/v1/accounts/verify_credentials`, { token: one.accessToken });
    await sleep(5);
    const since = new Date().toISOString();
    await http('GET', `${mock.urls['mastodon-two']}/api/v1/accounts/verify_credentials`, { token: two.accessToken });
    await http('GET', `${mock.urls['mastodon-two']}/api/v1/accounts/verify_credentials`, { token: 'not-a-token' });
    expect(await mockCalls(mock, { network: 'mastodon', instance: 'one' })).toMatchObject({ count: 1, data: [{ instance: 'one', handle: 'milo', status: 200 }] });
    expect(await mockCalls(mock, { network: 'mastodon', since })).toMatchObject({
      count: 2,
      byStatus: { 200: 1, 401: 1 },
      data: [
        { instance: 'two', handle: 'milo', status: 200 },
        { instance: 'two', status: 401 },
      ],
    });
    expect((await mockCalls(mock, { handle: 'milo' })).count).toBe(2);

    expect(await http('GET', `${mock.controlUrl}/_mock/calls?since=yesterday&instance=three`)).toMatchObject({
      status: 400,
      body: { problems: ['instance must be the name of a Mastodon instance: "one" or "two"', 'since must be an ISO 8601 time with its zone, such as 2025-01-31T12:00:00.000Z'] },
    });
    expect((await http('DELETE', `${mock.controlUrl}/_mock/calls`)).status).toBe(204);
    expect(await mockCalls(mock)).toEqual({ count: 0, byStatus: {}, byOutcome: {}, data: [] });
  });
});

describe('rate-limit budgets', () => {
  it('Mastodon, one instance: "remaining 1, reset in 3 s" answers 200 with remaining 0, then 429 until the reset, then a whole window', async () => {
    const two = await mockToken(mock, 'mastodon', 'rosa', mock.urls['mastodon-two']);
    const one = await mockToken(mock, 'mastodon', 'rosa', mock.urls.mastodon);
    const rule = await put('ratelimits', { network: 'mastodon', instance: 'two', limit: 300, windowSeconds: 300, remaining: 1, resetInSeconds: 3 });
    expect(rule).toMatchObject({ status: 201, body: { id: expect.any(String), network: 'mastodon', instance: 'two', limit: 300, windowSeconds: 300, remaining: 1, resetInSeconds: 3, setAt: expect.any(String) } });
    const verify = (url: string, token: string) => http('GET', `${url}/api/v1/accounts/verify_credentials`, { token });

    const first = await verify(mock.urls['mastodon-two'], two.accessToken);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('300');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = first.headers.get('x-ratelimit-reset')!;
    expect(reset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(reset)).toBeGreaterThan(Date.now());
    expect(Date.parse(reset)).toBeLessThanOrEqual(Date.now() + 3000);

    const spent = await verify(mock.urls['mastodon-two'], two.accessToken);
    expect(spent).toMatchObject({ status: 429, body: { error: 'Too many requests' } });
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(spent.headers.get('x-ratelimit-reset')).toBe(reset);
    expect(Number(spent.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(spent.headers.get('retry-after'))).toBeLessThanOrEqual(3);
    // Every call of the account counts, posting too; instance one is not limited.
    expect((await http('POST', `${mock.urls['mastodon-two']}/api/v1/statuses`, { token: two.accessToken, body: { status: 'too soon' } })).status).toBe(429);
    const elsewhere = await verify(mock.urls.mastodon, one.accessToken);
    expect(elsewhere.status).toBe(200);
    // Instance one has Mastodon's documented budget: 300 calls per 5 minutes.
    expect([elsewhere.headers.get('x-ratelimit-limit'), elsewhere.headers.get('x-ratelimit-remaining')]).toEqual(['300', '299']);

    expect(await mockCalls(mock, { network: 'mastodon', instance: 'two' })).toMatchObject({ count: 3, byStatus: { 200: 1, 429: 2 }, byOutcome: { ratelimited: 2 } });
    expect((await http('GET', `${mock.controlUrl}/_mock/posts?network=mastodon&handle=rosa`)).body.data).toEqual([]);
    expect((await http('GET', `${mock.controlUrl}/_mock/ratelimits`)).body.data).toEqual([expect.objectContaining({ instance: 'two', windows: [{ handle: 'rosa', instance: 'two', remaining: 0, resetAt: reset }] })]);

    await sleep(Math.max(0, Date.parse(reset) - Date.now()) + 50);
    const renewed = await verify(mock.urls['mastodon-two'], two.accessToken);
    expect(renewed.status).toBe(200);
    expect(renewed.headers.get('x-ratelimit-remaining')).toBe('299');
    const next = Date.parse(renewed.headers.get('x-ratelimit-reset')!);
    expect(next).toBeGreaterThan(Date.now() + 299_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 300_000);

    expect((await http('DELETE', `${mock.controlUrl}/_mock/ratelimits`)).status).toBe(204);
    // The rule gone, the documented budget applies, a whole window.
    const documented = await verify(mock.urls['mastodon-two'], two.accessToken);
    expect([documented.headers.get('x-ratelimit-limit'), documented.headers.get('x-ratelimit-remaining')]).toEqual(['300', '299']);
  });

  it("X: x-rate-limit-* with the reset in epoch seconds on every call of the account (uploads too), X's 429 when spent", async () => {
    const x = await mockToken(mock, 'x', 'xena');
    await put('ratelimits', { network: 'x', handle: 'xena', limit: 3, windowSeconds: 60 });
    const first = await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-rate-limit-limit')).toBe('3');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
    const reset = Number(first.headers.get('x-rate-limit-reset'));
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset).toBeGreaterThanOrEqual(Math.floor(nowSeconds()) + 59);
    expect(reset).toBeLessThanOrEqual(Math.ceil(nowSeconds()) + 60);
    const form = new FormData();
    form.set('media', new Blob([await image('png', 8, 8)], { type: 'image/png' }), 'a.png');
    form.set('media_category', 'tweet_image');
    const response = await fetch(`${mock.urls.x}/2/media/upload`, { method: 'POST', headers: { authorization: `Bearer ${x.accessToken}` }, body: form });
    const upload = { status: response.status, headers: response.headers };
    expect(upload.status).toBe(200);
    expect(upload.headers.get('x-rate-limit-remaining')).toBe('1');
    const posted = await http('POST', `${mock.urls.x}/2/tweets`, { token: x.accessToken, body: { text: 'the last one' } });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('x-rate-limit-remaining')).toBe('0');

    const spent = await http('POST', `${mock.urls.x}/2/tweets`, { token: x.accessToken, body: { text: 'one too many' } });
    expect(spent).toMatchObject({ status: 429, body: { title: 'Too Many Requests', status: 429 } });
    expect(spent.headers.get('x-rate-limit-limit')).toBe('3');
    expect(spent.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(spent.headers.get('x-rate-limit-reset'))).toBe(reset);
    expect(Number(spent.headers.get('retry-after'))).toBeGreaterThanOrEqual(58);
    expect(Number(spent.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await http('GET', `${mock.controlUrl}/_mock/posts?network=x&handle=xena`)).body.data.map((post: { text: string }) => post.text)).toEqual(['the last one']);
    // Another account of X has X's documented budget for the endpoint: GET /2/users/me, 75 per 15 minutes.
    const other = await http('GET', `${mock.urls.x}/2/users/me`, { token: (await mockToken(mock, 'x', 'other')).accessToken });
    expect([other.headers.get('x-rate-limit-limit'), other.headers.get('x-rate-limit-remaining')]).toEqual(['75', '74']);
  });

  it('a fault still answers while a budget applies, with the budget\'s true headers; the call counts against the budget', async () => {
    const x = await mockToken(mock, 'x', 'faye');
    await put('ratelimits', { network: 'x', limit: 10, windowSeconds: 60 });
    await put('faults', { network: 'x', status: 503 });
    const failed = await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('x-rate-limit-remaining')).toBe('9');
    await http('DELETE', `${mock.controlUrl}/_mock/faults`);
    await put('faults', { network: 'x', status: 429, retryAfter: 7 });
    const limited = await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-rate-limit-limit')).toBe('10');
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('8');
    expect(await mockCalls(mock, { network: 'x', handle: 'faye' })).toMatchObject({ count: 2, byOutcome: { fault: 2 } });
  });

  it("Bluesky: RateLimit-* (reset in epoch seconds) and RateLimit-Policy; the PDS's RateLimitExceeded when spent", async () => {
    const bluesky = await mockToken(mock, 'bluesky', 'bea.bsky.social');
    await put('ratelimits', { network: 'bluesky', handle: 'bea.bsky.social', limit: 2, windowSeconds: 120 });
    const list = () => http('GET', `${mock.urls.bluesky}/xrpc/com.atproto.repo.listRecords?repo=bea.bsky.social&collection=app.bsky.feed.post`, { token: bluesky.accessToken });
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.headers.get('ratelimit-policy')).toBe('2;w=120');
    const reset = Number(first.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(nowSeconds()) + 119);
    expect(reset).toBeLessThanOrEqual(Math.ceil(nowSeconds()) + 120);
    expect((await list()).headers.get('ratelimit-remaining')).toBe('0');
    const spent = await list();
    expect(spent).toMatchObject({ status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } });
    expect(spent.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(spent.headers.get('ratelimit-reset'))).toBe(reset);
    expect(Number(spent.headers.get('retry-after'))).toBeGreaterThanOrEqual(118);
  });

  it('LinkedIn: no rate-limit headers, its own 429 when spent; Meta: X-App-Usage as a percentage, Graph code 4 when spent', async () => {
    const linkedin = await mockToken(mock, 'linkedin', 'lena');
    await put('ratelimits', { network: 'linkedin', limit: 1, windowSeconds: 86400 });
    const first = await http('GET', `${mock.urls.linkedin}/v2/userinfo`, { token: linkedin.accessToken });
    expect(first.status).toBe(200);
    expect([...first.headers.keys()].filter((name) => /rate-?limit/i.test(name))).toEqual([]);
    const spent = await http('GET', `${mock.urls.linkedin}/v2/userinfo`, { token: linkedin.accessToken });
    expect(spent).toMatchObject({ status: 429, body: { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS' } });
    expect([...spent.headers.keys()].filter((name) => /rate-?limit/i.test(name))).toEqual([]);

    const threads = await mockToken(mock, 'threads', 'theo');
    await put('ratelimits', { network: 'threads', handle: 'theo', limit: 4, windowSeconds: 3600 });
    const me = () => http('GET', `${mock.urls.threads}/v1.0/me?fields=id,username&access_token=${threads.accessToken}`);
    const usage = async () => {
      const answer = await me();
      return { status: answer.status, body: answer.body, usage: JSON.parse(answer.headers.get('x-app-usage') ?? 'null') };
    };
    expect(await usage()).toMatchObject({ status: 200, usage: { call_count: 25, total_cputime: 0, total_time: 0 } });
    expect((await usage()).usage.call_count).toBe(50);
    expect((await usage()).usage.call_count).toBe(75);
    expect((await usage()).usage.call_count).toBe(100);
    expect(await usage()).toMatchObject({ status: 429, body: { error: { type: 'OAuthException', code: 4, message: '(#4) Application request limit reached' } }, usage: { call_count: 100 } });
  });

  it('a bad rule is a 400 naming the field; GET lists the rules', async () => {
    expect(await put('ratelimits', { network: 'mastodon', instance: 'three', windowSeconds: 0, remaining: -1 })).toMatchObject({
      status: 400,
      body: {
        problems: [
          'instance must be the name of a Mastodon instance: "one" or "two"',
          'limit is required',
          'windowSeconds must be an integer from 1 to 604800',
          'remaining must be an integer from 0 to limit',
        ],
      },
    });
    expect(await put('ratelimits', { network: 'x', instance: 'one', limit: 5, windowSeconds: 60 })).toMatchObject({ status: 400, body: { problems: ['instance applies to network "mastodon" only'] } });
    expect(await put('ratelimits', { network: 'x', limit: 5, windowSeconds: 60, resetInSeconds: 0 })).toMatchObject({ status: 400, body: { problems: ['resetInSeconds must be a number of seconds above 0, at most 604800'] } });
    await put('ratelimits', { network: 'x', limit: 5, windowSeconds: 60 });
    expect((await http('GET', `${mock.controlUrl}/_mock/ratelimits`)).body).toEqual({ data: [{ id: expect.any(String), network: 'x', limit: 5, windowSeconds: 60, setAt: expect.any(String), windows: [] }] });
  });
});

describe('posting quotas', () => {
  const threadsPublish = async (token: string, text: string) => {
    const container = await http('POST', `${mock.urls.threads}/v1.0/me/threads?media_type=TEXT&text=${encodeURIComponent(text)}&access_token=${token}`);
    return http('POST', `${mock.urls.threads}/v1.0/me/threads_publish?creation_id=${container.body.id}&access_token=${token}`);
  };

  it('Threads refuses the 251st post in 24 hours (Graph code 9, subcode 2207042); threads_publishing_limit tells the usage', async () => {
    const { accessToken } = await mockToken(mock, 'threads', 'tara');
    for (let index = 1; index <= 250; index += 1) {
      const published = await threadsPublish(accessToken, `post ${index}`);
      if (published.status !== 200) throw new Error(`post ${index}: ${published.status} ${JSON.stringify(published.body)}`);
    }
    const limit = await http('GET', `${mock.urls.threads}/v1.0/me/threads_publishing_limit?fields=quota_usage,config&access_token=${accessToken}`);
    expect(limit).toMatchObject({ status: 200, body: { data: [{ quota_usage: 250, config: { quota_total: 250, quota_duration: 86400 } }] } });
    const refused = await threadsPublish(accessToken, 'post 251');
    expect(refused).toMatchObject({ status: 400, body: { error: { type: 'OAuthException', code: 9, error_subcode: 2207042, is_transient: false, fbtrace_id: expect.any(String) } } });
    expect((await http('GET', `${mock.controlUrl}/_mock/posts?network=threads&handle=tara`)).body.data).toHaveLength(250);
    expect(await mockCalls(mock, { network: 'threads', handle: 'tara', path: '/v1.0/me/threads_publish' })).toMatchObject({ count: 251, byStatus: { 200: 250, 400: 1 }, byOutcome: { quota: 1 } });
    // Another account has its own quota.
    expect((await threadsPublish((await mockToken(mock, 'threads', 'tom')).accessToken, 'hello')).status).toBe(200);
  });

  it("Instagram: content_publishing_limit in the real shape; PUT /_mock/quotas sets an account's quota_total; media_publish refused past it", async () => {
    const { accessToken, accountId } = await mockToken(mock, 'instagram', 'ivy');
    const limit = async (fields = 'quota_usage,config') => (await http('GET', `${mock.urls.instagram}/v21.0/${accountId}/content_publishing_limit?${fields ? `fields=${fields}&` : ''}access_token=${accessToken}`)).body;
    expect(await limit()).toEqual({ data: [{ quota_usage: 0, config: { quota_total: 100, quota_duration: 86400 } }] });
    expect(await limit('')).toEqual({ data: [{ quota_usage: 0 }] });

    expect(await put('quotas', { network: 'instagram', handle: 'ivy', quotaTotal: 2 })).toMatchObject({ status: 201, body: { id: expect.any(String), network: 'instagram', handle: 'ivy', quotaTotal: 2 } });
    const publish = async (caption: string) => {
      const container = await http('POST', `${mock.urls.instagram}/v21.0/${accountId}/media?image_url=${encodeURIComponent(files.url('/p.jpg'))}&caption=${encodeURIComponent(caption)}&access_token=${accessToken}`);
      return http('POST', `${mock.urls.instagram}/v21.0/${accountId}/media_publish?creation_id=${container.body.id}&access_token=${accessToken}`);
    };
    expect((await publish('one')).status).toBe(200);
    expect((await publish('two')).status).toBe(200);
    expect(await publish('three')).toMatchObject({
      status: 400,
      body: { error: { type: 'OAuthException', code: 9, error_subcode: 2207042, error_user_msg: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.' } },
    });
    expect(await limit()).toEqual({ data: [{ quota_usage: 2, config: { quota_total: 2, quota_duration: 86400 } }] });
    expect((await http('GET', `${mock.controlUrl}/_mock/quotas`)).body).toEqual({
      data: [{ id: expect.any(String), network: 'instagram', handle: 'ivy', quotaTotal: 2 }],
      defaults: { threads: 250, instagram: 100 },
      quotaDurationSeconds: 86400,
    });
    // Another account keeps the default.
    const other = await mockToken(mock, 'instagram', 'otto');
    expect((await http('GET', `${mock.urls.instagram}/v21.0/me/content_publishing_limit?fields=config&access_token=${other.accessToken}`)).body).toEqual({ data: [{ config: { quota_total: 100, quota_duration: 86400 } }] });

    expect((await http('DELETE', `${mock.controlUrl}/_mock/quotas`)).status).toBe(204);
    expect((await publish('three, again')).status).toBe(200);
    expect((await limit()).data[0]).toEqual({ quota_usage: 3, config: { quota_total: 100, quota_duration: 86400 } });
  });

  it('a bad quota rule is a 400 naming the field', async () => {
    expect(await put('quotas', { network: 'x', quotaTotal: 1.5 })).toMatchObject({
      status: 400,
      body: { problems: ['network must be one of threads, instagram (the networks with a posting quota)', 'quotaTotal must be an integer from 0 to 100000'] },
    });
    expect(await put('quotas', { network: 'instagram', handle: 7 })).toMatchObject({ status: 400, body: { problems: ['handle must be a non-empty string', 'quotaTotal is required'] } });
  });
});
