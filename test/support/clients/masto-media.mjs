// Mastodon's own client (masto 8) uploads a video to a mock instance: `v2.media.create`
// answers 202 with no URL, masto polls `GET /api/v1/media/:id` (206 while processing)
// until the URL is there, then the status attaches it.
// Usage: node masto-media.mjs <instanceUrl> <accessToken> <mp4 path>; prints JSON.
import { readFileSync } from 'node:fs';
import { createRestAPIClient } from 'masto';

const [instanceUrl, accessToken, mp4Path] = process.argv.slice(2);
const masto = createRestAPIClient({ url: instanceUrl, accessToken });
const media = await masto.v2.media.create({ file: new Blob([readFileSync(mp4Path)], { type: 'video/mp4' }), description: 'two seconds of test pattern' });
const status = await masto.v1.statuses.create({ status: 'A video from masto', mediaIds: [media.id] });

console.log(
  JSON.stringify({
    media: { id: media.id, type: media.type, url: media.url, description: media.description, meta: media.meta },
    status: { id: status.id, media: status.mediaAttachments.map((item) => ({ id: item.id, type: item.type })) },
  }),
);
