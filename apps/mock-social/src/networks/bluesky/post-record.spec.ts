/** A PDS's checks of a post record, on concrete records (byte ranges counted by hand). */
import { DAG_CBOR, RAW, cidFor } from './cid';
import { StoredBlob, checkPostRecord } from './post-record';

const createdAt = '2026-05-01T09:00:00.000Z';
const png: StoredBlob = { cid: cidFor(RAW, 'png bytes'), type: 'image', mimeType: 'image/png', size: 1234, width: 20, height: 10 };
const huge: StoredBlob = { cid: cidFor(RAW, 'huge'), type: 'image', mimeType: 'image/jpeg', size: 2_000_001 };
const blobs = new Map([png, huge].map((blob) => [blob.cid, blob]));
const blobOf = (cid: string) => blobs.get(cid);
const ref = (blob: StoredBlob) => ({ $type: 'blob', ref: { $link: blob.cid }, mimeType: blob.mimeType, size: blob.size });
const post = (extra: Record<string, unknown>) => ({ $type: 'app.bsky.feed.post', text: 'héllo #tag https://ex.am/ple', createdAt, ...extra });
const facet = (byteStart: number, byteEnd: number, feature: Record<string, unknown>) => ({ index: { byteStart, byteEnd }, features: [feature] });
const tag = { $type: 'app.bsky.richtext.facet#tag', tag: 'tag' };

describe('app.bsky.feed.post records as a PDS checks them', () => {
  it('takes text with well-formed link, tag and mention facets in UTF-8 bytes', () => {
    // "héllo " is 7 bytes (é is two), "#tag" 7..11, the link 12..29.
    const facets = [
      facet(7, 11, tag),
      facet(12, 29, { $type: 'app.bsky.richtext.facet#link', uri: 'https://ex.am/ple' }),
      facet(0, 6, { $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:abcdefghijklmnopqrstuvwx' }),
    ];
    expect(checkPostRecord(post({ facets }), blobOf)).toMatchObject({ ok: true, facets, media: [] });
  });

  it.each([
    ['a range past the text', [facet(7, 30, tag)], /byteEnd must be within the text \(29 bytes\)/],
    ['an empty range', [facet(7, 7, tag)], /byteEnd must be greater than byteStart/],
    ['an offset inside a character', [facet(2, 6, tag)], /UTF-8 character boundaries/],
    ['a tag with its #', [facet(7, 11, { ...tag, tag: '#tag' })], /without "#"/],
    ['a mention without a DID', [facet(0, 6, { $type: 'app.bsky.richtext.facet#mention', did: 'alice.test' })], /did must be a valid did/],
    ['a link that is no URI', [facet(12, 29, { $type: 'app.bsky.richtext.facet#link', uri: 'not a uri' })], /uri must be a uri/],
    ['a feature without $type', [facet(7, 11, { tag: 'tag' })], /includes the "\$type" property/],
    ['character offsets', [{ index: { byteStart: '7', byteEnd: 11 }, features: [tag] }], /byteStart must be an integer/],
  ])('refuses %s with InvalidRequest', (_what, facets, message) => {
    expect(checkPostRecord(post({ facets }), blobOf)).toEqual({ ok: false, error: 'InvalidRequest', message: expect.stringMatching(message) });
  });

  it('takes an images embed of uploaded blobs, and reports them as media', () => {
    const embed = { $type: 'app.bsky.embed.images', images: [{ image: ref(png), alt: '', aspectRatio: { width: 2, height: 1 } }] };
    expect(checkPostRecord(post({ embed }), blobOf)).toMatchObject({ ok: true, embed, media: [{ type: 'image', mimeType: 'image/png', size: 1234, width: 20, height: 10, alt: '' }] });
  });

  it('refuses an image given by URL, an unknown blob, a blob too large, and a missing alt', () => {
    const images = (image: unknown, alt: string | null = 'a') => ({ embed: { $type: 'app.bsky.embed.images', images: [{ image, ...(alt === null ? {} : { alt }) }] } });
    expect(checkPostRecord(post(images({ url: 'https://cdn.example/a.png' })), blobOf)).toEqual({
      ok: false,
      error: 'InvalidRequest',
      message: 'Invalid app.bsky.feed.post record: Expected blob value type',
    });
    expect(checkPostRecord(post(images(ref({ ...png, cid: cidFor(RAW, 'other') }))), blobOf)).toMatchObject({ ok: false, error: 'BlobNotFound' });
    expect(checkPostRecord(post(images(ref(huge))), blobOf)).toMatchObject({ ok: false, error: 'BlobTooLarge' });
    expect(checkPostRecord(post(images(ref(png), null)), blobOf)).toMatchObject({ ok: false, message: expect.stringMatching(/property "alt"/) });
  });

  it('takes a link card, and refuses records without createdAt or with another $type', () => {
    const embed = { $type: 'app.bsky.embed.external', external: { uri: 'https://ex.am/ple', title: 'T', description: 'D', thumb: ref(png) } };
    expect(checkPostRecord(post({ embed }), blobOf)).toMatchObject({ ok: true, media: [] });
    expect(checkPostRecord(post({ createdAt: 'yesterday' }), blobOf)).toMatchObject({ ok: false, message: expect.stringMatching(/createdAt/) });
    expect(checkPostRecord(post({ $type: 'app.bsky.feed.like' }), blobOf)).toMatchObject({ ok: false });
  });

  it('takes a reply of two strong refs and reports it; refuses a missing parent, a ref without cid, a URI that is no at:// URI', () => {
    const ref = { uri: 'at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabcdefghij2', cid: cidFor(DAG_CBOR, 'a record') };
    expect(checkPostRecord(post({ reply: { root: ref, parent: ref } }), blobOf)).toMatchObject({ ok: true, reply: { root: ref, parent: ref } });
    expect(checkPostRecord(post({ reply: { root: ref } }), blobOf)).toEqual({ ok: false, error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: Record/reply must have the property "parent"' });
    expect(checkPostRecord(post({ reply: { root: ref, parent: { uri: ref.uri } } }), blobOf)).toMatchObject({ ok: false, message: expect.stringMatching(/reply\/parent must have the property "cid"/) });
    expect(checkPostRecord(post({ reply: { root: ref, parent: { ...ref, cid: 'bafy-not-a-cid' } } }), blobOf)).toMatchObject({ ok: false, message: expect.stringMatching(/parent\/cid must be a cid string/) });
    expect(checkPostRecord(post({ reply: { root: { ...ref, uri: 'https://bsky.app/post/1' }, parent: ref } }), blobOf)).toMatchObject({ ok: false, message: expect.stringMatching(/root\/uri must be a valid at-uri/) });
  });
});
