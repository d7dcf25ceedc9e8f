// Bluesky's own client (@atproto/api 0.21) against the mock PDS, where the mock must answer as
// a PDS does: the RateLimit-* headers on every answer (the XRPC responses' headers), a
// record's CID the one atproto computes over its DAG-CBOR (the client's own check follows in
// the spec), the AppView's getPosts naming that CID and the record itself, and a text too
// long refused in the lexicon validator's own words.
// Usage: node atproto-fidelity.mjs <pdsUrl> <handle>; prints JSON.
import { AtpAgent } from '@atproto/api';

const [service, handle] = process.argv.slice(2);
const agent = new AtpAgent({ service });
await agent.login({ identifier: handle, password: 'abcd-efgh-ijkl-mnop' });
const record = { $type: 'app.bsky.feed.post', text: 'counted by the PDS', createdAt: new Date().toISOString(), langs: ['en'] };
const created = await agent.com.atproto.repo.createRecord({ repo: agent.session.did, collection: 'app.bsky.feed.post', record });
const listed = await agent.com.atproto.repo.listRecords({ repo: agent.session.did, collection: 'app.bsky.feed.post' });
const posts = await agent.getPosts({ uris: [created.data.uri] });
const headersOf = (response) => Object.fromEntries(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'].map((name) => [name, response.headers[name] ?? null]));

let tooLong;
try {
  await agent.post({ text: 'é'.repeat(301), createdAt: new Date().toISOString() });
} catch (error) {
  tooLong = { status: error.status, error: error.error, message: error.message };
}
console.log(
  JSON.stringify({
    record,
    created: { uri: created.data.uri, cid: created.data.cid, headers: headersOf(created) },
    listed: headersOf(listed),
    viewed: { cid: posts.data.posts[0]?.cid, text: posts.data.posts[0]?.record?.text },
    tooLong,
  }),
);
