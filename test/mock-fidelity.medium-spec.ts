/**
 * The mock answering as the networks do where clients look closely (issue
 * 35): the networks' documented rate limits and their headers on every
 * answer (X per endpoint, Mastodon's buckets, the PDS's global and write
 * points), scaled or lifted by a test; X's PKCE methods, its error body
 * for a post too long and a post's media in `includes`; Mastodon's and the
 * PDS's own words for a text too long; a Bluesky record's CID as atproto
 * computes it, named by the AppView's read too; LinkedIn's token
 * introspection; Graph's `fields` on a Page post and on IG media. Through
 * the networks' own clients where the project has one (xdk, AtpAgent,
 * masto), by request shape elsewhere. (No Herald process.)
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cidForLex } from '@atproto/lex-cbor';
import { jsonToLex } from '@atproto/lex-json';
import { http } from './support/http';
import { FileServer, image, startFileServer } from './support/mock-media-files';
import { MockNetworks, basic, consent, formPost, mockToken } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';

const run = promisify(execFile);
const CLIENT = { id: 'herald-demo', secret: 'herald-demo-secret' };
const REDIRECT = 'http://127.0.0.1:9/callback';
let mock: MockNetworks;
let files: FileServer;
let png: string;

beforeAll(async () => {
  files = await startFileServer({ '/a.jpg': { type: 'image/jpeg', body: await image('jpeg', 1080, 1080) } });
  png = join(tmpdir(), `mock-fidelity-${process.pid}.png`);
  writeFileSync(png, await image('png', 16, 16));
  mock = await startMockNetworksInProcess();
});
afterAll(async () => {
  await Promise.all([mock?.stop(), files?.close()]);
});
afterEach(async () => {
  await Promise.all(['faults', 'ratelimits'].map((what) => http('DELETE', `${mock.controlUrl}/_mock/${what}`)));
});

async function client(script: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support/clients', script), ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const seconds = () => Date.now() / 1000;

describe('through the networks’ own clients', () => {
  it('xdk: a post read by id with its media in includes (alt text), X’s headers on the answer, a too-long post refused with X’s errors[]', async () => {
    const { accessToken } = await mockToken(mock, 'x', 'fidel');
    const result = await client('xdk-fidelity.mjs', mock.urls.x, accessToken, png);
    const key = `3_${result.mediaId}`;
    expect(result.read).toEqual({
      data: { id: result.id, text: expect.any(String), edit_history_tweet_ids: [result.id], attachments: { media_keys: [key] } },
      includes: { media: [{ media_key: key, type: 'photo', alt_text: 'a blue square' }] },
    });
    // GET /2/tweets/:id: 900 per 15 minutes per user, its first call.
    expect(result.headers['x-rate-limit-limit']).toBe('900');
    expect(result.headers['x-rate-limit-remaining']).toBe('899');
    expect(Number(result.headers['x-rate-limit-reset'])).toBeGreaterThan(seconds() + 890);
    expect(result.tooLong).toEqual({
      status: 400,
      body: {
        errors: [{ parameters: { text: ['x'.repeat(281)] }, message: expect.stringMatching(/^Your Tweet text is too long\. /) }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      },
    });
  });

  it('AtpAgent: RateLimit-* on every answer, the CID atproto computes, named by getPosts too; a text too long in the validator’s words', async () => {
    const result = await client('atproto-fidelity.mjs', mock.urls.bluesky, 'fidel.bsky.social');
    // The PDS's global budget (3,000 per 5 minutes) is the one closest to running out, before the write points (5,000 an hour, 3 a create).
    expect(result.created.headers).toEqual({ 'ratelimit-limit': '3000', 'ratelimit-remaining': '2999', 'ratelimit-reset': expect.stringMatching(/^\d+$/), 'ratelimit-policy': '3000;w=300' });
    expect(Number(result.created.headers['ratelimit-reset'])).toBeGreaterThan(seconds() + 290);
    expect(result.listed).toMatchObject({ 'ratelimit-remaining': '2998', 'ratelimit-policy': '3000;w=300' });
    expect(result.created.cid).toBe((await cidForLex(jsonToLex(result.record))).toString());
    expect(result.viewed).toEqual({ cid: result.created.cid, text: 'counted by the PDS' });
    expect(result.tooLong).toEqual({ status: 400, error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text' });
  });

  it('masto: a status over 500 characters is Mastodon’s 422 in its own words; 500 are taken', async () => {
    const { accessToken } = await mockToken(mock, 'mastodon', 'fidel', mock.urls.mastodon);
    expect(await client('masto-fidelity.mjs', mock.urls.mastodon, accessToken)).toEqual({
      tooLong: { status: 422, message: 'Validation failed: Text character limit of 500 exceeded' },
      fine: 500,
    });
  });
});

describe('rate-limit headers on every answer, as each network documents its budgets', () => {
  it('Mastodon: every call of the account counts (300 per 5 minutes), an upload tells its tighter bucket (30 per 30 minutes), reset as an ISO time', async () => {
    const { accessToken } = await mockToken(mock, 'mastodon', 'bucket', mock.urls.mastodon);
    const verified = await http('GET', `${mock.urls.mastodon}/api/v1/accounts/verify_credentials`, { token: accessToken });
    expect([verified.headers.get('x-ratelimit-limit'), verified.headers.get('x-ratelimit-remaining')]).toEqual(['300', '299']);
    expect(Date.parse(verified.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now() + 290_000);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await image('png', 8, 8))], { type: 'image/png' }), 'a.png');
    const uploaded = await fetch(`${mock.urls.mastodon}/api/v2/media`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, body: form });
    expect(uploaded.status).toBeLessThan(300);
    expect([uploaded.headers.get('x-ratelimit-limit'), uploaded.headers.get('x-ratelimit-remaining')]).toEqual(['30', '29']);
    expect(Date.parse(uploaded.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now() + 1_790_000);
    // A failure a fault makes carries them too.
    await http('PUT', `${mock.controlUrl}/_mock/faults`, { body: { network: 'mastodon', handle: 'bucket', status: 503 } });
    const failed = await http('GET', `${mock.urls.mastodon}/api/v1/accounts/verify_credentials`, { token: accessToken });
    expect([failed.status, failed.headers.get('x-ratelimit-remaining')]).toEqual([503, '297']);
  });

  it('X: scaled down, a spent default is X’s 429 with its headers; scale 0 lifts them; DELETE /_mock/ratelimits brings back the configured scale', async () => {
    const { accessToken } = await mockToken(mock, 'x', 'scaled');
    expect(await http('GET', `${mock.controlUrl}/_mock/ratelimits/defaults`)).toMatchObject({
      status: 200,
      body: { scale: 1, data: expect.arrayContaining([{ network: 'x', name: 'POST /2/tweets', limit: 100, windowSeconds: 900, calls: { 'POST /2/tweets': 1 } }]) },
    });
    expect(await http('PUT', `${mock.controlUrl}/_mock/ratelimits/defaults`, { body: { scale: 0.01 } })).toMatchObject({ status: 200, body: { scale: 0.01 } });
    const post = (text: string) => http('POST', `${mock.urls.x}/2/tweets`, { token: accessToken, body: { text } });
    const first = await post('the one this window allows');
    expect([first.status, first.headers.get('x-rate-limit-limit'), first.headers.get('x-rate-limit-remaining')]).toEqual([201, '1', '0']);
    const spent = await post('one too many');
    expect(spent).toMatchObject({ status: 429, body: { title: 'Too Many Requests', status: 429 } });
    expect(spent.headers.get('x-rate-limit-reset')).toBe(first.headers.get('x-rate-limit-reset'));
    expect(Number(spent.headers.get('retry-after'))).toBeGreaterThan(890);
    // Reads have budgets of their own.
    expect((await http('GET', `${mock.urls.x}/2/users/me`, { token: accessToken })).status).toBe(200);

    await http('PUT', `${mock.controlUrl}/_mock/ratelimits/defaults`, { body: { scale: 0 } });
    const lifted = await post('no budget at all');
    expect([lifted.status, lifted.headers.get('x-rate-limit-limit')]).toEqual([201, null]);
    expect((await http('DELETE', `${mock.controlUrl}/_mock/ratelimits`)).status).toBe(204);
    expect((await post('documented again')).headers.get('x-rate-limit-limit')).toBe('100');
    expect(await http('PUT', `${mock.controlUrl}/_mock/ratelimits/defaults`, { body: { scale: -1 } })).toMatchObject({ status: 400, body: { problems: ['scale must be a number from 0 to 1000000'] } });
  });
});

describe('X’s PKCE methods', () => {
  const authorize = (handle: string, challenge: string, method: string) =>
    consent(
      `${mock.urls.x}/i/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope: 'tweet.read users.read', state: 's', code_challenge: challenge, code_challenge_method: method, login_hint: handle })}`,
    );
  const token = (code: string, verifier: string) =>
    formPost(`${mock.urls.x}/2/oauth2/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT }, { authorization: basic(CLIENT.id, CLIENT.secret) });

  it('takes s256 in lower case and plain (the verifier is the challenge); refuses another method', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const lower = await authorize('pia', createHash('sha256').update(verifier).digest('base64url'), 's256');
    expect(await token(lower.params.code!, verifier)).toMatchObject({ status: 200, body: { token_type: 'bearer', access_token: expect.any(String) } });

    const plain = await authorize('pia', verifier, 'plain');
    // Another verifier: its last character changed (to one it is not: a random verifier ends in "A" one time in 64).
    const wrong = `${verifier.slice(0, -1)}${verifier.endsWith('A') ? 'B' : 'A'}`;
    expect(await token(plain.params.code!, wrong)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const again = await authorize('pia', verifier, 'plain');
    expect(await token(again.params.code!, verifier)).toMatchObject({ status: 200, body: { access_token: expect.any(String) } });

    expect((await authorize('pia', verifier, 'S512')).params).toMatchObject({ error: 'invalid_request', error_description: 'code_challenge_method must be S256 or plain' });
  });
});

describe('LinkedIn: POST /oauth/v2/introspectToken', () => {
  const introspect = (token: string, secret = CLIENT.secret, clientId = CLIENT.id) => formPost(`${mock.urls.linkedin}/oauth/v2/introspectToken`, { client_id: clientId, client_secret: secret, token });

  it('tells an active token’s scope and times, then revoked and expired ones; refuses a wrong client, secret or token', async () => {
    const { accessToken } = await mockToken(mock, 'linkedin', 'ines');
    const active = await introspect(accessToken);
    expect(active).toMatchObject({ status: 200, body: { active: true, status: 'active', client_id: CLIENT.id, auth_type: '3L', scope: 'openid,profile,email,w_member_social' } });
    expect(active.body.expires_at - active.body.created_at).toBe(5_184_000);
    expect(active.body.authorized_at).toBe(active.body.created_at);

    await http('PUT', `${mock.controlUrl}/_mock/faults`, { body: { network: 'linkedin', handle: 'ines', expireTokens: true } });
    expect((await introspect(accessToken)).body).toMatchObject({ active: false, status: 'expired' });
    const { accessToken: other } = await mockToken(mock, 'linkedin', 'ivo');
    await http('PUT', `${mock.controlUrl}/_mock/faults`, { body: { network: 'linkedin', handle: 'ivo', revokeToken: true } });
    expect((await introspect(other)).body).toMatchObject({ active: false, status: 'revoked' });

    expect((await introspect(accessToken, 'wrong-secret')).status).toBe(401);
    expect((await introspect(accessToken, CLIENT.secret, 'another-app')).status).toBe(400);
    expect((await introspect('never-issued')).status).toBe(400);
  });
});

describe('Graph fields on a read by id', () => {
  it('Facebook: a Page post’s default fields, the ones asked for, and Graph’s 400 for a field a post does not have', async () => {
    const { accessToken } = await mockToken(mock, 'facebook', 'fiona');
    const [page] = (await http('GET', `${mock.urls.facebook}/v21.0/me/accounts?access_token=${accessToken}`)).body.data;
    const id = (await formPost(`${mock.urls.facebook}/v21.0/${page.id}/feed`, { message: 'fields, please', access_token: page.access_token })).body.id;
    const read = (fields?: string) => http('GET', `${mock.urls.facebook}/v21.0/${id}?${new URLSearchParams({ access_token: page.access_token, ...(fields ? { fields } : {}) })}`);
    expect((await read()).body).toEqual({ id, created_time: expect.stringMatching(/\+0000$/), message: 'fields, please' });
    expect((await read('permalink_url,message')).body).toEqual({ id, permalink_url: expect.stringContaining('/posts/'), message: 'fields, please' });
    expect(await read('likes_total')).toMatchObject({ status: 400, body: { error: { code: 100, message: '(#100) Tried accessing nonexisting field (likes_total) on node type (Post)' } } });
  });

  it('Instagram: published media is `id` alone unless fields name more', async () => {
    const { accessToken } = await mockToken(mock, 'instagram', 'iris');
    const container = await formPost(`${mock.urls.instagram}/v21.0/me/media`, { image_url: files.url('/a.jpg'), caption: 'a photo', access_token: accessToken });
    const media = (await formPost(`${mock.urls.instagram}/v21.0/me/media_publish`, { creation_id: container.body.id, access_token: accessToken })).body.id;
    const read = (fields?: string) => http('GET', `${mock.urls.instagram}/v21.0/${media}?${new URLSearchParams({ access_token: accessToken, ...(fields ? { fields } : {}) })}`);
    expect((await read()).body).toEqual({ id: media });
    expect((await read('caption,media_type,permalink,username')).body).toEqual({ id: media, caption: 'a photo', media_type: 'IMAGE', permalink: expect.stringContaining(media), username: 'iris' });
    expect(await read('caption,nope')).toMatchObject({ status: 400, body: { error: { code: 100 } } });
  });
});
