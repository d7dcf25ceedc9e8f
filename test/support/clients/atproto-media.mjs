// Bluesky's own client (@atproto/api 0.21): `agent.uploadBlob` sends raw bytes with the
// encoding it is told (here a wrong one: the PDS answers the type the bytes have), the
// post embeds the blob with alt text and aspect ratio; a blob that is no image is refused
// at createRecord.
// Usage: node atproto-media.mjs <pdsUrl> <handle> <jpeg path>; prints JSON.
import { readFileSync } from 'node:fs';
import { AtpAgent } from '@atproto/api';

const [service, handle, jpegPath] = process.argv.slice(2);
const agent = new AtpAgent({ service });
await agent.login({ identifier: handle, password: 'abcd-efgh-ijkl-mnop' });

const upload = await agent.uploadBlob(readFileSync(jpegPath), { encoding: 'image/png' });
const created = await agent.post({
  text: 'a photo through AtpAgent',
  embed: { $type: 'app.bsky.embed.images', images: [{ image: upload.data.blob, alt: 'a blue photo', aspectRatio: { width: 1080, height: 1080 } }] },
  createdAt: new Date().toISOString(),
});

const text = await agent.uploadBlob(new TextEncoder().encode('not an image at all'), { encoding: 'image/png' });
let refused;
try {
  await agent.post({ text: 'not an image', embed: { $type: 'app.bsky.embed.images', images: [{ image: text.data.blob, alt: '' }] }, createdAt: new Date().toISOString() });
} catch (error) {
  refused = { status: error.status, error: error.error, message: error.message };
}

console.log(
  JSON.stringify({
    blob: { ref: upload.data.blob.ref.toString(), mimeType: upload.data.blob.mimeType, size: upload.data.blob.size },
    created: { uri: created.uri },
    refused,
  }),
);
