/**
 * The mock networks' fault rules as a client meets them: consent refused,
 * tokens expired or revoked (each network answering in its own words),
 * rate limits with each network's headers, a post accepted whose answer
 * never comes, and faults scoped to one Mastodon instance.
 */
import { createHash, randomBytes } from 'node:crypto';
import { http } from './support/http';
import { MockNetworks, basic, consent, formPost, mockCalls, mockToken } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';

const CLIENT = { id: 'herald-demo', secret: 'herald-demo-secret' };
const REDIRECT = 'http://127.0.0.1:9/callback';
const json = (method: string, url: string, body: unknown, token?: string) => http(method, url, { body, ...(token ? { token } : {}) });

let mock: MockNetworks;

beforeAll(async () => {
  mock = await startMockNetworksInProcess();
});
afterAll(async () => {
  await mock?.stop();
});
afterEach(async () => {
  await http('DELETE', `${mock.controlUrl}/_mock/faults`);
});

async function xAuthorize(networks: MockNetworks, handle: string, challenge: string) {
  const query = { response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope: 'tweet.read users.read offline.access', state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: handle };
  return consent(`${networks.urls.x}/i/oauth2/authorize?${new URLSearchParams(query).toString()}`);
}
const xToken = (networks: MockNetworks, fields: Record<string, string>) => formPost(`${networks.urls.x}/2/oauth2/token`, fields, { authorization: basic(CLIENT.id, CLIENT.secret) });
const pkce = () => createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
const issue = async (network: string, handle: string) => (await json('POST', `${mock.controlUrl}/_mock/tokens`, { network, handle })).body;

