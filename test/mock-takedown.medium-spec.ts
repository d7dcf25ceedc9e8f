/**
 * Taking a post back down on the mock networks, and reading one by id
 * (issue 35): deletes through the networks' own clients where the project
 * has one (masto, AtpAgent, xdk), by request shape on LinkedIn,
 * Facebook and Threads; reads by id on LinkedIn, Facebook and Instagram; Mastodon's
 * `Link` header followed both ways by masto's paginator. A deleted post is
 * gone from the network's reads, its timeline and /_mock/posts. (No Herald
 * process.)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { http } from './support/http';
import { FileServer, image, startFileServer } from './support/mock-media-files';
import { MockNetworks, formPost, mockToken } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';

const run = promisify(execFile);
let mock: MockNetworks;
let files: FileServer;

beforeAll(async () => {
  files = await startFileServer({ '/a.jpg': { type: 'image/jpeg', body: await image('jpeg', 1080, 1080) } });
  mock = await startMockNetworksInProcess();
});
afterAll(async () => {
  await Promise.all([mock?.stop(), files?.close()]);
});

async function client(script: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support/clients', script), ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const ids = async (network: string, handle: string, instanceUrl?: string) =>
  (await http('GET', `${mock.controlUrl}/_mock/posts?network=${network}&handle=${encodeURIComponent(handle)}${instanceUrl ? `&instanceUrl=${encodeURIComponent(instanceUrl)}` : ''}`)).body.data.map(
    (post: { id: string }) => post.id,
  );

describe('deleting through the networks’ own clients', () => {
  it('masto: pages next by max_id and prev by min_id; a deleted status is answered, then not found', async () => {
    const { accessToken } = await mockToken(mock, 'mastodon', 'della', mock.urls.mastodon);
    const result = await client('masto-takedown.mjs', mock.urls.mastodon, accessToken);
    const [s1, s2, s3, s4, s5] = result.made as string[];
    expect(result.older).toEqual([[s5, s4], [s3, s2], [s1]]);
    expect(result.newer).toEqual([[s2, s1], [s4, s3], [s5], []]);
    expect(result.removed).toEqual({ id: s5, text: 'status 5' });
    expect(result.after).toEqual({ status: 404, message: 'Record not found' });
    expect(result.again).toEqual({ status: 404 });
    expect(result.left).toEqual([s4, s3, s2, s1]);
    expect(await ids('mastodon', 'della', mock.urls.mastodon)).toEqual([s1, s2, s3, s4]);
  });

  it('masto’s Link header carries both relations, as Mastodon sends them', async () => {
    const { accessToken, accountId } = await mockToken(mock, 'mastodon', 'lina', mock.urls.mastodon);
    const made: string[] = [];
    for (const status of ['a', 'b', 'c']) made.push((await http('POST', `${mock.urls.mastodon}/api/v1/statuses`, { token: accessToken, body: { status } })).body.id);
    const page = await http('GET', `${mock.urls.mastodon}/api/v1/accounts/${accountId}/statuses?limit=1&max_id=${made[2]}`, { token: accessToken });
    const base = `${mock.urls.mastodon}/api/v1/accounts/${accountId}/statuses`;
    expect(page.headers.get('link')).toBe(`<${base}?limit=1&max_id=${made[1]}>; rel="next", <${base}?limit=1&min_id=${made[1]}>; rel="prev"`);
    const since = await http('GET', `${base}?since_id=${made[0]}`, { token: accessToken });
    expect(since.body.map((status: { id: string }) => status.id)).toEqual([made[2], made[1]]);
  });

  it('AtpAgent: deletePost removes the record (getRecord: RecordNotFound); deleting it again is a no-op', async () => {
    const result = await client('atproto-takedown.mjs', mock.urls.bluesky, 'dora.bsky.social');
    expect(result.read).toEqual({ status: 400, error: 'RecordNotFound' });
    expect(result.again).toEqual({ success: true, data: {} });
    expect(await ids('bluesky', 'dora.bsky.social')).toEqual([]);
  });

  it('xdk: posts.delete answers {data: {deleted: true}}; a second delete is a 404', async () => {
    const { accessToken } = await mockToken(mock, 'x', 'dexter');
    const result = await client('xdk-takedown.mjs', mock.urls.x, accessToken);
    expect(result.deleted).toEqual({ data: { deleted: true } });
    expect(result.again).toMatchObject({ status: 404, body: { title: 'Not Found Error' } });
    expect(await ids('x', 'dexter')).toEqual([]);
    const { accessToken: other } = await mockToken(mock, 'x', 'other');
    const theirs = (await http('POST', `${mock.urls.x}/2/tweets`, { token: other, body: { text: 'not yours' } })).body.data.id;
    expect(await http('DELETE', `${mock.urls.x}/2/tweets/${theirs}`, { token: accessToken })).toMatchObject({ status: 403, body: { title: 'Forbidden' } });
  });
});

describe('reading and deleting by request shape', () => {
  it('LinkedIn: GET and DELETE /rest/posts/{encoded urn} (204), then 404; another member may not delete it', async () => {
    const { accessToken } = await mockToken(mock, 'linkedin', 'lars');
    const headers = { authorization: `Bearer ${accessToken}`, 'linkedin-version': '202505', 'x-restli-protocol-version': '2.0.0' };
    const sub = (await http('GET', `${mock.urls.linkedin}/v2/userinfo`, { token: accessToken })).body.sub;
    const body = { author: `urn:li:person:${sub}`, commentary: 'Hello LinkedIn', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED' };
    const urn = (await http('POST', `${mock.urls.linkedin}/rest/posts`, { headers, body })).headers.get('x-restli-id')!;
    const url = `${mock.urls.linkedin}/rest/posts/${encodeURIComponent(urn)}`;
    expect(await http('GET', url, { headers })).toMatchObject({ status: 200, body: { id: urn, author: body.author, commentary: 'Hello LinkedIn', lifecycleState: 'PUBLISHED' } });
    const { accessToken: otherToken } = await mockToken(mock, 'linkedin', 'lorna');
    expect(await http('DELETE', url, { headers: { ...headers, authorization: `Bearer ${otherToken}` } })).toMatchObject({ status: 403 });
    expect((await http('DELETE', url, { headers })).status).toBe(204);
    expect(await http('GET', url, { headers })).toMatchObject({ status: 404, body: { status: 404 } });
    expect((await http('DELETE', url, { headers })).status).toBe(404);
    expect(await ids('linkedin', 'lars')).toEqual([]);
  });

  it('Facebook: GET /{page-post-id} reads it, DELETE answers {success: true} and takes its comments along', async () => {
    const { accessToken } = await mockToken(mock, 'facebook', 'fay');
    const [page] = (await http('GET', `${mock.urls.facebook}/v21.0/me/accounts?access_token=${accessToken}`)).body.data;
    const post = (await formPost(`${mock.urls.facebook}/v21.0/${page.id}/feed`, { message: 'A Page post', access_token: page.access_token })).body.id;
    await formPost(`${mock.urls.facebook}/v21.0/${post}/comments`, { message: 'a comment', access_token: page.access_token });
    expect(await http('GET', `${mock.urls.facebook}/v21.0/${post}?access_token=${page.access_token}`)).toMatchObject({ status: 200, body: { id: post, message: 'A Page post' } });
    expect(await http('DELETE', `${mock.urls.facebook}/v21.0/${post}?access_token=${page.access_token}`)).toMatchObject({ status: 200, body: { success: true } });
    expect(await http('GET', `${mock.urls.facebook}/v21.0/${post}?access_token=${page.access_token}`)).toMatchObject({ status: 400, body: { error: { code: 100, error_subcode: 33 } } });
    expect((await http('GET', `${mock.urls.facebook}/v21.0/${page.id}/feed?access_token=${page.access_token}`)).body.data).toEqual([]);
    expect(await ids('facebook', 'fay')).toEqual([]);
  });

  it('Threads: DELETE /{threads-media-id} answers {success, deleted_id} for a post and a reply; gone or another user’s is the unknown object', async () => {
    const { accessToken, accountId } = await mockToken(mock, 'threads', 'tess');
    const publish = async (fields: Record<string, string>) => {
      const container = await formPost(`${mock.urls.threads}/v1.0/${accountId}/threads`, { media_type: 'TEXT', access_token: accessToken, ...fields });
      return (await formPost(`${mock.urls.threads}/v1.0/${accountId}/threads_publish`, { creation_id: container.body.id, access_token: accessToken })).body.id as string;
    };
    const post = await publish({ text: 'a thread' });
    const reply = await publish({ text: 'its reply', reply_to_id: post });
    const remove = (id: string, token = accessToken) => http('DELETE', `${mock.urls.threads}/v1.0/${id}?access_token=${token}`);
    const { accessToken: otherToken } = await mockToken(mock, 'threads', 'tom');
    expect(await remove(post, otherToken)).toMatchObject({ status: 400, body: { error: { code: 100, error_subcode: 33 } } });
    expect(await remove(reply)).toMatchObject({ status: 200, body: { success: true, deleted_id: reply } });
    expect(await remove(post)).toMatchObject({ status: 200, body: { success: true, deleted_id: post } });
    expect(await remove(post)).toMatchObject({ status: 400, body: { error: { code: 100, error_subcode: 33 } } });
    expect((await http('GET', `${mock.urls.threads}/v1.0/${accountId}/threads?access_token=${accessToken}`)).body.data).toEqual([]);
    expect(await ids('threads', 'tess')).toEqual([]);
  });

  it('Instagram: GET /{ig-media-id} reads published media', async () => {
    const { accessToken } = await mockToken(mock, 'instagram', 'ida');
    const container = await formPost(`${mock.urls.instagram}/v21.0/me/media`, { image_url: files.url('/a.jpg'), caption: 'a photo', access_token: accessToken });
    const media = (await formPost(`${mock.urls.instagram}/v21.0/me/media_publish`, { creation_id: container.body.id, access_token: accessToken })).body.id;
    expect(await http('GET', `${mock.urls.instagram}/v21.0/${media}?fields=caption,media_type&access_token=${accessToken}`)).toMatchObject({ status: 200, body: { id: media, caption: 'a photo', media_type: 'IMAGE' } });
    expect(await http('GET', `${mock.urls.instagram}/v21.0/123?access_token=${accessToken}`)).toMatchObject({ status: 400, body: { error: { code: 100 } } });
  });
});
