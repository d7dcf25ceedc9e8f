/**
 * The test PDS itself (test/support/pds), before Herald's Bluesky adapter is tested against it:
 * accounts with app passwords, a post at a chosen record key with link, mention and hashtag facets
 * read back through @atproto/api, and the three ways an access token is made to expire.
 */
import { randomInt } from 'node:crypto';
import { sleep } from './support/http';
import { startPds, type TestAccount, type TestPds } from './support/pds/pds-harness';
import { type Facet, readBlob, readRecord } from './support/pds/read-back';

const POST = 'app.bsky.feed.post';
// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A record key as Bluesky makes them: microseconds since 1970 and a 10-bit clock id, base32-sortable. */
function tid(now = Date.now()): string {
  const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
  let value = ((BigInt(now) * 1000n) << 10n) | BigInt(randomInt(1024));
  let key = '';
  for (let i = 0; i < 13; i++, value >>= 5n) key = alphabet[Number(value & 31n)] + key;
  return key;
}

/** Where fragment sits in text, in UTF-8 bytes as facets count them. */
function byteRange(text: string, fragment: string): Facet['index'] {
  const at = text.indexOf(fragment);
  if (at < 0) throw new Error(`"${fragment}" is not in "${text}"`);
  const byteStart = Buffer.byteLength(text.slice(0, at));
  return { byteStart, byteEnd: byteStart + Buffer.byteLength(fragment) };
}

