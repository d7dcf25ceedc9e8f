// X's own SDK (@xdevplatform/xdk 0.6) against the mock X, where the mock must answer as X
// does: a post with an image and its alt text read back by id with
// `expansions=attachments.media_keys&media.fields=alt_text` (the media in `includes`), the
// rate-limit headers on that answer (its `raw` response), and a post too long for X
// refused with X's own error body (the specifics in `errors[]`).
// Usage: node xdk-fidelity.mjs <xBaseUrl> <accessToken> <png path>; prints JSON.
import { readFileSync } from 'node:fs';
import { Client } from '@xdevplatform/xdk';

const [baseUrl, accessToken, pngPath] = process.argv.slice(2);
const client = new Client({ baseUrl, accessToken });
const image = await client.media.upload({ media: readFileSync(pngPath).toString('base64'), mediaCategory: 'tweet_image' });
await client.media.createMetadata({ id: image.data.id, metadata: { altText: { text: 'a blue square' } } });
const posted = await client.posts.create({ text: `an image with alt text ${Date.now()}`, media: { mediaIds: [image.data.id] } });

const raw = await client.posts.getById(posted.data.id, { expansions: ['attachments.media_keys'], mediaFields: ['alt_text'], requestOptions: { raw: true } });
const read = await raw.json();
const headers = Object.fromEntries(['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'].map((name) => [name, raw.headers.get(name)]));

let tooLong;
try {
  await client.posts.create({ text: 'x'.repeat(281) });
} catch (error) {
  tooLong = { status: error.status, body: error.data };
}
console.log(JSON.stringify({ id: posted.data.id, mediaId: image.data.id, read, headers, tooLong }));
