/**
 * The mock networks alone, over HTTP, as a network's client meets them: each
 * network at an origin of its own, OAuth with PKCE (codes single-use and
 * short-lived, refresh tokens rotating), Mastodon apps per instance, the
 * consent and token faults, Bluesky sessions and records checked as a PDS
 * checks them. (No Herald process: these are the mock's own promises.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { http, sleep } from './support/http';
import { MockNetworks, basic, consent, formPost } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';
import { DESCRIBED_NETWORKS } from '@herald/channels';

const CLIENT = { id: 'herald-demo', secret: 'herald-demo-secret' };
const REDIRECT = 'http://127.0.0.1:9/callback';
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const json = (method: string, url: string, body: unknown, token?: string) => http(method, url, { body, ...(token ? { token } : {}) });

let mock: MockNetworks;
/** A mock whose codes and access tokens live one second. */
let brief: MockNetworks;

beforeAll(async () => {
  [mock, brief] = await Promise.all([startMockNetworksInProcess(), startMockNetworksInProcess({ MOCK_OAUTH_CODE_TTL_SECONDS: '1', MOCK_ACCESS_TOKEN_TTL_SECONDS: '1' })]);
});
afterAll(async () => {
  await Promise.all([mock?.stop(), brief?.stop()]);
});
afterEach(async () => {
  await http('DELETE', `${mock.controlUrl}/_mock/faults`);
});

async function xAuthorize(networks: MockNetworks, handle: string, challenge: string, scope = 'tweet.read tweet.write users.read offline.access') {
  const url = new URL('/i/oauth2/authorize', networks.urls.x);
  const query = { response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope, state: `st-${handle}`, code_challenge: challenge, code_challenge_method: 'S256', login_hint: handle };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return consent(url.toString());
}

const xToken = (networks: MockNetworks, fields: Record<string, string>, secret = CLIENT.secret) =>
  formPost(`${networks.urls.x}/2/oauth2/token`, { redirect_uri: REDIRECT, ...fields }, { authorization: basic(CLIENT.id, secret) });

