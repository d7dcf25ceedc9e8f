/**
 * Herald's Bluesky adapter against the reference PDS (test/support/pds), not
 * the mock: connecting with a handle and an app password, a post whose
 * links, mentions and hashtags come back as facets at UTF-8 byte ranges, the
 * record key kept before the call settling a crash by `getRecord`, an older
 * delivery without a key found among the repo's records, and an access
 * token the PDS calls expired renewed with `refreshSession` once; a thread
 * of three parts read back with each reply's root and parent strong refs,
 * then unpublished: every record deleted (getRecord answers RecordNotFound).
 */
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, waitFor } from './support/http';
import { startPds, type TestAccount, type TestPds } from './support/pds/pds-harness';
import { type Facet, readBlob, readRecord } from './support/pds/read-back';
import { bigPhoto, image, upload } from './support/media-files';
import { Stack } from './support/stack';

const POST = 'app.bsky.feed.post';

describe('Bluesky against the reference PDS', () => {
  let pds: TestPds;
  let stack: Stack;
  let apiKey: string;
  let alice: TestAccount;
  let bob: TestAccount;
  let channelId: string;
  let page: Server;
  let pageUrl: string;

  beforeAll(async () => {
    // A page for a link card, on loopback (allowed below).
    page = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><meta property="og:title" content="Launch notes"><meta property="og:description" content="What shipped today"></head></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/notes`;
    pds = await startPds();
    [alice, bob] = await Promise.all([pds.createAccount('alice'), pds.createAccount('bob')]);
    stack = await Stack.start({
      env: {
        // The PDS listens on loopback, which Herald refuses for user-given URLs unless allowed.
        HERALD_URL_ALLOWLIST: 'localhost,127.0.0.1',
        NETWORK_TIMEOUT_MS: '3000',
        CLAIM_LEASE_MS: '5000',
        RECONCILE_INTERVAL_MS: '500',
        LOOKUP_SETTLE_MS: '500',
        RETRY_BACKOFF_MS: '100',
      },
    });
    ({ apiKey } = await stack.workspace('bluesky-pds'));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await pds?.stop();
    await new Promise((resolve) => page?.close(resolve));
  });

  async function settled(postId: string) {
    return waitFor(`post ${postId} to settle`, async () => {
      const answer = (await http('GET', `${stack.apiUrl}/v1/posts/${postId}`, { token: apiKey })).body;
      return ['published', 'failed'].includes(answer.status) ? answer : undefined;
    }, { timeoutMs: 30_000 });
  }

  async function recordsOf(did: string): Promise<{ uri: string; value: { text: string } }[]> {
    const answer = await pds.xrpc('com.atproto.repo.listRecords', { params: { repo: did, collection: POST, limit: '100' } });
    expect(answer.status).toBe(200);
    return answer.body.records;
  }

  it('connects with a handle, an app password and the PDS, and refuses a wrong app password', async () => {
    const wrong = await http('POST', `${stack.apiUrl}/v1/channels`, {
      token: apiKey,
      body: { network: 'bluesky', handle: alice.handle, appPassword: 'aaaa-bbbb-cccc-dddd', service: pds.url },
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');

    const connected = await http('POST', `${stack.apiUrl}/v1/channels`, {
      token: apiKey,
      body: { network: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url },
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({ network: 'bluesky', handle: alice.handle, status: 'active', host: pds.url });
    channelId = connected.body.id;
    const { rows } = await stack.db.query(`SELECT account_id, refresh_token IS NOT NULL AS refreshable, token_expires_at FROM channels WHERE id = $1`, [channelId]);
    expect(rows[0]).toMatchObject({ account_id: alice.did, refreshable: true });
    // Two hours, read from the access JWT itself.
    expect(Date.parse(rows[0].token_expires_at) - Date.now()).toBeGreaterThan(110 * 60_000);
  });

  it('publishes a record whose link, mention and hashtag are facets at UTF-8 byte ranges', async () => {
    const link = 'https://example.com/herald?utm=1';
    const text = `Café ☕ with @${bob.handle}: read ${link} #herald 🚀`;
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text, channelIds: [channelId], schedule: { mode: 'now' } } });
    expect(created.status).toBe(201);
    const post = await settled(created.body.id);
    expect(post.status).toBe('published');
    const uri: string = post.deliveries[0].externalId;
    expect(uri).toMatch(new RegExp(`^at://${alice.did}/app\\.bsky\\.feed\\.post/[234567a-z]{13}$`));

    const read = await readRecord(pds.url, alice.did, uri.split('/').pop()!);
    if (!read.ok) throw new Error(`getRecord refused: ${JSON.stringify(read)}`);
    expect(read.value.text).toBe(text);
    const facets = [...(read.value.facets as Facet[])].sort((a, b) => a.index.byteStart - b.index.byteStart);
    const bytes = Buffer.from(text);
    const slice = (facet: Facet) => bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString();
    expect(facets.map((facet) => [slice(facet), facet.features[0]])).toEqual([
      [`@${bob.handle}`, { $type: 'app.bsky.richtext.facet#mention', did: bob.did }],
      [link, { $type: 'app.bsky.richtext.facet#link', uri: link }],
      ['#herald', { $type: 'app.bsky.richtext.facet#tag', tag: 'herald' }],
    ]);
  });

  it('publishes a thread of three parts, each reply naming its root and parent by strong ref (uri and cid) as the PDS stored them', async () => {
    const parts = ['Thread 1/3 🧵', 'Thread 2/3', 'Thread 3/3'].map((text) => ({ text }));
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { parts, channelIds: [channelId], schedule: { mode: 'now' } } });
    expect(created.status).toBe(201);
    const post = await settled(created.body.id);
    expect(post.status).toBe('published');
    const uris: string[] = post.deliveries[0].parts.map((part: { externalId: string }) => part.externalId);
    const read = [];
    for (const uri of uris) {
      const record = await readRecord<{ text: string; reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } }>(pds.url, alice.did, uri.split('/').pop()!);
      if (!record.ok) throw new Error(`getRecord refused: ${JSON.stringify(record)}`);
      read.push(record);
    }
    expect(read.map((record) => record.value.text)).toEqual(parts.map((part) => part.text));
    const [root, second, third] = read;
    expect(root!.value.reply).toBeUndefined();
    expect(second!.value.reply).toEqual({ root: { uri: root!.uri, cid: root!.cid }, parent: { uri: root!.uri, cid: root!.cid } });
    expect(third!.value.reply).toEqual({ root: { uri: root!.uri, cid: root!.cid }, parent: { uri: second!.uri, cid: second!.cid } });

    // Unpublished: every record of the thread deleted from the PDS (getRecord answers RecordNotFound), the delivery deleted.
    const unpublished = await http('POST', `${stack.apiUrl}/v1/posts/${created.body.id}/unpublish`, { token: apiKey });
    expect(unpublished.status).toBe(200);
    expect(unpublished.body.unpublish).toEqual([{ channelId, network: 'bluesky', result: 'deleting', reason: null }]);
    await waitFor('the thread deleted', async () => (await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body.status === 'deleted', { timeoutMs: 30_000 });
    for (const uri of uris) expect(await readRecord(pds.url, alice.did, uri.split('/').pop()!)).toMatchObject({ ok: false, error: 'RecordNotFound' });
  });

  it("adds a link card from the page's title and description to a post with a link and no media", async () => {
    const text = `Read the notes: ${pageUrl}`;
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text, channelIds: [channelId], schedule: { mode: 'now' } } });
    const post = await settled(created.body.id);
    expect(post.status).toBe('published');
    const read = await readRecord(pds.url, alice.did, post.deliveries[0].externalId.split('/').pop());
    if (!read.ok) throw new Error(`getRecord refused: ${JSON.stringify(read)}`);
    expect((read.value as unknown as { embed: unknown }).embed).toEqual({
      $type: 'app.bsky.embed.external',
      external: { uri: pageUrl, title: 'Launch notes', description: 'What shipped today' },
    });
  });

  it('publishes images as app.bsky.embed.images: blobs the PDS serves, with alt text and aspect ratio; a 6 MB photo resized to fit', async () => {
    const chart = await upload(stack.apiUrl, apiKey, await image('png', 640, 480), 'chart.png', 'image/png');
    const photo = await bigPhoto(6_000_000);
    const big = await upload(stack.apiUrl, apiKey, photo, 'photo.jpg', 'image/jpeg');
    expect(big.body.size).toBe(photo.length);
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: apiKey,
      body: {
        text: 'Two pictures',
        channelIds: [channelId],
        media: [
          { mediaId: chart.body.id, alt: 'A chart of signups by week' },
          { mediaId: big.body.id, alt: 'Static, as a 6 MB photo' },
        ],
        schedule: { mode: 'now' },
      },
    });
    expect(created.status).toBe(201);
    const post = await settled(created.body.id);
    expect(post.deliveries[0].lastError).toBeNull();
    expect(post.status).toBe('published');
    const read = await readRecord(pds.url, alice.did, post.deliveries[0].externalId.split('/').pop());
    if (!read.ok) throw new Error(`getRecord refused: ${JSON.stringify(read)}`);
    const embed = read.value.embed as unknown as { $type: string; images: { alt: string; aspectRatio: { width: number; height: number }; image: { ref: { $link: string } | string; mimeType: string; size: number } }[] };
    expect(embed.$type).toBe('app.bsky.embed.images');
    expect(embed.images.map((item) => [item.alt, item.aspectRatio])).toEqual([
      ['A chart of signups by week', { width: 640, height: 480 }],
      ['Static, as a 6 MB photo', { width: 2000, height: 1500 }],
    ]);
    for (const [index, item] of embed.images.entries()) {
      const cid = typeof item.image.ref === 'string' ? item.image.ref : item.image.ref.$link;
      const blob = await readBlob(pds.url, alice.did, cid);
      if (!blob.ok) throw new Error(`getBlob refused: ${JSON.stringify(blob)}`);
      expect(blob.size).toBe(item.image.size);
      expect(blob.size).toBeLessThanOrEqual(2_000_000);
      expect(blob.mimeType).toBe(index === 0 ? 'image/png' : 'image/jpeg');
    }
  });

  /** A delivery left as a worker SIGKILLed mid-call leaves it: publishing, its lease long over, its key (if any) kept. */
  async function crashedDelivery(text: string, ref: string | null): Promise<{ postId: string; deliveryId: string }> {
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: apiKey,
      body: { text, channelIds: [channelId], schedule: { mode: 'at', at: new Date(Date.now() + 86_400_000).toISOString() } },
    });
    expect(created.status).toBe(201);
    const deliveryId = created.body.deliveries[0].id;
    await stack.db.query(
      `UPDATE deliveries SET status = 'publishing', attempt_count = 1, claimed_at = now() - interval '20 seconds',
              lease_expires_at = now() - interval '10 seconds', network_ref = $2 WHERE id = $1`,
      [deliveryId, ref],
    );
    return { postId: created.body.id, deliveryId };
  }

  it('settles a crash after createRecord by asking getRecord for the key it kept: published once, not sent again', async () => {
    const rkey = tidNow();
    const text = `kept key ${rkey}`;
    // The call the crashed worker made: the PDS has the record under the kept key.
    const made = await pds.xrpc('com.atproto.repo.createRecord', {
      token: (await pds.login(alice.handle, alice.appPassword)).accessJwt,
      body: { repo: alice.did, collection: POST, rkey, record: { $type: POST, text, createdAt: new Date().toISOString() } },
    });
    expect(made.status).toBe(200);
    const { postId } = await crashedDelivery(text, rkey);
    const post = await settled(postId);
    expect(post.status).toBe('published');
    expect(post.deliveries[0].externalId).toBe(`at://${alice.did}/${POST}/${rkey}`);
    expect(post.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['lookup_found']);
    expect((await recordsOf(alice.did)).filter((record) => record.value.text === text)).toHaveLength(1);
  });

  it('sends a crashed delivery whose kept key the PDS never stored under that same key (RecordNotFound), once', async () => {
    const rkey = tidNow();
    const text = `never stored ${rkey}`;
    const { postId } = await crashedDelivery(text, rkey);
    const post = await settled(postId);
    expect(post.status).toBe('published');
    expect(post.deliveries[0].externalId).toBe(`at://${alice.did}/${POST}/${rkey}`);
    expect(post.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['lookup_not_found', 'published']);
    expect((await recordsOf(alice.did)).filter((record) => record.value.text === text)).toHaveLength(1);
  });

  it("finds a crashed delivery without a kept key among the repo's records (listRecords), by its text", async () => {
    const text = `older delivery ${tidNow()}`;
    // On the repo before the delivery is left crashed: the recovery may look at once.
    const made = await pds.xrpc('com.atproto.repo.createRecord', {
      token: (await pds.login(alice.handle, alice.appPassword)).accessJwt,
      body: { repo: alice.did, collection: POST, record: { $type: POST, text, createdAt: new Date().toISOString() } },
    });
    expect(made.status).toBe(200);
    const { postId } = await crashedDelivery(text, null);
    const post = await settled(postId);
    expect(post.status).toBe('published');
    expect(post.deliveries[0].externalId).toBe(made.body.uri);
    expect((await recordsOf(alice.did)).filter((record) => record.value.text === text)).toHaveLength(1);
  });

  it('renews a session the PDS calls expired with refreshSession, once, and publishes without spending an attempt', async () => {
    const before = (await stack.db.query(`SELECT access_token, refresh_token FROM channels WHERE id = $1`, [channelId])).rows[0];
    // Herald reads two hours left in its token; the PDS's clock says they are over.
    await pds.setClockOffset(121 * 60_000);
    try {
      const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'after the clock moved', channelIds: [channelId], schedule: { mode: 'now' } } });
      const post = await settled(created.body.id);
      expect(post.status).toBe('published');
      // The refused call is in the history; the delivery's attempt budget is not spent on it.
      expect(post.deliveries[0].attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual(['auth_expired', 'published']);
      expect(post.deliveries[0].attemptCount).toBe(1);
    } finally {
      await pds.setClockOffset(0);
    }
    const after = (await stack.db.query(`SELECT access_token, refresh_token, status FROM channels WHERE id = $1`, [channelId])).rows[0];
    expect(after.status).toBe('active');
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(stack.workers[0]!.output.filter((line) => line.includes('token renewed') && line.includes(channelId))).toHaveLength(1);
  });
});

/** A record key for now, as Bluesky makes them. */
function tidNow(): string {
  const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
  let value = ((BigInt(Date.now()) * 1000n) << 10n) | BigInt(Math.floor(Math.random() * 1024));
  let key = '';
  for (let index = 0; index < 13; index += 1, value >>= 5n) key = alphabet[Number(value & 31n)] + key;
  return key;
}
