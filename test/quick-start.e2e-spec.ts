/**
 * The quick start (scripts/start.js, what `npm start` runs after the build) as a newcomer sees it:
 * a handful of lines, then one banner saying where everything is, with no JSON log line and no
 * per-request line before it. Run with --exit-when-ready on a database, ports and queue prefix of its own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL, REDIS_URL, databaseUrl, testDatabase } from './support/env';
import { freePort } from './support/ports';

const START = join(__dirname, '../scripts/start.js');
const MOST_LINES_BEFORE_READY = 30;

function runStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START, '--exit-when-ready'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: output.split('\n') });
    });
  });
}

describe('npm start', () => {
  const database = testDatabase('quickstart');

  afterAll(async () => {
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).finally(() => admin.end());
  });

  it(`says in at most ${MOST_LINES_BEFORE_READY} readable lines that Herald is running and where, then stops cleanly`, async () => {
    const [port, mockPort] = await Promise.all([freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl(database),
      REDIS_URL,
      PORT: String(port),
      MOCK_SOCIAL_PORT: String(mockPort),
      MOCK_SOCIAL_NETWORK_PORTS: '0',
      WORKER_METRICS_PORT: '0',
      HERALD_QUEUE_PREFIX: `qs${randomBytes(4).toString('hex')}`,
      HERALD_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NO_COLOR: '1',
    };
    // As a developer runs it: NODE_ENV and LOG_LEVEL unset (jest sets NODE_ENV=test).
    for (const name of ['NODE_ENV', 'LOG_LEVEL', 'LOG_FORMAT', 'HERALD_PUBLIC_URL', 'MOCK_SOCIAL_URL', 'FORCE_COLOR']) delete env[name];

    const { code, lines } = await runStart(env);
    const ready = lines.findIndex((line) => line.includes('Herald is running'));
    expect({ code, ready: ready >= 0 }).toEqual({ code: 0, ready: true });
    const before = lines.slice(0, ready);
    expect(before.length).toBeLessThanOrEqual(MOST_LINES_BEFORE_READY);
    // Readable lines, not JSON objects; no request line (those are debug).
    expect(before.filter((line) => /^(\[[a-z-]+\] )?\{/.test(line))).toEqual([]);
    expect(before.filter((line) => /\b(GET|POST) \//.test(line))).toEqual([]);
    expect(before.join('\n')).toMatch(/\[worker\] \d\d:\d\d:\d\d INFO +worker ready/);

    const banner = lines.slice(ready, ready + 12).join('\n');
    expect(banner).toContain(`http://127.0.0.1:${port}/`);
    expect(banner).toContain(`http://127.0.0.1:${port}/docs`);
    expect(banner).toContain(`http://127.0.0.1:${port}/admin/ui`);
    expect(banner).toContain(`http://127.0.0.1:${mockPort}/_mock/posts`);
    expect(banner).toMatch(/mock Mastodon +http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toContain('the admin token is from HERALD_ADMIN_TOKEN');
    expect(banner).not.toContain(env.HERALD_ADMIN_TOKEN);
    expect(banner).toMatch(/running +the API, a worker, the mock networks; Postgres 127\.0\.0\.1:5432\/herald_e2e_/);
  });
});
