/**
 * Secrets at rest and in logs: a channel's access token is stored encrypted
 * (AES-256-GCM), never returned by the API, never written to any log line of
 * a publish; `npm run rotate-keys` re-encrypts under a new key.
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';
import { image, startFileServer } from './support/media-files';

/**
 * Opens a stored value as README's envelope says, `v1.<keyId>.<iv>.<tag>.<ciphertext>`
 * (base64url), with AES-256-GCM from node:crypto: throws unless `key` sealed it.
 */
function openSealed(stored: string, key: Buffer): string {
  const [version, , iv, tag, sealed] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error(`not a v1 envelope: ${stored}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * Whether the token can be read from the stored value without any key: in
 * plain text, reversed, or in any of the encodings a "cipher" might hide it
 * in (base64, base64url, hex), anywhere in the value or in any part of it.
 */
function readableWithoutKey(stored: string, token: string): boolean {
  const forms = [token, [...token].reverse().join('')].map((text) => Buffer.from(text, 'utf8'));
  const encoded = forms.flatMap((bytes) => [bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex')]);
  if ([...forms.map((bytes) => bytes.toString('utf8')), ...encoded].some((text) => stored.toLowerCase().includes(text.toLowerCase()))) return true;
  const decoded = stored.split('.').flatMap((part) => [Buffer.from(part, 'base64url'), Buffer.from(part, 'base64'), Buffer.from(part, 'hex')]);
  return decoded.some((bytes) => forms.some((form) => bytes.includes(form)));
}

describe('secrets', () => {
  let stack: InProcessStack;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { LOG_LEVEL: 'verbose' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('stores channel tokens encrypted, never shows or logs them, and rotates the key', async () => {
    const { apiKey } = await stack.workspace('secrets');
    const handle = `secret_${Date.now().toString(36)}`;
    // A token issued by the network itself, handed to Herald as a user would paste one.
    const issued = await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'mastodon', handle } });
    const token: string = issued.body.accessToken;
    expect(token.length).toBeGreaterThan(20);

    const channel = await stack.channel(apiKey, { network: 'mastodon', handle, accessToken: token });
    expect(JSON.stringify(channel)).not.toContain(token);
    const stored = (await stack.db.query('SELECT access_token FROM channels WHERE id = $1', [channel.id])).rows[0].access_token as string;
    expect(stored).not.toContain(token);
    expect(stored).toMatch(/^v1\./);
    // Checked against node:crypto and this test's own key, not against Herald's cipher: only that key opens it.
    const key = Buffer.from(stack.encryptionKey, 'base64');
    expect(openSealed(stored, key)).toBe(token);
    expect(() => openSealed(stored, randomBytes(32))).toThrow();
    expect(stored.split('.')[1]).toBe(createHash('sha256').update(key).digest('hex').slice(0, 8));
    expect(readableWithoutKey(stored, token)).toBe(false);
    // The same token sealed again (the same account connected in a second workspace): a fresh IV, so nothing in common.
    const other = await stack.workspace('secrets again');
    const again = await stack.channel(other.apiKey, { network: 'mastodon', handle, accessToken: token });
    const storedAgain = (await stack.db.query('SELECT access_token FROM channels WHERE id = $1', [again.id])).rows[0].access_token as string;
    expect(openSealed(storedAgain, key)).toBe(token);
    const [, , iv, tag, sealed] = stored.split('.');
    const [, , ivAgain, tagAgain, sealedAgain] = storedAgain.split('.');
    expect(ivAgain).not.toBe(iv);
    expect(tagAgain).not.toBe(tag);
    expect(sealedAgain).not.toBe(sealed);
    const dump = await stack.db.query(`SELECT row_to_json(c)::text AS row FROM channels c`);
    expect(dump.rows.some((row: { row: string }) => row.row.includes(token))).toBe(false);

    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'sealed', channelIds: [channel.id], schedule: { mode: 'now' } } });
    await waitFor('publish', async () => (await http('GET', `${stack.apiUrl}/v1/posts/${post.body.id}`, { token: apiKey })).body.status === 'published');
    expect((await http('GET', `${stack.apiUrl}/v1/channels/${channel.id}`, { token: apiKey })).body).not.toHaveProperty('accessToken');
    const logs = stack.log.join('\n');
    expect(logs).toContain('"published"');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(apiKey);

    // Rotation: a new key encrypts, the old one still decrypts until rotate-keys has run.
    const newKey = randomBytes(32).toString('base64');
    const output = execFileSync(process.execPath, [join(__dirname, '../dist/libs/db/src/rotate-keys.js')], {
      env: { ...process.env, DATABASE_URL: (stack.db as unknown as { options: { connectionString: string } }).options.connectionString, HERALD_ENCRYPTION_KEY: newKey, HERALD_ENCRYPTION_OLD_KEYS: stack.encryptionKey },
      encoding: 'utf8',
    });
    expect(output).toMatch(/re-encrypted 2 of 2/);
    const rotated = (await stack.db.query('SELECT access_token FROM channels WHERE id = $1', [channel.id])).rows[0].access_token as string;
    expect(rotated).not.toBe(stored);
    expect(rotated.split('.')[1]).not.toBe(stored.split('.')[1]);
    expect(openSealed(rotated, Buffer.from(newKey, 'base64'))).toBe(token);
    expect(() => openSealed(rotated, key)).toThrow();
  });
});

describe('limits and hostile input', () => {
  let stack: InProcessStack;

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0, env: { RATE_LIMIT_PER_MINUTE: '5', HERALD_URL_ALLOWLIST: 'localhost' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('limits each API key separately: past the limit, 429 with Retry-After and RateLimit headers', async () => {
    const [a, b] = await Promise.all([stack.workspace('a'), stack.workspace('b')]);
    const answers = [];
    for (let index = 0; index < 6; index += 1) answers.push(await http('GET', `${stack.apiUrl}/v1/posts`, { token: a.apiKey }));
    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0]!.headers.get('ratelimit-limit')).toBe('5');
    expect(answers[4]!.headers.get('ratelimit-remaining')).toBe('0');
    const limited = answers[5]!;
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key has its own budget; health is never limited.
    expect((await http('GET', `${stack.apiUrl}/v1/posts`, { token: b.apiKey })).status).toBe(200);
    for (let index = 0; index < 8; index += 1) expect((await http('GET', `${stack.apiUrl}/health/live`)).status).toBe(200);
  });

  it('sends security headers and no CORS headers', async () => {
    const answer = await http('GET', `${stack.apiUrl}/health/live`, { headers: { origin: 'https://evil.example' } });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses media URLs into private networks unless allow-listed, writing nothing', async () => {
    const { apiKey } = await stack.workspace('media');
    const channel = await stack.channel(apiKey, { network: 'x', handle: 'media_check' });
    const post = (url: string) =>
      http('POST', `${stack.apiUrl}/v1/posts`, {
        token: apiKey,
        body: { text: 'pic', channelIds: [channel.id], media: [{ url }], schedule: { mode: 'draft' } },
      });
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/a.png', 'http://[::1]/a.png']) {
      const answer = await post(url);
      expect(answer.status).toBe(422);
      expect(answer.body.errors[0].path).toBe('media[0].url');
    }
    expect((await stack.db.query('SELECT count(*)::int AS n FROM posts')).rows[0].n).toBe(0);
    // An allow-listed host is fetched (imported into the media library): here a server of the test's own on loopback.
    const files = await startFileServer('127.0.0.1');
    try {
      files.put('/a.png', await image('png', 20, 20), 'image/png');
      const allowed = await post(`${files.url.replace('127.0.0.1', 'localhost')}/a.png`);
      expect(allowed.status).toBe(201);
      expect(files.hits.get('/a.png')).toBe(1);
    } finally {
      await files.stop();
    }
  });
});
