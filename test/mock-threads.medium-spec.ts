/**
 * Threads and first comments on the mock networks, each in the network's
 * own shape (issue 30): a reply chain of three on X, Bluesky and Mastodon
 * written by their own clients (xdk, AtpAgent, masto) and on Threads by
 * request shape, each recorded at /_mock/posts with its `kind` and
 * `replyTo` and listed where lookups read; a reply to a parent that is not
 * there refused as each network refuses it; comments on LinkedIn, Facebook
 * and Instagram recorded and listed. Bluesky's record CIDs are checked
 * against atproto's own computation. (No Herald process.)
 */
import { cidForLex } from '@atproto/lex-cbor';
import { jsonToLex } from '@atproto/lex-json';
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

const posts = async (network: string, handle: string, instanceUrl?: string) =>
  (await http('GET', `${mock.controlUrl}/_mock/posts?network=${network}&handle=${encodeURIComponent(handle)}${instanceUrl ? `&instanceUrl=${encodeURIComponent(instanceUrl)}` : ''}`)).body.data;
/** The rows' ids, kinds and parents, oldest first. */
const chain = (rows: { id: string; kind: string; replyTo: string | null }[]) => rows.map(({ id, kind, replyTo }) => ({ id, kind, replyTo }));
const thread = (ids: string[]) => ids.map((id, index) => ({ id, kind: index === 0 ? 'post' : 'reply', replyTo: index === 0 ? null : ids[index - 1] }));