describe('the mock networks, each at an origin of its own', () => {
  it('lists every network (two Mastodon instances) at distinct origins, Bluesky with its PLC directory', () => {
    // The seven, then each network that describes itself, each at its own origin.
    const described = DESCRIBED_NETWORKS.map((descriptor) => descriptor.network);
    expect(mock.listed.map((entry) => entry.network)).toEqual(['x', 'bluesky', 'mastodon', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook', ...described]);
    const origins = new Set([...mock.listed.map((entry) => entry.baseUrl), mock.urls.plc, mock.controlUrl]);
    expect(origins.size).toBe(10 + described.length);
    for (const entry of mock.listed) {
      expect(entry.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      if (entry.network === 'mastodon') expect(entry.instanceUrl).toBe(entry.baseUrl);
    }
  });

  it('X: authorize with PKCE and login_hint, token by Basic auth, refresh rotates and the old refresh token is refused', async () => {
    await http('DELETE', `${mock.controlUrl}/_mock/oauth`);
    const { verifier, challenge } = pkce();
    const back = await xAuthorize(mock, 'xavier', challenge);
    expect(back.status).toBe(302);
    expect(`${back.location!.origin}${back.location!.pathname}`).toBe(REDIRECT);
    expect(back.params).toEqual({ code: expect.any(String), state: 'st-xavier' });

    const token = await xToken(mock, { grant_type: 'authorization_code', code: back.params.code!, code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body).toEqual({ token_type: 'bearer', expires_in: 7200, access_token: expect.any(String), refresh_token: expect.any(String), scope: 'tweet.read tweet.write users.read offline.access' });
    const me = await http('GET', `${mock.urls.x}/2/users/me`, { token: token.body.access_token });
    expect(me.body.data).toEqual({ id: expect.stringMatching(/^\d+$/), name: 'Xavier', username: 'xavier' });

    const again = await xToken(mock, { grant_type: 'authorization_code', code: back.params.code!, code_verifier: verifier });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const refreshed = await xToken(mock, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);
    const reused = await xToken(mock, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' } });
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: refreshed.body.access_token })).status).toBe(200);

    const counts = (await http('GET', `${mock.controlUrl}/_mock/oauth?network=x`)).body.data;
    expect(counts).toEqual([
      { network: 'x', grantType: 'authorization_code', count: 2, refused: 1 },
      { network: 'x', grantType: 'refresh_token', count: 2, refused: 1 },
    ]);
  });

  it('X: a wrong verifier, a wrong secret, no PKCE, an unknown client are each refused', async () => {
    const { challenge } = pkce();
    const wrongVerifier = await xAuthorize(mock, 'wendy', challenge);
    expect(await xToken(mock, { grant_type: 'authorization_code', code: wrongVerifier.params.code!, code_verifier: pkce().verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const { verifier, challenge: second } = pkce();
    const wrongSecret = await xAuthorize(mock, 'wendy', second);
    expect(await xToken(mock, { grant_type: 'authorization_code', code: wrongSecret.params.code!, code_verifier: verifier }, 'not-the-secret')).toMatchObject({
      status: 401,
      body: { error: 'unauthorized_client' },
    });

    const noPkce = await consent(`${mock.urls.x}/i/oauth2/authorize?response_type=code&client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=tweet.read&state=s`);
    expect(noPkce.params).toMatchObject({ error: 'invalid_request', state: 's' });
    const stranger = await consent(`${mock.urls.x}/i/oauth2/authorize?response_type=code&client_id=someone-else&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=tweet.read`);
    expect(stranger.status).toBe(400);
  });

  it('X: a code past its 30 seconds (here 1) and an access token past its life are refused as X refuses them', async () => {
    const { verifier, challenge } = pkce();
    const late = await xAuthorize(brief, 'laura', challenge);
    const fresh = await xAuthorize(brief, 'laura', pkce().challenge);
    await sleep(1200);
    expect(await xToken(brief, { grant_type: 'authorization_code', code: late.params.code!, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/expired/) } });
    expect(fresh.params.code).toBeDefined();

    const issued = (await json('POST', `${brief.controlUrl}/_mock/tokens`, { network: 'x', handle: 'laura' })).body;
    expect((await http('GET', `${brief.urls.x}/2/users/me`, { token: issued.accessToken })).status).toBe(200);
    await sleep(1200);
    const expired = await http('GET', `${brief.urls.x}/2/users/me`, { token: issued.accessToken });
    expect(expired).toMatchObject({ status: 401, body: { title: 'Unauthorized', status: 401 } });
  });

  it('Mastodon: an app registered on instance one authorizes there (PKCE checked), and is unknown on instance two', async () => {
    const one = mock.urls.mastodon;
    const registered = await json('POST', `${one}/api/v1/apps`, { client_name: 'Herald', redirect_uris: REDIRECT, scopes: 'read write', website: 'https://herald.example' });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ name: 'Herald', scopes: ['read', 'write'], redirect_uris: [REDIRECT], client_id: expect.any(String), client_secret: expect.any(String), vapid_key: expect.any(String) });
    const { client_id, client_secret } = registered.body;
    const { verifier, challenge } = pkce();
    const authorizeUrl = (base: string) =>
      `${base}/oauth/authorize?response_type=code&client_id=${client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=read+write&state=m1&code_challenge=${challenge}&code_challenge_method=S256&login_hint=maria`;

    const back = await consent(authorizeUrl(one));
    expect(back.params).toEqual({ code: expect.any(String), state: 'm1' });
    const bad = await formPost(`${one}/oauth/token`, { grant_type: 'authorization_code', code: back.params.code!, client_id, client_secret, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const second = await consent(authorizeUrl(one));
    const token = await formPost(`${one}/oauth/token`, { grant_type: 'authorization_code', code: second.params.code!, client_id, client_secret, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(token.body).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer', scope: 'read write' });
    const me = await http('GET', `${one}/api/v1/accounts/verify_credentials`, { token: token.body.access_token });
    expect(me.body).toMatchObject({ username: 'maria', acct: 'maria', url: `${one}/@maria` });

    const two = mock.urls['mastodon-two'];
    expect((await consent(authorizeUrl(two))).status).toBe(401);
    expect(await formPost(`${two}/oauth/token`, { grant_type: 'authorization_code', code: 'x', client_id, client_secret, redirect_uri: REDIRECT })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await http('GET', `${two}/api/v1/accounts/verify_credentials`, { token: token.body.access_token })).status).toBe(401);
    expect((await http('GET', `${two}/.well-known/oauth-authorization-server`)).body.code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe('the mock Bluesky PDS', () => {
  const xrpc = (networks: MockNetworks, method: string) => `${networks.urls.bluesky}/xrpc/${method}`;
  const login = async (networks: MockNetworks, identifier: string, password = 'abcd-2345-efgh-6789') => json('POST', xrpc(networks, 'com.atproto.server.createSession'), { identifier, password });
  const createdAt = () => new Date().toISOString();

  it('createSession takes any handle with an app password, refuses another password, and names itself as the PDS', async () => {
    const session = await login(mock, 'Ada.bsky.social');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ handle: 'ada.bsky.social', did: expect.stringMatching(/^did:plc:[a-z2-7]{24}$/), active: true, accessJwt: expect.stringMatching(/^ey/), refreshJwt: expect.stringMatching(/^ey/) });
    expect(session.body.didDoc.service).toEqual([{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: mock.urls.bluesky }]);
    expect(await login(mock, 'ada.bsky.social', 'hunter2')).toMatchObject({ status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } });
    expect((await login(mock, session.body.did)).body.handle).toBe('ada.bsky.social');
    const plc = await http('GET', `${mock.urls.plc}/${session.body.did}`);
    expect(plc.body).toMatchObject({ id: session.body.did, alsoKnownAs: ['at://ada.bsky.social'], service: [{ serviceEndpoint: mock.urls.bluesky }] });
    expect((await http('GET', `${xrpc(mock, 'com.atproto.identity.resolveHandle')}?handle=ada.bsky.social`)).body).toEqual({ did: session.body.did });
  });

  it('an expired access token answers 400 ExpiredToken; refreshSession rotates and refuses the old refresh token', async () => {
    const session = (await login(brief, 'tim.bsky.social')).body;
    await sleep(1200);
    expect(await http('GET', xrpc(brief, 'com.atproto.server.getSession'), { token: session.accessJwt })).toMatchObject({ status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } });
    const refreshed = await http('POST', xrpc(brief, 'com.atproto.server.refreshSession'), { token: session.refreshJwt });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ did: session.did, handle: 'tim.bsky.social' });
    expect(refreshed.body.refreshJwt).not.toBe(session.refreshJwt);
    expect((await http('GET', xrpc(brief, 'com.atproto.server.getSession'), { token: refreshed.body.accessJwt })).status).toBe(200);
    expect(await http('POST', xrpc(brief, 'com.atproto.server.refreshSession'), { token: session.refreshJwt })).toMatchObject({ status: 400, body: { error: 'ExpiredToken' } });
  });

  it('createRecord takes facets as UTF-8 byte ranges and refuses malformed ones; getRecord reads by handle or DID', async () => {
    const { accessJwt, did } = (await login(mock, 'fay.bsky.social')).body;
    const text = 'café #herald https://herald.example';
    const facets = [
      { index: { byteStart: 6, byteEnd: 13 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'herald' }] },
      { index: { byteStart: 14, byteEnd: 36 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://herald.example' }] },
    ];
    const record = (extra: Record<string, unknown>) => ({ repo: did, collection: 'app.bsky.feed.post', record: { $type: 'app.bsky.feed.post', text, createdAt: createdAt(), ...extra } });
    const created = await json('POST', xrpc(mock, 'com.atproto.repo.createRecord'), { ...record({ facets }), rkey: '3kabcdefghij2' }, accessJwt);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ uri: `at://${did}/app.bsky.feed.post/3kabcdefghij2`, cid: expect.stringMatching(/^bafyrei[a-z2-7]{52}$/) });
    for (const repo of [did, 'fay.bsky.social']) {
      const read = await http('GET', `${xrpc(mock, 'com.atproto.repo.getRecord')}?repo=${repo}&collection=app.bsky.feed.post&rkey=3kabcdefghij2`);
      expect(read.body).toMatchObject({ uri: created.body.uri, cid: created.body.cid, value: { text, facets } });
    }
    const taken = await json('POST', xrpc(mock, 'com.atproto.repo.createRecord'), { ...record({}), rkey: '3kabcdefghij2' }, accessJwt);
    expect(taken.status).toBe(500);

    const pastTheText = [{ index: { byteStart: 14, byteEnd: 40 }, features: facets[1]!.features }];
    const insideACharacter = [{ index: { byteStart: 4, byteEnd: 13 }, features: facets[0]!.features }];
    for (const bad of [pastTheText, insideACharacter, [{ ...facets[0], features: [{ $type: 'app.bsky.richtext.facet#tag', tag: '#herald' }] }]]) {
      expect(await json('POST', xrpc(mock, 'com.atproto.repo.createRecord'), record({ facets: bad }), accessJwt)).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } });
    }
    const elsewhere = await json('POST', xrpc(mock, 'com.atproto.repo.createRecord'), { ...record({}), repo: 'someone.bsky.social' }, accessJwt);
    expect(elsewhere.status).toBe(401);
    const missing = await http('GET', `${xrpc(mock, 'com.atproto.repo.getRecord')}?repo=${did}&collection=app.bsky.feed.post&rkey=3kzzzzzzzzzz2`);
    expect(missing).toMatchObject({ status: 400, body: { error: 'RecordNotFound' } });
  });

  it('uploadBlob answers a raw-codec CID; an images embed needs that blob ref, and an image by URL is refused', async () => {
    const { accessJwt, did } = (await login(mock, 'gus.bsky.social')).body;
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const response = await fetch(xrpc(mock, 'com.atproto.repo.uploadBlob'), { method: 'POST', headers: { authorization: `Bearer ${accessJwt}`, 'content-type': 'image/png' }, body: png });
    const { blob } = (await response.json()) as { blob: Record<string, unknown> };
    expect(blob).toEqual({ $type: 'blob', ref: { $link: expect.stringMatching(/^bafkrei[a-z2-7]{52}$/) }, mimeType: 'image/png', size: png.length });
    const post = (image: unknown) =>
      json('POST', xrpc(mock, 'com.atproto.repo.createRecord'), {
        repo: did,
        collection: 'app.bsky.feed.post',
        record: { $type: 'app.bsky.feed.post', text: 'a pixel', createdAt: createdAt(), embed: { $type: 'app.bsky.embed.images', images: [{ image, alt: 'one pixel' }] } },
      }, accessJwt);
    expect((await post(blob)).status).toBe(200);
    expect(await post({ url: 'https://cdn.example/a.png' })).toMatchObject({ status: 400, body: { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: Expected blob value type' } });
    const posts = (await http('GET', `${mock.controlUrl}/_mock/posts?network=bluesky&handle=gus.bsky.social`)).body.data;
    expect(posts).toEqual([expect.objectContaining({ text: 'a pixel', media: [{ type: 'image', mimeType: 'image/png', size: png.length, width: 1, height: 1, alt: 'one pixel' }], embed: expect.any(Object) })]);
  });
});

describe('the mock LinkedIn, Threads and Facebook', () => {
  it('LinkedIn: the code for a 60-day token (same redirect_uri), the member, a post with its URN in x-restli-id', async () => {
    const back = await consent(`${mock.urls.linkedin}/oauth/v2/authorization?response_type=code&client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid%20profile%20w_member_social&state=l&login_hint=lin`);
    const exchange = (redirect: string) => formPost(`${mock.urls.linkedin}/oauth/v2/accessToken`, { grant_type: 'authorization_code', code: back.params.code!, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: redirect });
    expect(await exchange('http://127.0.0.1:9/elsewhere')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const again = await consent(`${mock.urls.linkedin}/oauth/v2/authorization?response_type=code&client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid%20profile%20w_member_social&login_hint=lin`);
    const token = await formPost(`${mock.urls.linkedin}/oauth/v2/accessToken`, { grant_type: 'authorization_code', code: again.params.code!, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT });
    expect(token.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 5184000, scope: 'openid,profile,w_member_social' });
    const me = (await http('GET', `${mock.urls.linkedin}/v2/userinfo`, { token: token.body.access_token })).body;
    const body = { author: `urn:li:person:${me.sub}`, commentary: 'Hello LinkedIn', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED' };
    const headers = { authorization: `Bearer ${token.body.access_token}`, 'linkedin-version': '202505', 'x-restli-protocol-version': '2.0.0' };
    const post = await http('POST', `${mock.urls.linkedin}/rest/posts`, { body, headers });
    expect(post.status).toBe(201);
    expect(post.headers.get('x-restli-id')).toMatch(/^urn:li:share:\d+$/);
    expect((await http('POST', `${mock.urls.linkedin}/rest/posts`, { body, token: token.body.access_token })).body).toMatchObject({ code: 'VERSION_MISSING' });
  });

  it('Threads: a short-lived token, exchanged for a long-lived one and refreshed, publishes a container', async () => {
    const back = await consent(`${mock.urls.threads}/oauth/authorize?client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=threads_basic,threads_content_publish&response_type=code&login_hint=thea`);
    const short = await formPost(`${mock.urls.threads}/oauth/access_token`, { client_id: CLIENT.id, client_secret: CLIENT.secret, grant_type: 'authorization_code', redirect_uri: REDIRECT, code: back.params.code! });
    expect(short.body).toEqual({ access_token: expect.any(String), user_id: expect.any(Number) });
    const long = await http('GET', `${mock.urls.threads}/access_token?grant_type=th_exchange_token&client_secret=${CLIENT.secret}&access_token=${short.body.access_token}`);
    expect(long.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 5184000 });
    const refreshed = await http('GET', `${mock.urls.threads}/refresh_access_token?grant_type=th_refresh_token&access_token=${long.body.access_token}`);
    const token = refreshed.body.access_token;
    const me = (await http('GET', `${mock.urls.threads}/v1.0/me?fields=id,username&access_token=${token}`)).body;
    expect(me).toEqual({ id: String(short.body.user_id), username: 'thea' });
    const container = await formPost(`${mock.urls.threads}/v1.0/${me.id}/threads`, { media_type: 'TEXT', text: 'Hello Threads', access_token: token });
    const published = await formPost(`${mock.urls.threads}/v1.0/${me.id}/threads_publish`, { creation_id: container.body.id, access_token: token });
    expect(published.body).toEqual({ id: expect.any(String) });
    expect((await http('GET', `${mock.urls.threads}/v1.0/${container.body.id}?fields=status&access_token=${token}`)).body).toEqual({ id: container.body.id, status: 'PUBLISHED' });
    expect((await http('GET', `${mock.urls.threads}/access_token?grant_type=th_exchange_token&client_secret=wrong&access_token=${token}`)).body.error).toMatchObject({ type: 'OAuthException', code: 1 });
    // Deleting needs threads_delete, which this consent did not grant.
    expect(await http('DELETE', `${mock.urls.threads}/v1.0/${published.body.id}?access_token=${token}`)).toMatchObject({ status: 403, body: { error: { code: 10 } } });
  });

  it('Facebook: /me/accounts names the Page with its token and Instagram account; the Page token posts to its feed', async () => {
    const { accessToken } = (await json('POST', `${mock.controlUrl}/_mock/tokens`, { network: 'facebook', handle: 'fiona' })).body;
    const pages = (await http('GET', `${mock.urls.facebook}/v21.0/me/accounts?access_token=${accessToken}`)).body.data;
    expect(pages).toEqual([expect.objectContaining({ id: expect.any(String), access_token: expect.any(String), instagram_business_account: { id: expect.any(String) } })]);
    const post = await formPost(`${mock.urls.facebook}/v21.0/${pages[0].id}/feed`, { message: 'Hello Facebook', access_token: pages[0].access_token });
    expect(post.body).toEqual({ id: expect.stringMatching(new RegExp(`^${pages[0].id}_`)) });
  });
});

describe('posts seeded in bulk (POST /_mock/posts/seed)', () => {
  const seed = (body: unknown) => http('POST', `${mock.controlUrl}/_mock/posts/seed`, { body });
  const tokenOf = async (network: string, handle: string, instanceUrl?: string) =>
    (await http('POST', `${mock.controlUrl}/_mock/tokens`, { body: { network, handle, ...(instanceUrl ? { instanceUrl } : {}) } })).body.accessToken as string;

  it('puts many posts on an X, Mastodon or Bluesky account at once, each found by its network\'s metrics read', async () => {
    const x = await seed({ network: 'x', handle: 'seeded_x', count: 150, text: 'seeded x' });
    expect(x.status).toBe(201);
    expect(x.body).toMatchObject({ network: 'x', handle: 'seeded_x', count: 150 });
    expect(new Set(x.body.ids).size).toBe(150);
    const xRead = await http('GET', `${mock.urls.x}/2/tweets?ids=${x.body.ids.slice(0, 100).join(',')}&tweet.fields=public_metrics`, { token: await tokenOf('x', 'seeded_x') });
    expect(xRead.status).toBe(200);
    expect(xRead.body.data).toHaveLength(100);
    expect(xRead.body.errors).toBeUndefined();
    expect(xRead.body.data[0]).toMatchObject({ id: x.body.ids[0], text: 'seeded x 1', public_metrics: { like_count: expect.any(Number) } });

    const mastodon = await seed({ network: 'mastodon', handle: 'seeded', instanceUrl: mock.urls.mastodon, count: 2 });
    expect(mastodon.status).toBe(201);
    const status = await http('GET', `${mock.urls.mastodon}/api/v1/statuses/${mastodon.body.ids[1]}`, { token: await tokenOf('mastodon', 'seeded') });
    expect(status.status).toBe(200);
    expect(status.body.favourites_count).toEqual(expect.any(Number));
    // Seeded on instance one: instance two does not have it.
    const elsewhere = await http('GET', `${mock.urls['mastodon-two']}/api/v1/statuses/${mastodon.body.ids[1]}`, { token: await tokenOf('mastodon', 'seeded', mock.urls['mastodon-two']) });
    expect(elsewhere.status).toBe(404);

    const bluesky = await seed({ network: 'bluesky', handle: 'Seeded.bsky.social', count: 25 });
    expect(bluesky.status).toBe(201);
    expect(bluesky.body.handle).toBe('seeded.bsky.social');
    expect(bluesky.body.ids[0]).toMatch(/^at:\/\/did:plc:[a-z2-7]{24}\/app\.bsky\.feed\.post\/[a-z2-7]{13}$/);
    const query = bluesky.body.ids.map((uri: string) => `uris=${encodeURIComponent(uri)}`).join('&');
    const posts = await http('GET', `${mock.urls.bluesky}/xrpc/app.bsky.feed.getPosts?${query}`, { token: await tokenOf('bluesky', 'seeded.bsky.social') });
    expect(posts.status).toBe(200);
    expect(posts.body.posts.map((post: { uri: string }) => post.uri)).toEqual(bluesky.body.ids);
    expect(posts.body.posts[0]).toMatchObject({ cid: expect.stringMatching(/^b/), author: { handle: 'seeded.bsky.social' }, likeCount: expect.any(Number) });
  });

  it('refuses a seed it cannot make, naming each problem', async () => {
    const answer = await seed({ network: 'linkedin', handle: '', count: 0 });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([expect.stringMatching(/^network must be one of x, mastodon, bluesky/), expect.stringMatching(/^handle/), expect.stringMatching(/^count must be an integer from 1 to 100000/)]);
    expect((await seed({ network: 'mastodon', handle: 'a', count: 1, instanceUrl: 'http://127.0.0.1:9' })).body.problems).toEqual([expect.stringMatching(/^instanceUrl must be one of/)]);
  });
});
