// Bluesky's own client (@atproto/api 0.21) deletes a post on the mock PDS (`agent.deletePost`,
// com.atproto.repo.deleteRecord); getRecord then answers RecordNotFound, and a second
// delete is a no-op.
// Usage: node atproto-takedown.mjs <pdsUrl> <handle>; prints JSON.
import { AtpAgent } from '@atproto/api';

const [service, handle] = process.argv.slice(2);
const agent = new AtpAgent({ service });
await agent.login({ identifier: handle, password: 'abcd-efgh-ijkl-mnop' });
const post = await agent.post({ text: 'to be taken down', createdAt: new Date().toISOString() });
const rkey = post.uri.split('/').pop();
await agent.deletePost(post.uri);
let read;
try {
  await agent.com.atproto.repo.getRecord({ repo: agent.session.did, collection: 'app.bsky.feed.post', rkey });
} catch (error) {
  read = { status: error.status, error: error.error };
}
const again = await agent.com.atproto.repo.deleteRecord({ repo: agent.session.did, collection: 'app.bsky.feed.post', rkey });
console.log(JSON.stringify({ uri: post.uri, read, again: { success: again.success, data: again.data } }));