describe('fault rules at the mock networks', () => {
  it('denyConsent: the authorize endpoint sends the browser back with error=access_denied and the state', async () => {
    await json('PUT', `${mock.controlUrl}/_mock/faults`, { network: 'linkedin', denyConsent: true });
    const url = `${mock.urls.linkedin}/oauth/v2/authorization?response_type=code&client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid%20profile%20w_member_social&state=li1`;
    expect((await consent(url)).params).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'li1' });
    expect((await xAuthorize(mock, 'unaffected', pkce())).params.code).toBeDefined();
  });

  it('expireTokens: tokens issued so far answer as each network answers an expired token; later ones work', async () => {
    const x = await issue('x', 'eve');
    const threads = await issue('threads', 'eve');
    const linkedin = await issue('linkedin', 'eve');
    await json('PUT', `${mock.controlUrl}/_mock/faults`, { expireTokens: true });
    expect(await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken })).toMatchObject({ status: 401, body: { title: 'Unauthorized' } });
    expect(await http('GET', `${mock.urls.threads}/v1.0/me?fields=id,username&access_token=${threads.accessToken}`)).toMatchObject({
      status: 400,
      body: { error: { type: 'OAuthException', code: 190, error_subcode: 463 } },
    });
    expect(await http('GET', `${mock.urls.linkedin}/v2/userinfo`, { token: linkedin.accessToken })).toMatchObject({ status: 401, body: { serviceErrorCode: 65602 } });
    const refreshed = await xToken(mock, { grant_type: 'refresh_token', refresh_token: x.refreshToken });
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: refreshed.body.access_token })).status).toBe(200);
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: (await issue('x', 'eve')).accessToken })).status).toBe(200);
  });

  it("revokeToken: the account's tokens are refused from then on, refresh tokens included", async () => {
    const x = await issue('x', 'rita');
    const mastodon = await issue('mastodon', 'rita');
    const meta = await issue('instagram', 'rita');
    await json('PUT', `${mock.controlUrl}/_mock/faults`, { handle: 'rita', revokeToken: true });
    expect(await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken })).toMatchObject({ status: 401 });
    expect(await xToken(mock, { grant_type: 'refresh_token', refresh_token: x.refreshToken })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await http('GET', `${mock.urls.mastodon}/api/v1/accounts/verify_credentials`, { token: mastodon.accessToken })).toMatchObject({ status: 401, body: { error: 'The access token is invalid' } });
    expect(await http('GET', `${mock.urls.instagram}/v21.0/me?access_token=${meta.accessToken}`)).toMatchObject({ status: 400, body: { error: { code: 190, error_subcode: 460 } } });
  });

  it("429 answers carry each network's rate-limit headers", async () => {
    await json('PUT', `${mock.controlUrl}/_mock/faults`, { status: 429, retryAfter: 7 });
    const x = await http('GET', `${mock.urls.x}/2/users/me`, { token: (await issue('x', 'rudy')).accessToken });
    expect(x.status).toBe(429);
    expect(x.headers.get('retry-after')).toBe('7');
    expect(Number(x.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const mastodon = await http('GET', `${mock.urls.mastodon}/api/v1/accounts/verify_credentials`, { token: (await issue('mastodon', 'rudy')).accessToken });
    expect(mastodon).toMatchObject({ status: 429, body: { error: 'Too many requests' } });
    expect(Date.parse(mastodon.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now());
    const bluesky = await http('GET', `${mock.urls.bluesky}/xrpc/com.atproto.repo.listRecords?repo=rudy.bsky.social&collection=app.bsky.feed.post`);
    expect(bluesky).toMatchObject({ status: 429, body: { error: 'RateLimitExceeded' } });
    expect(bluesky.headers.get('ratelimit-limit')).toBeDefined();
    expect(Number(bluesky.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('instance: a fault fails only the Mastodon instance it names; the call log counts the calls it failed', async () => {
    const one = await mockToken(mock, 'mastodon', 'ines', mock.urls.mastodon);
    const two = await mockToken(mock, 'mastodon', 'ines', mock.urls['mastodon-two']);
    const x = await mockToken(mock, 'x', 'ines');
    const refused = await json('PUT', `${mock.controlUrl}/_mock/faults`, { network: 'mastodon', instance: 'three', status: 503 });
    expect(refused).toMatchObject({ status: 400, body: { problems: ['instance must be the name of a Mastodon instance: "one" or "two"'] } });
    const names = (await http('GET', `${mock.controlUrl}/_mock/networks`)).body.data.filter((entry: { instance?: string }) => entry.instance).map((entry: { instance: string }) => entry.instance);
    expect(names).toEqual(['one', 'two']);

    const rule = await json('PUT', `${mock.controlUrl}/_mock/faults`, { network: 'mastodon', instance: 'two', status: 503, message: 'instance two is down' });
    expect(rule).toMatchObject({ status: 201, body: { network: 'mastodon', instance: 'two', status: 503, failRate: 1 } });
    const since = new Date().toISOString();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await http('GET', `${mock.urls['mastodon-two']}/api/v1/accounts/verify_credentials`, { token: two.accessToken })).toMatchObject({ status: 503, body: { error: 'instance two is down' } });
    }
    expect(await http('POST', `${mock.urls['mastodon-two']}/api/v1/statuses`, { token: two.accessToken, body: { status: 'not on two' } })).toMatchObject({ status: 503 });
    expect(await http('GET', `${mock.urls.mastodon}/api/v1/accounts/verify_credentials`, { token: one.accessToken })).toMatchObject({ status: 200, body: { username: 'ines' } });
    expect(await http('POST', `${mock.urls.mastodon}/api/v1/statuses`, { token: one.accessToken, body: { status: 'on one' } })).toMatchObject({ status: 200 });
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: x.accessToken })).status).toBe(200);

    expect(await mockCalls(mock, { network: 'mastodon', instance: 'two', since })).toMatchObject({ count: 4, byStatus: { 503: 4 }, byOutcome: { fault: 4 } });
    expect(await mockCalls(mock, { network: 'mastodon', instance: 'one', since })).toMatchObject({ count: 2, byStatus: { 200: 2 } });
    expect((await http('GET', `${mock.controlUrl}/_mock/posts?network=mastodon&handle=ines`)).body.data.map((post: { text: string }) => post.text)).toEqual(['on one']);
  });

  it('dropAfterAccept: the post is stored and the connection closed before any answer; the message field words failures', async () => {
    const { accessToken } = await issue('x', 'dora');
    await json('PUT', `${mock.controlUrl}/_mock/faults`, { network: 'x', handle: 'dora', dropAfterAccept: true });
    await expect(http('POST', `${mock.urls.x}/2/tweets`, { token: accessToken, body: { text: 'lost answer' } })).rejects.toThrow();
    expect((await http('GET', `${mock.controlUrl}/_mock/posts?network=x&handle=dora`)).body.data).toEqual([expect.objectContaining({ text: 'lost answer' })]);
    await http('DELETE', `${mock.controlUrl}/_mock/faults`);
    await json('PUT', `${mock.controlUrl}/_mock/faults`, { network: 'x', status: 503, message: 'down for maintenance' });
    expect(await http('POST', `${mock.urls.x}/2/tweets`, { token: accessToken, body: { text: 'again' } })).toMatchObject({ status: 503, body: { detail: 'down for maintenance' } });
  });
});
