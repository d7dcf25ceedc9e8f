/**
 * The mock networks' limits as a client meets them: the call log (what
 * reached each network, the calls faults failed and dropped included).
 * (No Herald process: these are the mock's own promises.)
 */
import { http, sleep } from './support/http';
import { MockNetworks, formPost, mockCalls, mockToken, startMockNetworks } from './support/mock-networks';

let mock: MockNetworks;

beforeAll(async () => {
  mock = await startMockNetworks();
});
afterAll(async () => {
  await mock?.stop();
});
afterEach(async () => {
  await Promise.all(['faults', 'calls', 'posts'].map((what) => http('DELETE', `${mock.controlUrl}/_mock/${what}`)));
});

const put = (what: string, body: unknown) => http('PUT', `${mock.controlUrl}/_mock/${what}`, { body });

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
