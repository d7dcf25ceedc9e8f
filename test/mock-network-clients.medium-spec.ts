/**
 * The networks' own client libraries against the mock (issue 12): masto,
 * @atproto/api and X's @xdevplatform/xdk, each unchanged, each run by Node
 * from a small ESM script (they are ESM-only; Jest runs CommonJS), and what
 * they did checked in their output and at /_mock/posts.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { http } from './support/http';
import { MockNetworks } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';

const run = promisify(execFile);
let mock: MockNetworks;

beforeAll(async () => {
  mock = await startMockNetworksInProcess();
});
afterAll(async () => {
  await mock?.stop();
});

async function client(script: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support/clients', script), ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const posts = async (query: string) => (await http('GET', `${mock.controlUrl}/_mock/posts?${query}`)).body.data;

describe("the networks' own clients accept the mock", () => {
  it('masto registers an app, uploads an image and posts a status once under one Idempotency-Key', async () => {
    const { accessToken } = (await http('POST', `${mock.controlUrl}/_mock/tokens`, { body: { network: 'mastodon', handle: 'molly', instanceUrl: mock.urls.mastodon } })).body;
    const result = await client('masto.mjs', mock.urls.mastodon, accessToken);
    expect(result.account).toMatchObject({ username: 'molly', acct: 'molly' });
    expect(result.maxCharacters).toBe(500);
    expect(result.media).toMatchObject({ description: 'a single pixel', meta: { original: { width: 1, height: 1 } } });
    expect(result.second.id).toBe(result.first.id);
    expect(result.listed).toEqual([result.first.id]);
    expect(await posts(`network=mastodon&handle=molly&instanceUrl=${encodeURIComponent(mock.urls.mastodon)}`)).toEqual([
      expect.objectContaining({ id: result.first.id, text: 'Hello from masto', idempotencyKey: result.key, media: [{ type: 'image', mimeType: 'image/png', size: 70, width: 1, height: 1, alt: 'a single pixel' }] }),
    ]);
  });

  it('AtpAgent logs in with an app password, posts RichText facets and an image, and refreshes an expired session', async () => {
    const result = await client('atproto.mjs', mock.urls.bluesky, 'ana.bsky.social', 'ben.bsky.social', mock.controlUrl);
    const ben = (await http('GET', `${mock.urls.bluesky}/xrpc/com.atproto.identity.resolveHandle?handle=ben.bsky.social`)).body.did;
    expect(result.session).toMatchObject({ handle: 'ana.bsky.social', pdsUrl: `${mock.urls.bluesky}/` });
    // "Hello @ben.bsky.social see https://example.com/page #herald ✨": bytes 6..22, 27..51, 52..59.
    const expected = [
      { index: { byteStart: 6, byteEnd: 22 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: ben }] },
      { index: { byteStart: 27, byteEnd: 51 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/page' }] },
      { index: { byteStart: 52, byteEnd: 59 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'herald' }] },
    ];
    expect(result.read.facets).toMatchObject(expected);
    expect(result.read.cid).toBe(result.created.cid);
    expect(result.blob.ref).toMatch(/^bafkrei/);
    expect(result.afterExpiry).toMatchObject({ rule: 201, refreshed: true });
    expect(result.refused).toEqual({ status: 401, error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
    const stored = await posts('network=bluesky&handle=ana.bsky.social');
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ id: result.created.uri, facets: expected, media: [{ type: 'image', mimeType: 'image/png', size: 70, width: 1, height: 1, alt: 'a pixel' }] });
    const oauth = (await http('GET', `${mock.controlUrl}/_mock/oauth?network=bluesky`)).body.data;
    expect(oauth).toEqual(
      expect.arrayContaining([
        { network: 'bluesky', grantType: 'createSession', count: 2, refused: 1 },
        { network: 'bluesky', grantType: 'refreshSession', count: 1, refused: 0 },
      ]),
    );
  });

  it("xdk's OAuth2 helper connects with PKCE and refreshes; its client reads the user and posts a tweet", async () => {
    const result = await client('xdk.mjs', mock.urls.x, 'herald-demo', 'herald-demo-secret', 'xena');
    expect(result.consent).toEqual({ status: 302, state: 'state-1' });
    expect(result.token).toEqual({ type: 'bearer', expiresIn: 7200, scope: 'tweet.read tweet.write users.read offline.access', refreshRotated: true });
    expect(result.me).toMatchObject({ username: 'xena' });
    expect(await posts('network=x&handle=xena')).toEqual([expect.objectContaining({ id: result.tweet.id, text: result.tweet.text })]);
  });
});