describe('threads through the networks’ own clients', () => {
  it('masto: three statuses each in_reply_to_id the one before, once per Idempotency-Key; an unknown parent is 404', async () => {
    const { accessToken } = await mockToken(mock, 'mastodon', 'thora', mock.urls.mastodon);
    const result = await client('masto-thread.mjs', mock.urls.mastodon, accessToken);
    const ids = [result.first.id, result.second.id, result.third.id];
    expect(result.second).toEqual({ id: ids[1], inReplyToId: ids[0], inReplyToAccountId: result.accountId });
    expect(result.third).toMatchObject({ inReplyToId: ids[1] });
    expect(result.again.id).toBe(ids[1]);
    expect(result.refused).toEqual({ status: 404, message: 'The post you are trying to reply to does not appear to exist.' });
    expect(result.listed.map((status: { id: string }) => status.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(result.withoutReplies).toEqual([ids[0]]);
    expect(chain(await posts('mastodon', 'thora', mock.urls.mastodon))).toEqual(thread(ids));
  });

  it('AtpAgent: replies with root and parent strong refs; CIDs are the DAG-CBOR ones; a missing parent, a wrong cid, a wrong root are refused', async () => {
    const result = await client('atproto-thread.mjs', mock.urls.bluesky, 'tara.bsky.social');
    const [root, second, third] = result.created as { uri: string; cid: string }[];
    expect(result.read.map((record: { uri: string; cid: string }) => ({ uri: record.uri, cid: record.cid }))).toEqual(result.created);
    expect(result.read[1].value.reply).toEqual({ root, parent: root });
    expect(result.read[2].value.reply).toEqual({ root, parent: second });
    for (const record of result.read) expect((await cidForLex(jsonToLex(record.value))).toString()).toBe(record.cid);
    expect(result.refused.missingParent).toMatchObject({ status: 400, error: 'InvalidRequest', message: expect.stringMatching(/reply parent at:\/\/.* could not be found/) });
    expect(result.refused.wrongCid).toMatchObject({ status: 400, error: 'InvalidRequest', message: expect.stringMatching(/reply parent cid .* does not match/) });
    expect(result.refused.wrongRoot).toMatchObject({ status: 400, error: 'InvalidRequest', message: expect.stringMatching(/reply root must be the first post of the parent's thread/) });
    expect(chain(await posts('bluesky', 'tara.bsky.social'))).toEqual(thread([root!.uri, second!.uri, third!.uri]));
    const listed = await http('GET', `${mock.urls.bluesky}/xrpc/com.atproto.repo.listRecords?repo=${result.did}&collection=app.bsky.feed.post`);
    expect(listed.body.records.map((record: { uri: string }) => record.uri)).toEqual([third!.uri, second!.uri, root!.uri]);
  });

  it('xdk: two replies by reply.in_reply_to_tweet_id, listed with their conversation; a parent X does not have is 403', async () => {
    const { accessToken, accountId } = await mockToken(mock, 'x', 'xiomara');
    const result = await client('xdk-thread.mjs', mock.urls.x, accessToken, accountId);
    const ids = result.ids as string[];
    expect(result.refused).toEqual({ status: 403, body: { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', title: 'Forbidden', status: 403 } });
    expect(result.listed.map((post: { id: string }) => post.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(result.listed[0]).toMatchObject({ conversationId: ids[0], inReplyToUserId: accountId, referencedTweets: [{ type: 'replied_to', id: ids[1] }] });
    expect(result.listed[2]).toMatchObject({ conversationId: ids[0] });
    expect(result.listed[2].referencedTweets).toBeUndefined();
    expect(result.withoutReplies).toEqual([ids[0]]);
    expect(chain(await posts('x', 'xiomara'))).toEqual(thread(ids));
  });

  it('X: a malformed in_reply_to_tweet_id is a 400 with its specifics in errors[]', async () => {
    const { accessToken } = await mockToken(mock, 'x', 'xander');
    const answer = await http('POST', `${mock.urls.x}/2/tweets`, { token: accessToken, body: { text: 'hi', reply: { in_reply_to_tweet_id: 'abc' } } });
    expect(answer).toMatchObject({ status: 400, body: { title: 'Invalid Request', errors: [{ parameters: { 'reply.in_reply_to_tweet_id': ['abc'] } }] } });
    expect(await posts('x', 'xander')).toEqual([]);
  });
});

describe('Threads: reply containers by reply_to_id', () => {
  it('publishes a chain of three, lists posts at /threads and replies at /replies, counts replies apart, refuses an unknown parent', async () => {
    const { accessToken: token } = await mockToken(mock, 'threads', 'thelma');
    const publish = async (fields: Record<string, string>) => {
      const container = await formPost(`${mock.urls.threads}/v1.0/me/threads`, { media_type: 'TEXT', access_token: token, ...fields });
      expect(container.status).toBe(200);
      const published = await formPost(`${mock.urls.threads}/v1.0/me/threads_publish`, { creation_id: container.body.id, access_token: token });
      expect(published.status).toBe(200);
      return published.body.id as string;
    };
    const first = await publish({ text: 'Thread 1/3' });
    const second = await publish({ text: 'Thread 2/3', reply_to_id: first });
    const third = await publish({ text: 'Thread 3/3', reply_to_id: second });
    expect(chain(await posts('threads', 'thelma'))).toEqual(thread([first, second, third]));

    const lonely = await formPost(`${mock.urls.threads}/v1.0/me/threads`, { media_type: 'TEXT', text: 'to nothing', reply_to_id: '999999', access_token: token });
    expect(lonely).toMatchObject({ status: 400, body: { error: { type: 'OAuthException', code: 100 } } });
    const tooLong = await formPost(`${mock.urls.threads}/v1.0/me/threads`, { media_type: 'TEXT', text: 'a'.repeat(501), reply_to_id: first, access_token: token });
    expect((await formPost(`${mock.urls.threads}/v1.0/me/threads_publish`, { creation_id: tooLong.body.id, access_token: token })).status).toBe(400);

    const listed = (await http('GET', `${mock.urls.threads}/v1.0/me/threads?access_token=${token}`)).body.data;
    expect(listed.map((item: { id: string }) => item.id)).toEqual([first]);
    const replies = (await http('GET', `${mock.urls.threads}/v1.0/me/replies?access_token=${token}`)).body.data;
    expect(replies).toEqual([
      expect.objectContaining({ id: third, is_reply: true, replied_to: { id: second }, root_post: { id: first } }),
      expect.objectContaining({ id: second, is_reply: true, replied_to: { id: first }, root_post: { id: first } }),
    ]);
    const limit = await http('GET', `${mock.urls.threads}/v1.0/me/threads_publishing_limit?fields=quota_usage,reply_quota_usage,reply_config&access_token=${token}`);
    expect(limit.body.data).toEqual([{ quota_usage: 1, reply_quota_usage: 2, reply_config: { quota_total: 1000, quota_duration: 86400 } }]);
    expect(chain(await posts('threads', 'thelma'))).toHaveLength(3);
  });
});

describe('first comments on LinkedIn, Facebook and Instagram', () => {
  it('LinkedIn: socialActions/{urn}/comments by the member answers 201 with the comment URN; listed; refusals in LinkedIn’s shape', async () => {
    const { accessToken } = await mockToken(mock, 'linkedin', 'lena');
    const headers = { authorization: `Bearer ${accessToken}`, 'linkedin-version': '202505', 'x-restli-protocol-version': '2.0.0' };
    const sub = (await http('GET', `${mock.urls.linkedin}/v2/userinfo`, { token: accessToken })).body.sub;
    const author = `urn:li:person:${sub}`;
    const created = await http('POST', `${mock.urls.linkedin}/rest/posts`, {
      headers,
      body: { author, commentary: 'A post with a first comment', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED' },
    });
    const urn = created.headers.get('x-restli-id')!;
    const comments = `${mock.urls.linkedin}/rest/socialActions/${encodeURIComponent(urn)}/comments`;

    const comment = await http('POST', comments, { headers, body: { actor: author, object: urn, message: { text: 'The first comment' } } });
    expect(comment.status).toBe(201);
    const id = comment.headers.get('x-restli-id');
    expect(comment.body).toMatchObject({ id, commentUrn: `urn:li:comment:(${urn},${id})`, actor: author, object: urn, message: { text: 'The first comment' } });
    expect((await http('GET', comments, { headers })).body).toMatchObject({ paging: { total: 1 }, elements: [{ commentUrn: comment.body.commentUrn }] });

    expect(await http('POST', comments, { headers, body: { actor: 'urn:li:person:someoneelse', message: { text: 'not me' } } })).toMatchObject({ status: 403, body: { code: 'ACCESS_DENIED' } });
    expect(await http('POST', comments, { headers, body: { actor: author, message: { text: 'a'.repeat(1251) } } })).toMatchObject({ status: 422, body: { status: 422, message: expect.stringMatching(/comment is too long/) } });
    const missing = `${mock.urls.linkedin}/rest/socialActions/${encodeURIComponent('urn:li:share:1')}/comments`;
    expect(await http('POST', missing, { headers, body: { actor: author, message: { text: 'nowhere' } } })).toMatchObject({ status: 404, body: { status: 404 } });

    expect(chain(await posts('linkedin', 'lena'))).toEqual([
      { id: urn, kind: 'post', replyTo: null },
      { id: comment.body.commentUrn, kind: 'comment', replyTo: urn },
    ]);
    const listed = (await http('GET', `${mock.urls.linkedin}/rest/posts?q=author&author=${encodeURIComponent(author)}`, { headers })).body.elements;
    expect(listed.map((post: { id: string }) => post.id)).toEqual([urn]);
  });

  it('Facebook: /{page-post-id}/comments with the Page token answers {id}; listed on the post, not in the feed; an unknown post is refused', async () => {
    const { accessToken } = await mockToken(mock, 'facebook', 'fern');
    const [page] = (await http('GET', `${mock.urls.facebook}/v21.0/me/accounts?access_token=${accessToken}`)).body.data;
    const post = await formPost(`${mock.urls.facebook}/v21.0/${page.id}/feed`, { message: 'A Page post', access_token: page.access_token });
    const comment = await formPost(`${mock.urls.facebook}/v21.0/${post.body.id}/comments`, { message: 'The first comment', access_token: page.access_token });
    expect(comment).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^\d+_\d+$/) } });
    const listed = await http('GET', `${mock.urls.facebook}/v21.0/${post.body.id}/comments?access_token=${page.access_token}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: comment.body.id, message: 'The first comment' })]);
    const feed = await http('GET', `${mock.urls.facebook}/v21.0/${page.id}/feed?access_token=${page.access_token}`);
    expect(feed.body.data.map((item: { id: string }) => item.id)).toEqual([post.body.id]);
    expect(await formPost(`${mock.urls.facebook}/v21.0/${page.id}_1/comments`, { message: 'nowhere', access_token: page.access_token })).toMatchObject({
      status: 400,
      body: { error: { code: 100, error_subcode: 33 } },
    });
    expect(await formPost(`${mock.urls.facebook}/v21.0/${post.body.id}/comments`, { message: 'a'.repeat(8001), access_token: page.access_token })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(chain(await posts('facebook', 'fern'))).toEqual([
      { id: post.body.id, kind: 'post', replyTo: null },
      { id: comment.body.id, kind: 'comment', replyTo: post.body.id },
    ]);
  });

  it('Instagram: /{ig-media-id}/comments answers {id}; listed on the media; it does not count against the publishing quota', async () => {
    const { accessToken } = await mockToken(mock, 'instagram', 'ines');
    const container = await formPost(`${mock.urls.instagram}/v21.0/me/media`, { image_url: files.url('/a.jpg'), caption: 'a photo', access_token: accessToken });
    const media = await formPost(`${mock.urls.instagram}/v21.0/me/media_publish`, { creation_id: container.body.id, access_token: accessToken });
    const comment = await formPost(`${mock.urls.instagram}/v21.0/${media.body.id}/comments`, { message: 'The first comment', access_token: accessToken });
    expect(comment).toMatchObject({ status: 200, body: { id: expect.any(String) } });
    const listed = await http('GET', `${mock.urls.instagram}/v21.0/${media.body.id}/comments?access_token=${accessToken}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: comment.body.id, text: 'The first comment', username: 'ines' })]);
    expect(await formPost(`${mock.urls.instagram}/v21.0/1234/comments`, { message: 'nowhere', access_token: accessToken })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    const limit = await http('GET', `${mock.urls.instagram}/v21.0/me/content_publishing_limit?access_token=${accessToken}`);
    expect(limit.body.data).toEqual([{ quota_usage: 1 }]);
    expect(chain(await posts('instagram', 'ines'))).toEqual([
      { id: media.body.id, kind: 'post', replyTo: null },
      { id: comment.body.id, kind: 'comment', replyTo: media.body.id },
    ]);
  });
});
