// Mastodon's own client (masto 8) writes a thread on a mock instance: a status, two replies
// each `inReplyToId` the one before (the second sent twice under one Idempotency-Key), a
// reply to a status the instance does not have (refused), and the account's statuses read
// back with and without replies.
// Usage: node masto-thread.mjs <instanceUrl> <accessToken>; prints JSON.
import { createRestAPIClient } from 'masto';

const [instanceUrl, accessToken] = process.argv.slice(2);
const masto = createRestAPIClient({ url: instanceUrl, accessToken });
const keyed = (key) => ({ requestInit: { headers: { 'Idempotency-Key': key } } });
const stamp = Date.now();

const first = await masto.v1.statuses.create({ status: 'Thread 1/3 from masto' }, keyed(`t1-${stamp}`));
const second = await masto.v1.statuses.create({ status: 'Thread 2/3 from masto', inReplyToId: first.id }, keyed(`t2-${stamp}`));
const again = await masto.v1.statuses.create({ status: 'Thread 2/3 from masto', inReplyToId: first.id }, keyed(`t2-${stamp}`));
const third = await masto.v1.statuses.create({ status: 'Thread 3/3 from masto', inReplyToId: second.id }, keyed(`t3-${stamp}`));

let refused;
try {
  await masto.v1.statuses.create({ status: 'a reply to nothing', inReplyToId: '1' });
} catch (error) {
  refused = { status: error.statusCode, message: error.message };
}

const me = await masto.v1.accounts.verifyCredentials();
const all = await masto.v1.accounts.$select(me.id).statuses.list({ limit: 10 });
const withoutReplies = await masto.v1.accounts.$select(me.id).statuses.list({ limit: 10, excludeReplies: true });

const view = (status) => ({ id: status.id, inReplyToId: status.inReplyToId, inReplyToAccountId: status.inReplyToAccountId });
console.log(
  JSON.stringify({
    accountId: me.id,
    first: view(first),
    second: view(second),
    again: view(again),
    third: view(third),
    refused,
    listed: all.map(view),
    withoutReplies: withoutReplies.map((status) => status.id),
  }),
);
