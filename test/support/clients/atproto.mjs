// Bluesky's own client (@atproto/api 0.21, ESM-only) against the mock PDS: log in with
// an app password, detect facets with RichText (a link, a mention resolved to a DID, a
// hashtag), upload an image blob, post with facets and the image, and read the record
// back; then log in with a password that is not an app password.
// With the control URL, it then has every access token expired and posts again: the agent
// must refresh its session (the PDS answers 400 ExpiredToken) and retry.
// Usage: node atproto.mjs <pdsUrl> <handle> <mentionedHandle> [controlUrl]; prints JSON.
import { AtpAgent, RichText } from '@atproto/api';

const [service, handle, mentioned, controlUrl] = process.argv.slice(2);
const agent = new AtpAgent({ service });
await agent.login({ identifier: handle, password: 'abcd-efgh-ijkl-mnop' });

const rt = new RichText({ text: `Hello @${mentioned} see https://example.com/page #herald ✨` });
await rt.detectFacets(agent);

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const upload = await agent.uploadBlob(png, { encoding: 'image/png' });

const created = await agent.post({
  text: rt.text,
  facets: rt.facets,
  embed: { $type: 'app.bsky.embed.images', images: [{ image: upload.data.blob, alt: 'a pixel', aspectRatio: { width: 1, height: 1 } }] },
  createdAt: new Date().toISOString(),
});
const rkey = created.uri.split('/').pop();
const read = await agent.com.atproto.repo.getRecord({ repo: agent.session.did, collection: 'app.bsky.feed.post', rkey });

let afterExpiry;
if (controlUrl) {
  const before = agent.session.accessJwt;
  const rule = await fetch(`${controlUrl}/_mock/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ network: 'bluesky', expireTokens: true }) });
  const again = await agent.post({ text: 'after the token expired', createdAt: new Date().toISOString() });
  afterExpiry = { rule: rule.status, uri: again.uri, refreshed: agent.session.accessJwt !== before };
}

let refused;
try {
  await new AtpAgent({ service }).login({ identifier: handle, password: 'my real password' });
} catch (error) {
  refused = { status: error.status, error: error.error, message: error.message };
}

console.log(
  JSON.stringify({
    session: { did: agent.session.did, handle: agent.session.handle, pdsUrl: agent.pdsUrl?.toString() },
    facets: rt.facets,
    blob: { ref: upload.data.blob.ref.toString(), mimeType: upload.data.blob.mimeType, size: upload.data.blob.size },
    created: { uri: created.uri, cid: created.cid },
    read: { uri: read.data.uri, cid: read.data.cid, facets: read.data.value.facets, text: read.data.value.text },
    afterExpiry,
    refused,
  }),
);
