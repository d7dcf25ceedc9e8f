/** Record CIDs as a PDS computes them: the mock's (`@ipld/dag-cbor`) against atproto's own (`@atproto/lex-cbor`, over `@atproto/lex-json`'s reading of the JSON). */
import { cidForLex } from '@atproto/lex-cbor';
import { jsonToLex } from '@atproto/lex-json';
import { RAW, cidFor } from './cid';
import { recordCid } from './record-cid';

const atprotoCid = async (record: unknown) => (await cidForLex(jsonToLex(record as Parameters<typeof jsonToLex>[0]))).toString();

describe("a record's CID", () => {
  const post = { $type: 'app.bsky.feed.post', text: 'Hello, AT Protocol! ✨', createdAt: '2026-05-01T09:00:00.000Z', langs: ['en'] };

  it('is what atproto computes for a plain post', async () => {
    const cid = await recordCid(post);
    expect(cid).toMatch(/^bafyrei[a-z2-7]{52}$/);
    expect(cid).toBe(await atprotoCid(post));
  });

  it('is what atproto computes for a reply with strong refs, facets and an image blob ref (a $link is a CID link)', async () => {
    const parent = { uri: 'at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabcdefghij2', cid: await recordCid(post) };
    const reply = {
      ...post,
      text: 'a reply #tag',
      reply: { root: parent, parent },
      facets: [{ index: { byteStart: 8, byteEnd: 12 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'tag' }] }],
      embed: { $type: 'app.bsky.embed.images', images: [{ alt: 'a pixel', image: { $type: 'blob', ref: { $link: cidFor(RAW, 'png bytes') }, mimeType: 'image/png', size: 70 }, aspectRatio: { width: 1, height: 1 } }] },
    };
    expect(await recordCid(reply)).toBe(await atprotoCid(reply));
  });

  it('does not depend on the order of keys, and changes with any value', async () => {
    const reordered = { createdAt: post.createdAt, langs: post.langs, text: post.text, $type: post.$type };
    expect(await recordCid(reordered)).toBe(await recordCid(post));
    expect(await recordCid({ ...post, text: 'Hello, AT Protocol!' })).not.toBe(await recordCid(post));
  });
});
