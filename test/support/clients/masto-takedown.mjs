// Mastodon's own client (masto 8) pages an account's statuses both ways on a mock instance
// (its paginator follows the `Link` header: `rel="next"` by max_id, `rel="prev"` by min_id)
// and deletes a status (`statuses.$select(id).remove()` answers the deleted status), which
// is then not found.
// Usage: node masto-takedown.mjs <instanceUrl> <accessToken>; prints JSON.
import { createRestAPIClient } from 'masto';

const [instanceUrl, accessToken] = process.argv.slice(2);
const masto = createRestAPIClient({ url: instanceUrl, accessToken });
const made = [];
for (let n = 1; n <= 5; n += 1) made.push((await masto.v1.statuses.create({ status: `status ${n}` })).id);
const me = await masto.v1.accounts.verifyCredentials();
const pages = async (paginator) => {
  const out = [];
  for await (const page of paginator) out.push(page.map((status) => status.id));
  return out;
};
const older = await pages(masto.v1.accounts.$select(me.id).statuses.list({ limit: 2 }));
const newer = await pages(masto.v1.accounts.$select(me.id).statuses.list({ limit: 2, maxId: made[2] }).setDirection('prev'));

const removed = await masto.v1.statuses.$select(made[4]).remove();
let after;
try {
  await masto.v1.statuses.$select(made[4]).fetch();
} catch (error) {
  after = { status: error.statusCode, message: error.message };
}
let again;
try {
  await masto.v1.statuses.$select(made[4]).remove();
} catch (error) {
  again = { status: error.statusCode };
}
const left = await masto.v1.accounts.$select(me.id).statuses.list({ limit: 10 });

console.log(JSON.stringify({ made, older, newer, removed: { id: removed.id, text: removed.text }, after, again, left: left.map((status) => status.id) }));
