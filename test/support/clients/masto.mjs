// Mastodon's own client (masto 8, ESM-only) against a mock instance: register an app,
// look up the account and the instance, upload an image (multipart; masto polls the
// media until it is processed), and post a status twice with one Idempotency-Key.
// Usage: node masto.mjs <instanceUrl> <accessToken>; prints JSON.
import { createRestAPIClient } from 'masto';

const [instanceUrl, accessToken] = process.argv.slice(2);
const masto = createRestAPIClient({ url: instanceUrl, accessToken });

// A 1x1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const app = await createRestAPIClient({ url: instanceUrl }).v1.apps.create({ clientName: 'masto check', redirectUris: 'http://127.0.0.1/callback', scopes: 'read write' });
const account = await masto.v1.accounts.verifyCredentials();
const instance = await masto.v2.instance.fetch();
const media = await masto.v2.media.create({ file: new Blob([png], { type: 'image/png' }), description: 'a single pixel' });
const key = `masto-${Date.now()}`;
const first = await masto.v1.statuses.create({ status: 'Hello from masto', mediaIds: [media.id], visibility: 'public' }, { requestInit: { headers: { 'Idempotency-Key': key } } });
const second = await masto.v1.statuses.create({ status: 'Hello from masto', mediaIds: [media.id], visibility: 'public' }, { requestInit: { headers: { 'Idempotency-Key': key } } });
const statuses = await masto.v1.accounts.$select(account.id).statuses.list({ limit: 5 });

console.log(
  JSON.stringify({
    app: { clientId: app.clientId, hasSecret: typeof app.clientSecret === 'string' },
    account: { id: account.id, username: account.username, acct: account.acct },
    maxCharacters: instance.configuration.statuses.maxCharacters,
    media: { id: media.id, url: media.url, description: media.description, meta: media.meta },
    first: { id: first.id, text: first.text, url: first.url, media: first.mediaAttachments.length },
    second: { id: second.id },
    key,
    listed: statuses.map((status) => status.id),
  }),
);
