// Bluesky's own client (@atproto/api 0.21) writes a thread on the mock PDS: a post, then two
// replies with `reply: {root, parent}` strong refs (uri + cid, as createRecord answered them),
// each read back with getRecord; then replies the PDS must refuse: a parent that is not
// there, a parent's cid that is not its record's, and a root that is not the thread's.
// Usage: node atproto-thread.mjs <pdsUrl> <handle>; prints JSON.
import { AtpAgent } from '@atproto/api';

const [service, handle] = process.argv.slice(2);
const agent = new AtpAgent({ service });
await agent.login({ identifier: handle, password: 'abcd-efgh-ijkl-mnop' });
const now = () => new Date().toISOString();
const ref = ({ uri, cid }) => ({ uri, cid });

const root = await agent.post({ text: 'Thread 1/3 from AtpAgent', createdAt: now() });
const second = await agent.post({ text: 'Thread 2/3', reply: { root: ref(root), parent: ref(root) }, createdAt: now() });
const third = await agent.post({ text: 'Thread 3/3', reply: { root: ref(root), parent: ref(second) }, createdAt: now() });
const read = async ({ uri }) => (await agent.com.atproto.repo.getRecord({ repo: agent.session.did, collection: 'app.bsky.feed.post', rkey: uri.split('/').pop() })).data;

const refusal = async (reply) => {
  try {
    await agent.post({ text: 'should be refused', reply, createdAt: now() });
    return undefined;
  } catch (error) {
    return { status: error.status, error: error.error, message: error.message };
  }
};
const missing = { uri: `at://${agent.session.did}/app.bsky.feed.post/3kzzzzzzzzzz2`, cid: root.cid };
const refused = {
  missingParent: await refusal({ root: ref(root), parent: missing }),
  wrongCid: await refusal({ root: ref(root), parent: { uri: second.uri, cid: root.cid } }),
  wrongRoot: await refusal({ root: ref(second), parent: ref(third) }),
};

console.log(
  JSON.stringify({
    did: agent.session.did,
    created: [root, second, third].map(ref),
    read: await Promise.all([root, second, third].map(read)),
    refused,
  }),
);
