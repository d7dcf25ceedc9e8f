// X's own SDK (@xdevplatform/xdk 0.6) uploads media to the mock X as it sends it: an image
// one-shot (`media.upload`: base64 `media` in a JSON body, snake_case keys), alt text
// (`media.createMetadata`), a video in chunks (`initializeUpload`, `appendUpload` with
// `segment_index`, `finalizeUpload`, `getUploadStatus` with command STATUS until it
// succeeds), then a post with both kinds refused and the video alone taken.
// Usage: node xdk-media.mjs <xBaseUrl> <accessToken> <png path> <mp4 path>; prints JSON.
import { readFileSync } from 'node:fs';
import { Client } from '@xdevplatform/xdk';

const [baseUrl, accessToken, pngPath, mp4Path] = process.argv.slice(2);
const client = new Client({ baseUrl, accessToken });
const png = readFileSync(pngPath);
const mp4 = readFileSync(mp4Path);

const image = await client.media.upload({ media: png.toString('base64'), mediaCategory: 'tweet_image' });
const alt = await client.media.createMetadata({ id: image.data.id, metadata: { altText: { text: 'a blue square' } } });

const init = await client.media.initializeUpload({ mediaType: 'video/mp4', totalBytes: mp4.length, mediaCategory: 'tweet_video' });
const id = init.data.id;
const half = Math.ceil(mp4.length / 2);
await client.media.appendUpload(id, { media: mp4.subarray(0, half).toString('base64'), segmentIndex: 0 });
await client.media.appendUpload(id, { media: mp4.subarray(half).toString('base64'), segmentIndex: 1 });
const finalized = await client.media.finalizeUpload(id);
const states = [];
for (let poll = 0; poll < 5; poll += 1) {
  const status = await client.media.getUploadStatus(id, { command: 'STATUS' });
  states.push(status.data.processingInfo.state);
  if (status.data.processingInfo.state === 'succeeded') break;
}

let mixed;
try {
  await client.posts.create({ text: `video and image ${Date.now()}`, media: { mediaIds: [id, image.data.id] } });
} catch (error) {
  mixed = { status: error.status, detail: error.data?.detail };
}
const tweet = await client.posts.create({ text: `a video from xdk ${Date.now()}`, media: { mediaIds: [id] } });
const withImage = await client.posts.create({ text: `an image from xdk ${Date.now()}`, media: { mediaIds: [image.data.id] } });

console.log(
  JSON.stringify({
    image: image.data,
    alt: alt.data,
    init: init.data,
    finalized: finalized.data,
    states,
    mixed,
    tweet: tweet.data,
    withImage: withImage.data,
  }),
);
