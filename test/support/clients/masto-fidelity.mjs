// Mastodon's own client (masto 8) against a mock instance, where the mock must answer as
// Mastodon does: a status over the instance's 500 characters refused with Mastodon's 422
// and its own words, read from masto's error.
// Usage: node masto-fidelity.mjs <instanceUrl> <accessToken>; prints JSON.
import { createRestAPIClient } from 'masto';

const [instanceUrl, accessToken] = process.argv.slice(2);
const masto = createRestAPIClient({ url: instanceUrl, accessToken });
let tooLong;
try {
  await masto.v1.statuses.create({ status: 'm'.repeat(501) });
} catch (error) {
  tooLong = { status: error.statusCode, message: error.message };
}
const fine = await masto.v1.statuses.create({ status: 'm'.repeat(500) });
console.log(JSON.stringify({ tooLong, fine: fine.text.length }));