describe('the reference Bluesky PDS on loopback', () => {
  let pds: TestPds;
  let alice: TestAccount;
  let bob: TestAccount;

  beforeAll(async () => {
    pds = await startPds();
    console.info(`PDS up in ${pds.startupMs} ms (child: ${JSON.stringify(pds.timings)})`);
    [alice, bob] = await Promise.all([pds.createAccount('alice'), pds.createAccount('bob')]);
  });

  afterAll(async () => {
    await pds?.stop();
  });

  it('logs in with an app password and resolves handle -> DID -> PDS', async () => {
    const session = await pds.login(alice.handle, alice.appPassword);
    expect(session).toMatchObject({ did: alice.did, handle: 'alice.test' });
    expect(await pds.resolveHandle(alice.handle)).toBe(alice.did);
    expect(await pds.getPdsEndpoint(alice.did)).toBe(pds.url);
    expect(new URL(pds.url).hostname).toBe('localhost');
  });

  it('keeps a post at the chosen record key with link, mention and hashtag facets at UTF-8 byte ranges', async () => {
    const { accessJwt } = await pds.login(alice.handle, alice.appPassword);
    const link = 'https://example.com/herald?utm=1';
    const text = `Café ☕ with @${bob.handle}: read ${link} #herald 🚀`;
    const facets: Facet[] = [
      { index: byteRange(text, link), features: [{ $type: 'app.bsky.richtext.facet#link', uri: link }] },
      { index: byteRange(text, `@${bob.handle}`), features: [{ $type: 'app.bsky.richtext.facet#mention', did: bob.did }] },
      { index: byteRange(text, '#herald'), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'herald' }] },
    ];
    // "é" and "☕" take more bytes than UTF-16 units: byte ranges differ from string indexes.
    expect(facets[1]!.index.byteStart).toBeGreaterThan(text.indexOf('@'));
    const rkey = tid();

    const created = await pds.xrpc('com.atproto.repo.createRecord', {
      token: accessJwt,
      body: { repo: alice.did, collection: POST, rkey, record: { $type: POST, text, facets, createdAt: new Date().toISOString() } },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ uri: `at://${alice.did}/${POST}/${rkey}`, validationStatus: 'valid' });

    const read = await readRecord(pds.url, alice.handle, rkey);
    if (!read.ok) throw new Error(`getRecord refused: ${JSON.stringify(read)}`);
    expect(read.uri).toBe(`at://${alice.did}/${POST}/${rkey}`);
    expect(read.value.text).toBe(text);
    expect(read.value.facets).toEqual(facets);
    const bytes = Buffer.from(read.value.text);
    const marked = read.value.facets!.map(({ index }) => bytes.subarray(index.byteStart, index.byteEnd).toString());
    expect(marked).toEqual([link, '@bob.test', '#herald']);
  });

  it('answers 400 RecordNotFound for a record key that holds nothing', async () => {
    expect(await readRecord(pds.url, alice.did, tid())).toMatchObject({ ok: false, status: 400, error: 'RecordNotFound' });
  });

  it('serves an image post and its blob', async () => {
    const { accessJwt } = await pds.login(alice.handle, alice.appPassword);
    const uploaded = await pds.xrpc('com.atproto.repo.uploadBlob', { token: accessJwt, body: new Uint8Array(PNG), contentType: 'image/png' });
    expect(uploaded.status).toBe(200);
    const image = uploaded.body.blob;
    const rkey = tid();
    const record = { $type: POST, text: 'a dot', createdAt: new Date().toISOString(), embed: { $type: 'app.bsky.embed.images', images: [{ image, alt: 'a dot' }] } };
    expect((await pds.xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: { repo: alice.did, collection: POST, rkey, record } })).status).toBe(200);

    const read = await readRecord(pds.url, alice.did, rkey);
    expect(read).toMatchObject({ ok: true, value: { embed: { images: [{ image: { $type: 'blob', ref: { $link: image.ref.$link }, mimeType: 'image/png', size: PNG.length } }] } } });
    expect(await readBlob(pds.url, alice.did, image.ref.$link)).toEqual({ ok: true, size: PNG.length, mimeType: 'image/png' });
  });

  it('answers 400 ExpiredToken for an access token minted already expired, and accepts one minted valid', async () => {
    const record = { $type: POST, text: 'too late', createdAt: new Date().toISOString() };
    const expired = pds.mintAccessToken({ did: alice.did, expiresInSeconds: -1, scope: 'com.atproto.appPass' });
    const refused = await pds.xrpc('com.atproto.repo.createRecord', { token: expired, body: { repo: alice.did, collection: POST, record } });
    expect(refused).toMatchObject({ status: 400, body: { error: 'ExpiredToken' } });

    const valid = pds.mintAccessToken({ did: alice.did, expiresInSeconds: 60 });
    expect((await pds.xrpc('com.atproto.server.getSession', { token: valid })).status).toBe(200);
  });

  it('expires an access token given a 2-second lifetime, and refreshSession rotates the session', async () => {
    await pds.setAccessTokenTtl(2, { did: bob.did });
    try {
      const session = await pds.login(bob.handle, bob.appPassword);
      expect((await pds.xrpc('com.atproto.server.getSession', { token: session.accessJwt })).status).toBe(200);
      await sleep(3000);
      expect(await pds.xrpc('com.atproto.server.getSession', { token: session.accessJwt })).toMatchObject({ status: 400, body: { error: 'ExpiredToken' } });

      const refreshed = await pds.xrpc('com.atproto.server.refreshSession', { method: 'POST', token: session.refreshJwt });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshJwt).not.toBe(session.refreshJwt);
      expect((await pds.xrpc('com.atproto.server.getSession', { token: refreshed.body.accessJwt })).status).toBe(200);
      // Only bob's tokens are short-lived.
      const aliceSession = await pds.login(alice.handle, alice.appPassword);
      expect(lifetimeSeconds(aliceSession.accessJwt)).toBe(120 * 60);
    } finally {
      await pds.setAccessTokenTtl(null, { did: bob.did });
    }
  });

  it('ages the tokens already issued when its clock moves', async () => {
    const session = await pds.login(alice.handle, alice.appPassword);
    await pds.setClockOffset(121 * 60_000);
    try {
      expect(await pds.xrpc('com.atproto.server.getSession', { token: session.accessJwt })).toMatchObject({ status: 400, body: { error: 'ExpiredToken' } });
    } finally {
      await pds.setClockOffset(0);
    }
    expect((await pds.xrpc('com.atproto.server.getSession', { token: session.accessJwt })).status).toBe(200);
  });
});

function lifetimeSeconds(jwt: string): number {
  const { iat, exp } = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
  return exp - iat;
}
