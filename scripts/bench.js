#!/usr/bin/env node
/**
 * `npm run bench` (after `npm run build`): starts the built mock networks, API
 * and worker against a fresh database and queue prefix, runs each scenario,
 * prints a table, writes it as JSON under bench/results/, and tears down.
 *
 * Scenarios: raw BullMQ and Postgres baselines; API create (32 in flight);
 * bulk create; bursts of 1,000 (two shapes) and 10,000 deliveries due in one
 * second (lateness, and throughput as a ratio to the raw BullMQ worker of the
 * same run); a burst of 1,000 three-part threads due in one second (lateness
 * of each thread's last part); a million far-future deliveries (Redis growth, Postgres size,
 * list latency on the first and a deep page, reconcile sweep duration); and
 * (`cluster`) the burst of 10,000 to six channels, two per shard, on the
 * machine's Redis and then on a three-master Redis Cluster of the bench's
 * own (redis-server on loopback) with the publish queue in three shards;
 * (`import`) a 10,000-row CSV import, dry run and commit (rows per second, the API's memory);
 * (`web`) the web app's calendar month view with 1,000 posts in headless
 * Chromium (rendered, interactive) and the app's JavaScript gzipped; and
 * (`analytics`) the metrics snapshots of 100,000 published deliveries taken
 * within the networks' real budgets, and a publish burst's lateness beside them.
 * Each row carries the CPU seconds every process spent on it.
 * Sizes scale with BENCH_SCALE (default 1).
 */
'use strict';

const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { Queue, Worker } = require('bullmq');
const { Pool } = require('undici');

const ROOT = path.join(__dirname, '..');
const SCALE = Number(process.env.BENCH_SCALE || 1);
/** `BENCH_ONLY=burst,far` runs only those scenarios (baselines, create, bulk, import, burst, threads, outage, degraded, far, media, cluster, web, series, analytics); all by default (threads run with burst). */
const ONLY = new Set((process.env.BENCH_ONLY || 'baselines,create,bulk,import,burst,outage,degraded,far,media,cluster,web,series,analytics').split(','));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
// Herald's default WORKER_CONCURRENCY; the raw BullMQ worker runs at the same.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 64);
const rows = [];
const children = [];

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function record(scenario, count, seconds, samplesMs, extra = {}) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  rows.push({
    scenario,
    count,
    throughputPerSec: Math.round(count / seconds),
    minMs: round(sorted[0]),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]),
    ...extra,
  });
}

/** A figure with its sign: +0.04, -0.14, +8. */
function signed(value, digits = 2) {
  const shown = Number(value.toFixed(digits));
  return `${shown >= 0 ? '+' : ''}${Math.abs(shown) === 0 ? (0).toFixed(digits) : shown.toFixed(digits)}`;
}

function round(value) {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : null;
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `BENCH_PROFILE=api,worker` runs those processes under `--cpu-prof`; profiles land in bench/profiles/. */
const PROFILED = new Set((process.env.BENCH_PROFILE || '').split(',').filter(Boolean));

function run(name, script, env) {
  const profile = PROFILED.has(name) ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/profiles')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, path.join(ROOT, script)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.peakRss = 0;
  child.name = name;
  child.stdout.on('data', () => undefined);
  child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  children.push(child);
  return child;
}

/** Peak resident memory of each process, sampled from /proc every 200 ms. */
function sampleMemory() {
  for (const child of children) {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      child.peakRss = Math.max(child.peakRss, kb * 1024);
    } catch {
      // exited
    }
  }
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) used so far by each child, this process, every Postgres process together, and Redis. */
function cpuNow() {
  const seconds = (pid) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      return 0;
    }
  };
  const usage = { client: seconds(process.pid), postgres: 0, redis: 0 };
  // A process that has exited keeps the time last read of it; processes of one name (a worker restarted) are summed.
  for (const child of children) {
    const now = seconds(child.pid);
    if (now > 0) child.cpuSeconds = now;
    usage[child.name] = (usage[child.name] || 0) + (child.cpuSeconds || 0);
  }
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'redis-server') usage.redis += seconds(entry);
      if (comm !== 'postgres') continue;
      usage.postgres += seconds(entry);
      // The postmaster also carries the time of the backends that have exited (cutime + cstime).
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      const parent = fs.readFileSync(`/proc/${fields[1]}/comm`, 'utf8').trim();
      if (parent !== 'postgres') usage.postgres += (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
    } catch {
      // gone
    }
  }
  return usage;
}

/** The admin connection, for CHECKPOINTs between scenarios. */
let admin;

/**
 * Runs a scenario and adds the CPU seconds each process spent on it to the row it records.
 * Each starts right after a CHECKPOINT, as pgbench's runs do, so that whether Postgres happens to
 * checkpoint (and then write full pages to its WAL) during a scenario does not decide its figures.
 */
async function measured(scenario) {
  await admin.query('CHECKPOINT');
  const before = cpuNow();
  const rowsBefore = rows.length;
  await scenario();
  const after = cpuNow();
  const spent = Object.keys(after)
    .map((name) => `${name} ${(after[name] - (before[name] || 0)).toFixed(1)}`)
    .join(', ');
  for (const row of rows.slice(rowsBefore)) row.cpuSeconds = spent;
}

async function waitFor(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A channel for an account of the mock, connected with a token the mock issues for it (as the tests do). */
async function connectChannel(apiUrl, mockUrl, apiKey, network, handle) {
  if (network === 'bluesky') {
    const connected = await json('POST', `${apiUrl}/v1/channels`, apiKey, { network, handle: `${handle}.bsky.social`, appPassword: 'abcd-efgh-ijkl-mnop' });
    if (connected.status !== 201) throw new Error(`channel ${network} ${handle}: ${connected.status} ${JSON.stringify(connected.body)}`);
    return connected.body.id;
  }
  const networks = (await json('GET', `${mockUrl}/_mock/networks`)).body.data;
  const instanceUrl = network === 'mastodon' ? networks.find((entry) => entry.network === 'mastodon').baseUrl : undefined;
  const issued = await json('POST', `${mockUrl}/_mock/tokens`, undefined, { network, handle, ...(instanceUrl ? { instanceUrl } : {}) });
  const created = await json('POST', `${apiUrl}/v1/channels`, apiKey, { network, accessToken: issued.body.accessToken, ...(instanceUrl ? { instanceUrl } : {}) });
  if (created.status !== 201) throw new Error(`channel ${network} ${handle}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

async function json(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function baselines(prefix) {
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue('bench-raw', { connection, prefix });
  const count = 10_000 * SCALE;
  let started = Date.now();
  for (let index = 0; index < count; index += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, count - index) }, (_, offset) => ({ name: 'noop', data: { i: index + offset } })));
  }
  record('raw BullMQ addBulk (no-op jobs)', count, (Date.now() - started) / 1000, []);
  let done = 0;
  started = Date.now();
  const finished = new Promise((resolve) => {
    const worker = new Worker('bench-raw', async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
    worker.on('completed', () => {
      done += 1;
      if (done === count) void worker.close().then(resolve);
    });
  });
  await finished;
  const rawWorkerSeconds = (Date.now() - started) / 1000;
  record(`raw BullMQ worker (concurrency ${CONCURRENCY})`, count, rawWorkerSeconds, []);
  await queue.obliterate({ force: true });
  await queue.close();
  return count / rawWorkerSeconds;
}

async function rawInserts(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE TABLE bench_rows (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), post_id uuid, channel_id uuid, status text, scheduled_at timestamptz, due_at timestamptz, created_at timestamptz DEFAULT now())');
  const count = 20_000 * SCALE;
  const started = Date.now();
  for (let index = 0; index < count; index += 1000) {
    await client.query(
      `INSERT INTO bench_rows (post_id, channel_id, status, scheduled_at, due_at)
       SELECT gen_random_uuid(), gen_random_uuid(), 'scheduled', now() + interval '1 day', now() + interval '1 day' FROM generate_series(1, $1)`,
      [Math.min(1000, count - index)],
    );
  }
  record('raw Postgres inserts (delivery-sized rows, 1,000 per statement)', count, (Date.now() - started) / 1000, []);
  await client.query('DROP TABLE bench_rows');
  await client.end();
}

/**
 * 32 requests in flight from a keep-alive pool of 32 connections (undici, the
 * lightest client at hand: the load generator shares the machine's two cores
 * with what it measures, and `fetch` cost it 0.6 ms of CPU per request).
 */
async function createPosts(apiUrl, apiKey, channelIds) {
  const count = 20_000 * SCALE;
  const inFlight = 32;
  const pool = new Pool(apiUrl, { connections: inFlight });
  const latencies = [];
  let next = 0;
  const at = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const started = Date.now();
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < count) {
          next += 1;
          const body = JSON.stringify({ text: `bench ${next}`, channelIds, schedule: { mode: 'at', at } });
          const t0 = performance.now();
          const answer = await pool.request({ method: 'POST', path: '/v1/posts', headers, body });
          const text = await answer.body.text();
          latencies.push(performance.now() - t0);
          if (answer.statusCode !== 201) throw new Error(`create: ${answer.statusCode} ${text}`);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  record(`API create, 2 channels, ${inFlight} in flight`, count, (Date.now() - started) / 1000, latencies);
}

/**
 * `size` deliveries due in the same second, as posts to `channelIds.length` channels each; `where` names the Redis when it
 * is not the machine's; `network` (the channels' network) lists only that network's posts of the mock when reading their
 * receive times (where the mock holds many others). Returns each delivery's lateness (ms).
 */
async function burst(apiUrl, mockUrl, db, apiKey, channelIds, size, rawRate, recorded = true, where = '', network = undefined) {
  const perPost = channelIds.length;
  const posts = Math.ceil(size / perPost);
  const tag = `burst ${size}x${perPost}${where ? ` ${where}` : ''}`;
  const at = new Date(Date.now() + 3000 + size);
  const items = Array.from({ length: posts }, (_, index) => ({ text: `${tag} ${index}`, channelIds, schedule: { mode: 'at', at: at.toISOString() } }));
  for (let index = 0; index < items.length; index += 1000) {
    const answer = await json('POST', `${apiUrl}/v1/posts/bulk`, apiKey, { posts: items.slice(index, index + 1000) });
    if (answer.status !== 200 || answer.body.failed > 0) throw new Error(`bulk: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const expected = posts * perPost;
  // Polls a cheap count once a second (the burst's channels are its own), not the mock's whole list,
  // so waiting does not load what is measured; lateness comes from the mock's receive times.
  await waitFor(`burst of ${expected}`, async () => {
    const { rows: counted } = await db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE channel_id = ANY($1::uuid[]) AND status = 'published'`,
      [channelIds],
    );
    if (counted[0].n >= expected) return true;
    await new Promise((resolve) => setTimeout(resolve, 900));
    return false;
  }, 300_000);
  const { body } = await json('GET', `${mockUrl}/_mock/posts${network ? `?network=${network}` : ''}`);
  const received = body.data.filter((post) => post.text.startsWith(`${tag} `)).map((post) => Date.parse(post.receivedAt));
  // The networks' own count: more than was scheduled would be a post sent twice.
  if (received.length !== expected) throw new Error(`burst of ${expected}${where ? ` (${where})` : ''}: the mock networks received ${received.length}`);
  const lateness = received.map((time) => time - at.getTime());
  const seconds = (Math.max(...received) - Math.min(...received)) / 1000 || 0.001;
  const rate = expected / seconds;
  if (!recorded) return lateness;
  record(`burst: ${expected} deliveries due in one second, ${posts} posts x ${perPost} channels${where ? `, ${where}` : ''} (lateness)`, expected, seconds, lateness, {
    ratioToRawBullMQ: Math.round((rate / rawRate) * 100) / 100,
  });
  return lateness;
}

/**
 * A burst of threads: `threads` posts of `parts` parts each, due in the
 * same second, to Mastodon channels (each part a reply to the one before,
 * one after the other). The row's latency is the lateness of each thread's
 * last part; every part must reach the network once.
 */
async function threadBurst(apiUrl, mockUrl, db, apiKey, channelIds, threads, parts) {
  const tag = `thread-burst ${threads}x${parts}`;
  const at = new Date(Date.now() + 3000 + threads * 3);
  const items = Array.from({ length: threads }, (_, index) => ({
    parts: Array.from({ length: parts }, (_, part) => ({ text: `${tag} ${index} ${part + 1}/${parts}` })),
    channelIds: [channelIds[index % channelIds.length]],
    schedule: { mode: 'at', at: at.toISOString() },
  }));
  for (let index = 0; index < items.length; index += 1000) {
    const answer = await json('POST', `${apiUrl}/v1/posts/bulk`, apiKey, { posts: items.slice(index, index + 1000) });
    if (answer.status !== 200 || answer.body.failed > 0) throw new Error(`bulk: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const finished = await settled(db, channelIds, threads, `thread burst of ${threads}`);
  if (finished.failed > 0) throw new Error(`thread burst: ${finished.failed} threads failed`);
  const received = await receivedTimes(mockUrl, tag, threads * parts, `thread burst of ${threads} x ${parts}`);
  const { body } = await json('GET', `${mockUrl}/_mock/posts`);
  const last = body.data.filter((post) => post.text.startsWith(`${tag} `) && post.text.endsWith(` ${parts}/${parts}`)).map((post) => Date.parse(post.receivedAt) - at.getTime());
  const seconds = (Math.max(...received) - Math.min(...received)) / 1000 || 0.001;
  record(`threads: ${threads} threads of ${parts} parts due in one second, ${channelIds.length} Mastodon channels (lateness of the last part)`, threads * parts, seconds, last, {
    note: `${threads * parts} parts, each once`,
  });
}

/**
 * An outage: `size` deliveries due in one second to a network that answers
 * 503 to every call for its first `downMs`. The circuit breaker opens, the
 * deliveries wait (no attempt spent), and once the network is back they go
 * at the recovery rate, in due order. The row's latency is lateness after
 * the network came back; none may fail.
 */
async function outage(apiUrl, mockUrl, db, apiKey, channelIds, size, downMs) {
  const perPost = channelIds.length;
  const posts = Math.ceil(size / perPost);
  const tag = `outage ${size}x${perPost}`;
  const at = new Date(Date.now() + 3000 + size);
  const items = Array.from({ length: posts }, (_, index) => ({ text: `${tag} ${index}`, channelIds, schedule: { mode: 'at', at: at.toISOString() } }));
  for (let index = 0; index < items.length; index += 1000) {
    const answer = await json('POST', `${apiUrl}/v1/posts/bulk`, apiKey, { posts: items.slice(index, index + 1000) });
    if (answer.status !== 200 || answer.body.failed > 0) throw new Error(`bulk: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const fault = await json('PUT', `${mockUrl}/_mock/faults`, undefined, { network: 'facebook', status: 503 });
  if (fault.status !== 201) throw new Error(`fault: ${fault.status}`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() + downMs - Date.now())));
  await json('DELETE', `${mockUrl}/_mock/faults`);
  const backAt = Date.now();
  const expected = posts * perPost;
  const finished = await settled(db, channelIds, expected, `outage burst of ${expected}`);
  const calls = await refusedCalls(db, channelIds);
  const received = await receivedTimes(mockUrl, tag, expected, `outage burst of ${expected}`);
  const afterRecovery = received.map((time) => time - backAt);
  const seconds = (Math.max(...received) - backAt) / 1000 || 0.001;
  record(`outage: ${expected} deliveries due in one second, network 503 for ${downMs / 1000} s (lateness after it is back)`, expected, seconds, afterRecovery, {
    note: `published ${finished.published}, failed ${finished.failed}; ${calls[0].refused} calls answered 503 during the outage, ${calls[0].attempts} attempts in all`,
  });
}

/** Waits until every delivery to `channelIds` is published or failed; their counts. */
async function settled(db, channelIds, expected, what) {
  let finished;
  await waitFor(what, async () => {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'published')::int AS published, count(*) FILTER (WHERE status IN ('failed', 'missed'))::int AS failed
         FROM deliveries WHERE channel_id = ANY($1::uuid[])`,
      [channelIds],
    );
    finished = rows[0];
    if (finished.published + finished.failed >= expected) return true;
    await new Promise((resolve) => setTimeout(resolve, 900));
    return false;
  }, 900_000);
  return finished;
}

/** Calls to `channelIds`' networks: those answered 503, and all of them. */
async function refusedCalls(db, channelIds) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE a.http_status = 503)::int AS refused, count(*)::int AS attempts
       FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.channel_id = ANY($1::uuid[])`,
    [channelIds],
  );
  return rows;
}

/** When the mock networks received each post tagged `tag`; more or fewer than `expected` (a post sent twice, or lost) stops the bench. */
async function receivedTimes(mockUrl, tag, expected, what) {
  const { body } = await json('GET', `${mockUrl}/_mock/posts`);
  const received = body.data.filter((post) => post.text.startsWith(`${tag} `)).map((post) => Date.parse(post.receivedAt));
  if (received.length !== expected) throw new Error(`${what}: the mock networks received ${received.length}`);
  return received;
}

/**
 * A degraded network: `size` deliveries due in one second to a network that
 * answers 503 to half its calls for `faultyMs` (from a little before they
 * are due). The breaker takes it for degraded, not down: calls keep going,
 * paced, each failed one retried within seconds. The row's latency is
 * lateness after the due time; none may fail, none may be sent twice.
 */
async function degraded(apiUrl, mockUrl, db, apiKey, channelIds, size, faultyMs) {
  const perPost = channelIds.length;
  const posts = Math.ceil(size / perPost);
  const tag = `degraded ${size}x${perPost}`;
  const at = new Date(Date.now() + 3000 + size);
  const items = Array.from({ length: posts }, (_, index) => ({ text: `${tag} ${index}`, channelIds, schedule: { mode: 'at', at: at.toISOString() } }));
  for (let index = 0; index < items.length; index += 1000) {
    const answer = await json('POST', `${apiUrl}/v1/posts/bulk`, apiKey, { posts: items.slice(index, index + 1000) });
    if (answer.status !== 200 || answer.body.failed > 0) throw new Error(`bulk: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - 1000 - Date.now())));
  const fault = await json('PUT', `${mockUrl}/_mock/faults`, undefined, { network: 'facebook', status: 503, failRate: 0.5 });
  if (fault.status !== 201) throw new Error(`fault: ${fault.status}`);
  const faultEnds = Date.now() + faultyMs;
  const expected = posts * perPost;
  let finished;
  try {
    finished = await settled(db, channelIds, expected, `degraded burst of ${expected}`);
    // The fault lasts its whole time, whether or not the posts were all out before.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, faultEnds - Date.now())));
  } finally {
    await json('DELETE', `${mockUrl}/_mock/faults`);
  }
  const calls = await refusedCalls(db, channelIds);
  const received = await receivedTimes(mockUrl, tag, expected, `degraded burst of ${expected}`);
  const lateness = received.map((time) => time - at.getTime());
  const seconds = (Math.max(...received) - at.getTime()) / 1000 || 0.001;
  record(`degraded: ${expected} deliveries due in one second, network 503 to half its calls for ${faultyMs / 1000} s (lateness)`, expected, seconds, lateness, {
    note: `published ${finished.published}, failed ${finished.failed}; ${calls[0].refused} calls answered 503, ${calls[0].attempts} attempts in all`,
  });
}

/**
 * `posts` posts to `channelIds` through /v1/posts/bulk, 1,000 per request and
 * `inFlight` requests at a time, each scheduled by `scheduleOf(index)`.
 * Returns the wall time and each request's latency.
 */
async function bulkLoad(apiUrl, apiKey, channelIds, posts, scheduleOf, tag, inFlight = 4) {
  const perRequest = 1000;
  const latencies = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < posts) {
        const first = next;
        next += perRequest;
        const items = [];
        for (let index = first; index < Math.min(first + perRequest, posts); index += 1) items.push({ text: `${tag} ${index}`, channelIds, schedule: scheduleOf(index) });
        const t0 = performance.now();
        const answer = await json('POST', `${apiUrl}/v1/posts/bulk`, apiKey, { posts: items });
        latencies.push(performance.now() - t0);
        if (answer.status !== 200 || answer.body.failed > 0) throw new Error(`bulk: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      }
    }),
  );
  return { seconds: (Date.now() - started) / 1000, latencies };
}

async function bulkCreate(apiUrl, apiKey, channelIds) {
  const posts = 100_000 * SCALE;
  const at = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const { seconds, latencies } = await bulkLoad(apiUrl, apiKey, channelIds, posts, () => ({ mode: 'at', at }), 'bulk');
  record(`bulk create, 2 channels, 1,000 posts per request, 4 in flight (latency per request)`, posts, seconds, latencies);
}

/**
 * A 10,000-row CSV (`POST /v1/posts/import`, docs/feeds-and-import.md): the dry run, then the commit,
 * each timed as one request (rows per second), with the API's resident memory sampled every 50 ms
 * during each (its peak above what it held before, in MiB).
 */
async function csvImport(apiUrl, apiKey, channelIds) {
  const rowsInFile = 10_000 * SCALE;
  const at = new Date(Date.now() + 40 * 86_400_000).toISOString();
  const tag = `import-${Date.now().toString(36)}`;
  const csv = ['text,channels,at', ...Array.from({ length: rowsInFile }, (_, index) => `"${tag} row ${index}, a line of about the length a post has: launch notes, a link and two tags",${channelIds.join('|')},${at}`)].join('\n');
  const api = children.find((entry) => entry.name === 'api');
  const rssMiB = () => Number(fs.readFileSync(`/proc/${api.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  for (const commit of [false, true]) {
    const before = rssMiB();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 50);
    const t0 = performance.now();
    const answer = await fetch(`${apiUrl}/v1/posts/import${commit ? '?commit=true' : ''}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' }, body: csv });
    const body = await answer.json();
    const ms = performance.now() - t0;
    clearInterval(sampler);
    if (answer.status !== 200 || body.summary.ok !== rowsInFile || (commit && body.summary.created !== rowsInFile)) throw new Error(`import: ${answer.status} ${JSON.stringify(body.summary ?? body).slice(0, 300)}`);
    record(`CSV import, ${commit ? 'commit' : 'dry run'}, ${rowsInFile} rows to ${channelIds.length} channels, one request (${(csv.length / 1048576).toFixed(1)} MiB)`, rowsInFile, ms / 1000, [ms], {
      apiPeakRssAboveMiB: Math.round(peak - before),
    });
  }
}

async function redisMemory(redis) {
  return Number((await redis.info('memory')).match(/used_memory:(\d+)/)[1]);
}

async function prefixKeys(redis, prefix) {
  let cursor = '0';
  let count = 0;
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

/** Worker sweeps seen so far: [count, seconds in all] from its Prometheus histogram. */
async function sweeps(workerMetricsUrl) {
  const text = await (await fetch(workerMetricsUrl)).text();
  const count = Number(text.match(/^herald_reconcile_sweep_seconds_count (\S+)$/m)?.[1] ?? 0);
  const sum = Number(text.match(/^herald_reconcile_sweep_seconds_sum (\S+)$/m)?.[1] ?? 0);
  return [count, sum];
}

/** Latencies of `times` sequential GETs. */
async function timedGets(url, apiKey, times) {
  const latencies = [];
  for (let index = 0; index < times; index += 1) {
    const t0 = performance.now();
    const answer = await json('GET', url, apiKey);
    latencies.push(performance.now() - t0);
    if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status}`);
  }
  return latencies;
}

/**
 * A million deliveries 30 to 365 days ahead, created through the API: Redis
 * must not grow (they are past the horizon), and lists and sweeps must stay
 * fast on a large table.
 */
async function farFuture(ctx) {
  const { apiUrl, mockUrl, adminToken, redis, prefix, admin, database, databaseUrl, workerMetricsUrl } = ctx;
  const workspace = await json('POST', `${apiUrl}/v1/workspaces`, adminToken, { name: 'far future' });
  const apiKey = workspace.body.apiKey;
  const channelIds = [];
  for (const handle of ['far_a', 'far_b']) channelIds.push(await connectChannel(apiUrl, mockUrl, apiKey, 'x', handle));
  const deliveries = 1_000_000 * SCALE;
  const posts = deliveries / channelIds.length;
  const size = async () => Number((await admin.query('SELECT pg_database_size($1) AS bytes', [database])).rows[0].bytes);
  const [memoryBefore, keysBefore, sizeBefore] = [await redisMemory(redis), await prefixKeys(redis, prefix), await size()];
  const day = 86_400_000;
  const base = Date.now();
  const { seconds, latencies } = await bulkLoad(apiUrl, apiKey, channelIds, posts, (index) => ({
    mode: 'at',
    at: new Date(base + 30 * day + ((index * 7919) % (335 * 24)) * 3_600_000).toISOString(),
  }), 'far');
  const [memoryAfter, keysAfter, sizeAfter] = [await redisMemory(redis), await prefixKeys(redis, prefix), await size()];
  record(`far future: ${deliveries.toLocaleString('en')} deliveries 30-365 days ahead, through bulk (latency per request)`, posts, seconds, latencies, {
    note: `Redis ${signed((memoryAfter - memoryBefore) / 1048576)} MiB, ${signed(keysAfter - keysBefore, 0)} keys under the prefix; Postgres ${(sizeBefore / 1048576).toFixed(0)} -> ${(sizeAfter / 1048576).toFixed(0)} MiB`,
  });

  // Reads are timed on analysed tables, the steady state of a default Postgres (its autovacuum analyses
  // such a load within about a minute). Where autovacuum is off, as on some CI machines, the bench runs
  // ANALYZE itself; the note says which.
  const statsClient = new Client({ connectionString: databaseUrl });
  statsClient.on('error', () => undefined);
  await statsClient.connect();
  const autovacuum = (await statsClient.query('SHOW autovacuum')).rows[0].autovacuum;
  const analyzeStarted = Date.now();
  await statsClient.query('ANALYZE posts, deliveries');
  await statsClient.end();
  rows[rows.length - 1].note += `; autovacuum ${autovacuum}, ANALYZE by the bench took ${((Date.now() - analyzeStarted) / 1000).toFixed(1)} s`;
  const first = await timedGets(`${apiUrl}/v1/posts?limit=50`, apiKey, 200);
  record(`GET /v1/posts?limit=50, first page of ${posts.toLocaleString('en')} posts`, 200, first.reduce((a, b) => a + b, 0) / 1000, first);
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  const deep = (await client.query(
    `SELECT created_at, id FROM posts WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [workspace.body.id, Math.floor(posts * 0.9)],
  )).rows[0];
  await client.end();
  const cursor = Buffer.from(JSON.stringify([deep.created_at.toISOString(), deep.id])).toString('base64url');
  const deepLatencies = await timedGets(`${apiUrl}/v1/posts?limit=50&cursor=${cursor}`, apiKey, 200);
  record(`GET /v1/posts?limit=50, a page 90% deep (cursor)`, 200, deepLatencies.reduce((a, b) => a + b, 0) / 1000, deepLatencies);

  // Each sweep's duration, from the worker's own histogram (one sweep per RECONCILE_INTERVAL_MS).
  const durations = [];
  let [count, sum] = await sweeps(workerMetricsUrl);
  while (durations.length < 6) {
    await waitFor('a reconcile sweep', async () => (await sweeps(workerMetricsUrl))[0] > count, 60_000);
    const [nextCount, nextSum] = await sweeps(workerMetricsUrl);
    durations.push(((nextSum - sum) / (nextCount - count)) * 1000);
    [count, sum] = [nextCount, nextSum];
  }
  record(`reconcile sweep with ${deliveries.toLocaleString('en')} far-future deliveries (the ${durations.length} after loading)`, durations.length, 1, durations, {
    note: `in order: ${durations.map((ms) => ms.toFixed(1)).join(', ')} ms`,
  });
}

/** A child's resident memory now, bytes. */
function rssOf(name) {
  const child = children.find((entry) => entry.name === name);
  try {
    return Number(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** POST /v1/media with one file part. */
async function uploadFile(apiUrl, apiKey, bytes, filename, type) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  const response = await fetch(`${apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const body = await response.json();
  if (response.status >= 300) throw new Error(`upload ${filename}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * The media library: 100 photo-like 1 MB JPEGs uploaded four at a time
 * (each typed, measured, thumbnailed and stored); one 200 MB video, with the
 * API's memory sampled while it streams (it must not hold the file); and a
 * post whose 6 MB photo must be resized for Bluesky and X (the versions are
 * made when it is scheduled), timed to published.
 */
async function media(apiUrl, mockUrl, apiKey) {
  const sharp = require('sharp');
  const noise = (width, height, seed) => {
    const pixels = Buffer.alloc(width * height * 3);
    let state = seed;
    for (let index = 0; index < pixels.length; index += 1) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      pixels[index] = state >> 16;
    }
    return sharp(pixels, { raw: { width, height, channels: 3 } });
  };
  const photos = [];
  for (let index = 0; index < 100; index += 1) photos.push(await noise(640, 640, index + 1).jpeg({ quality: 92 }).toBuffer());
  const latencies = [];
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < photos.length) {
        const photo = photos[next++];
        const began = performance.now();
        await uploadFile(apiUrl, apiKey, photo, 'photo.jpg', 'image/jpeg');
        latencies.push(performance.now() - began);
      }
    }),
  );
  record('media: upload 100 photos (640×640 JPEG)', photos.length, (Date.now() - started) / 1000, latencies, { avgKiB: Math.round(photos.reduce((sum, photo) => sum + photo.length, 0) / photos.length / 1024) });

  // A valid MP4 grown to 200 MB by a trailing `free` box.
  const clip = fs.readFileSync(path.join(ROOT, 'test/fixtures/clip4s.mp4'));
  const pad = Buffer.alloc(200 * 1024 * 1024 - clip.length);
  pad.writeUInt32BE(pad.length, 0);
  pad.write('free', 4, 'latin1');
  const video = Buffer.concat([clip, pad]);
  const before = rssOf('api');
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf('api'))), 50);
  const videoStarted = performance.now();
  await uploadFile(apiUrl, apiKey, video, 'big.mp4', 'video/mp4');
  const videoMs = performance.now() - videoStarted;
  clearInterval(sampler);
  record('media: upload one 200 MB video', 1, videoMs / 1000, [videoMs], { apiRssBeforeMiB: Math.round(before / 1048576), apiRssPeakMiB: Math.round(peak / 1048576) });

  const big = await uploadFile(apiUrl, apiKey, await noise(4000, 3000, 7).jpeg({ quality: 95 }).toBuffer(), 'big.jpg', 'image/jpeg');
  const bluesky = await connectChannel(apiUrl, mockUrl, apiKey, 'bluesky', 'bench-media');
  const x = await connectChannel(apiUrl, mockUrl, apiKey, 'x', 'bench_media');
  const postStarted = performance.now();
  const post = await json('POST', `${apiUrl}/v1/posts`, apiKey, { text: 'big photo', channelIds: [bluesky, x], media: [{ mediaId: big.id, alt: 'noise' }], schedule: { mode: 'now' } });
  const scheduledMs = performance.now() - postStarted;
  await waitFor('the resized post', async () => (await json('GET', `${apiUrl}/v1/posts/${post.body.id}`, apiKey)).body.status === 'published');
  const publishedMs = performance.now() - postStarted;
  record('media: post a 6 MB photo to Bluesky + X (resized)', 1, publishedMs / 1000, [publishedMs], { photoMiB: +(big.size / 1048576).toFixed(1), scheduleMs: Math.round(scheduledMs) });
}

/**
 * A Redis Cluster of the bench's own: three masters on loopback (no
 * persistence, no replicas), every slot assigned by `redis-cli --cluster
 * create`. Answers its nodes and a stop function.
 */
async function startCluster() {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'herald-bench-cluster-'));
  const ports = [];
  while (ports.length < 3) {
    const port = await freePort();
    // The cluster bus listens on port + 10000.
    if (port < 55_000 && !ports.includes(port)) ports.push(port);
  }
  const servers = ports.map((port) =>
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`], { stdio: 'ignore' }),
  );
  const stop = () => {
    for (const server of servers) server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cli = (port, ...args) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
    for (const port of ports) await waitFor(`redis :${port}`, async () => cli(port, 'ping').trim() === 'PONG');
    execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
    for (const port of ports) await waitFor(`cluster_state:ok on :${port}`, async () => cli(port, 'cluster', 'info').includes('cluster_state:ok'));
    return { nodes: ports.map((port) => `127.0.0.1:${port}`).join(','), stop };
  } catch (error) {
    stop();
    throw error;
  }
}

/** `perShard` new channels for each of `shards` publish shards (a channel's shard is fixed by its id, so some are made and set aside). */
async function channelsAcrossShards(channel, name, shards, perShard) {
  const { shardIndexOf } = require(path.join(ROOT, 'dist/libs/queue/src/publish-shards.js'));
  const picked = Array.from({ length: shards }, () => []);
  for (let index = 0; picked.some((ids) => ids.length < perShard); index += 1) {
    const id = await channel('facebook', `${name}_${index}`);
    const ids = picked[shardIndexOf(id, shards)];
    if (ids.length < perShard) ids.push(id);
  }
  return picked.flat();
}

/**
 * The burst of 10,000 on six channels, two per shard: first on the machine's
 * Redis (one queue), then on a three-master cluster with the publish queue in
 * three shards, through an API and a worker of its own (the first pair
 * stopped), each after an unrecorded warm-up burst.
 */
async function clusterBursts(ctx) {
  const { env, apiUrl, mockUrl, db, apiKey, channel, rawRate, prefix } = ctx;
  await burst(apiUrl, mockUrl, db, apiKey, await channelsAcrossShards(channel, 'one_redis_warmup', 3, 1), 300, rawRate, false, 'one Redis warm-up');
  await measured(async () => burst(apiUrl, mockUrl, db, apiKey, await channelsAcrossShards(channel, 'one_redis', 3, 2), 10_000 * SCALE, rawRate, true, 'one Redis'));
  const cluster = await startCluster();
  try {
    for (const child of children.filter((candidate) => candidate.name === 'api' || candidate.name === 'worker')) child.kill('SIGTERM');
    const clusterEnv = { ...env, REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes, HERALD_QUEUE_PREFIX: `{${prefix}}`, PUBLISH_QUEUE_SHARDS: '3' };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Named apart, so the rows' CPU columns and the peak memory say which pair spent what.
    run('api@cluster', 'dist/apps/api/src/main.js', clusterEnv);
    run('worker@cluster', 'dist/apps/worker/src/main.js', clusterEnv);
    await waitFor('the API on the cluster', async () => (await fetch(`${apiUrl}/health/ready`)).ok);
    await burst(apiUrl, mockUrl, db, apiKey, await channelsAcrossShards(channel, 'cluster_warmup', 3, 1), 300, rawRate, false, 'cluster warm-up');
    const spread = await channelsAcrossShards(channel, 'cluster', 3, 2);
    await measured(() => burst(apiUrl, mockUrl, db, apiKey, spread, 10_000 * SCALE, rawRate, true, 'Redis Cluster (3 masters, 3 shards)'));
  } finally {
    // The pair on the cluster stops before the cluster does.
    for (const child of children.filter((candidate) => candidate.name.endsWith('@cluster'))) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cluster.stop();
  }
}

/**
 * The web app's calendar (`web`): a person signed up through the API, three
 * channels, 1,000 posts spread over a month (bulk), then headless Chromium
 * (Debian's, through playwright-core) opens the month view `loads` times.
 * Rendered: navigation start to the grid drawn with every one of the month's
 * posts (each day cell says how many it holds, `data-count`: a busy day shows
 * its first posts and "+N more"), from one GET /v1/calendar. Interactive: from
 * then to the next month's grid rendered after a click on "Next" (the main
 * thread was free to answer). Beside them, what the old calendar waited for:
 * the same month's posts read as it read them, GET /v1/posts pages of 100.
 * And the app's JavaScript as the API sends it (Accept-Encoding: br, gzip):
 * what the first load fetches (the entry and what index.html preloads), its
 * bytes on the wire and the Content-Encoding each came with.
 */
const WEB_TARGETS = { renderedMs: 1000, interactiveMs: 1000, firstLoadKb: 150 };

/** The bytes the API sends for a file of the app, as sent (not decoded), and its Content-Encoding. */
function sentAsIs(url) {
  return new Promise((resolve, reject) => {
    require('node:http')
      .get(url, { headers: { 'accept-encoding': 'br, gzip' } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode, bytes, encoding: response.headers['content-encoding'] ?? 'identity', vary: response.headers.vary }));
      })
      .on('error', reject);
  });
}

async function webJavaScript(apiUrl) {
  const zlib = require('node:zlib');
  const dir = path.join(ROOT, 'dist/web');
  const html = await (await fetch(`${apiUrl}/`)).text();
  const first = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map((match) => match[1]);
  const sent = await Promise.all(first.map((file) => sentAsIs(`${apiUrl}/${file}`)));
  for (const [index, answer] of sent.entries()) {
    if (answer.status !== 200 || answer.encoding === 'identity' || answer.vary !== 'Accept-Encoding') throw new Error(`web: ${first[index]} was sent ${answer.status} with Content-Encoding ${answer.encoding}, Vary ${answer.vary}`);
  }
  const all = fs.readdirSync(path.join(dir, 'assets')).filter((file) => file.endsWith('.js'));
  const br = (file) => zlib.brotliCompressSync(fs.readFileSync(path.join(dir, 'assets', file))).length;
  return {
    firstLoad: sent.reduce((sum, answer) => sum + answer.bytes, 0),
    encodings: [...new Set(sent.map((answer) => answer.encoding))].join(', '),
    firstFiles: first.length,
    all: all.reduce((sum, file) => sum + br(file), 0),
    allFiles: all.length,
  };
}

async function webCalendar(apiUrl, mockUrl, loads = 5) {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    throw new Error('web: playwright-core is missing (npm install)');
  }
  const executablePath = process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((candidate) => fs.existsSync(candidate));
  if (!executablePath) {
    console.error('web: skipped, no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');
    return;
  }
  const timezoneId = 'Europe/Berlin';
  const signUp = await fetch(`${apiUrl}/v1/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'a long enough password', name: 'Bench' }),
  });
  const session = await signUp.json();
  if (signUp.status !== 201) throw new Error(`web: sign-up ${signUp.status} ${JSON.stringify(session)}`);
  const cookie = signUp.headers.get('set-cookie').split(';')[0];
  const keyAnswer = await fetch(`${apiUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify({ name: 'bench', role: 'admin' }),
  });
  const apiKey = (await keyAnswer.json()).key;
  if (keyAnswer.status !== 201) throw new Error(`web: api key ${keyAnswer.status}`);
  const channelIds = [];
  for (const [network, handle] of [['x', 'web_x'], ['mastodon', 'web'], ['bluesky', 'web']]) channelIds.push(await connectChannel(apiUrl, mockUrl, apiKey, network, handle));
  // The month on show: this one, or the next when fewer than ten days of this one are left (past times cannot be scheduled).
  const now = new Date();
  let month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const nextMonth = (date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  if (nextMonth(month) - now < 10 * 86_400_000) month = nextMonth(month);
  const from = Math.max(month.getTime() + 86_400_000, now.getTime() + 3_600_000);
  const to = nextMonth(month).getTime() - 86_400_000;
  const posts = 1000;
  // Each post to the three channels, at times spread over the month, to the minute.
  const { seconds } = await bulkLoad(apiUrl, apiKey, channelIds, posts, (index) => ({ mode: 'at', at: new Date(Math.floor((from + ((to - from) * index) / posts) / 60_000) * 60_000).toISOString() }), 'calendar', 1);
  // One chip per post (a post's deliveries at one instant are one chip).
  const expected = posts;
  const date = month.toISOString().slice(0, 10);
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
  const rendered = [];
  const interactive = [];
  const listed = [];
  const oldListed = [];
  const calendarRead = [];
  let listCalls = 0;
  let oldCalls = 0;
  try {
    const context = await browser.newContext({ baseURL: apiUrl, viewport: { width: 1280, height: 800 }, timezoneId, locale: 'en-GB' });
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url: apiUrl }]);
    // One unrecorded load first (the API's first calls, Chromium's first compile of the app).
    for (let load = -1; load < loads; load += 1) {
      const page = await context.newPage();
      // BENCH_WEB_PROFILE=file.cpuprofile: the last load's JavaScript profiled (Chromium's own profiler, 200 µs samples), for DevTools or a script.
      const profiler = process.env.BENCH_WEB_PROFILE && load === loads - 1 ? await context.newCDPSession(page) : null;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
        await profiler.send('Profiler.start');
      }
      await page.goto(`/calendar?view=month&date=${date}`, { waitUntil: 'commit' });
      // Each day cell says how many posts it holds (it shows the first ones and "+N more").
      await page.waitForFunction((count) => [...document.querySelectorAll('.cal-month td[data-count]')].reduce((sum, cell) => sum + Number(cell.getAttribute('data-count')), 0) >= count, expected, { timeout: 60_000, polling: 'raf' }).catch(async (error) => {
        const seen = await page.evaluate(() => ({ url: location.href, posts: [...document.querySelectorAll('.cal-month td[data-count]')].reduce((sum, cell) => sum + Number(cell.getAttribute('data-count')), 0), text: document.body.innerText.slice(0, 300) }));
        throw new Error(`web: the month view did not show ${expected} posts: ${JSON.stringify(seen)} (${error.message})`);
      });
      const [shown, fetched, calls] = await page.evaluate(() => {
        const lists = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/v1/calendar?'));
        return [performance.now(), Math.max(...lists.map((entry) => entry.responseEnd)), lists.length];
      });
      // BENCH_WEB_TRACE=1: what the page fetched and when (to see its waterfall).
      if (process.env.BENCH_WEB_TRACE) console.error(await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => `${Math.round(entry.startTime)}→${Math.round(entry.responseEnd)} ${entry.name.replace(location.origin, '')}`).join('\n')), `\nshown at ${Math.round(shown)}`);
      if (profiler) fs.writeFileSync(process.env.BENCH_WEB_PROFILE, JSON.stringify((await profiler.send('Profiler.stop')).profile));
      const title = await page.locator('.cal-title').textContent();
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Next month' }).click();
      await page.waitForFunction((title) => document.querySelector('.cal-title')?.textContent !== title && document.querySelector('.cal-month') !== null, title, { timeout: 60_000, polling: 'raf' }).catch(async (error) => {
        const seen = await page.evaluate(() => ({ url: location.href, title: document.querySelector('.cal-title')?.textContent }));
        throw new Error(`web: "Next month" did not show the next month: ${JSON.stringify(seen)} after ${title} (${error.message})`);
      });
      const clicked = Date.now() - t0;
      if (load >= 0) {
        // The old calendar's read, from the same page: every post of the month, GET /v1/posts pages of 100.
        const old = await page.evaluate(async ({ from, to }) => {
          const t0 = performance.now();
          let calls = 0;
          let cursor = '';
          do {
            const answer = await (await fetch(`/v1/posts?from=${from}&to=${to}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
            calls += 1;
            cursor = answer.nextCursor ?? '';
          } while (cursor);
          const t1 = performance.now();
          await (await fetch(`/v1/calendar?from=${from}&to=${to}`)).json();
          return { ms: t1 - t0, calls, calendarMs: performance.now() - t1 };
        }, { from: new Date(month).toISOString(), to: nextMonth(month).toISOString() });
        oldListed.push(old.ms);
        calendarRead.push(old.calendarMs);
        oldCalls = old.calls;
        rendered.push(shown);
        listed.push(fetched);
        listCalls = calls;
        interactive.push(shown + clicked);
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  record(`web: calendar month view rendered with every post (navigation to last chip; target < ${WEB_TARGETS.renderedMs} ms)`, loads, rendered.reduce((sum, ms) => sum + ms, 0) / 1000, rendered, { note: `median ${Math.round(median(rendered))} ms; the month read by ${listCalls} call of GET /v1/calendar, answered at ${Math.round(median(listed))} ms; ${expected} posts made by bulk in ${seconds.toFixed(1)} s` });
  record('web: the same month read as the old calendar read it (GET /v1/posts pages of 100, from the page)', loads, oldListed.reduce((sum, ms) => sum + ms, 0) / 1000, oldListed, { note: `median ${Math.round(median(oldListed))} ms in ${oldCalls} calls (the old month view rendered in 2.2 s after them); then by one GET /v1/calendar: median ${Math.round(median(calendarRead))} ms` });
  record(`web: calendar month view interactive ("Next month" clicked and the next month shown; target < ${WEB_TARGETS.interactiveMs} ms)`, loads, interactive.reduce((sum, ms) => sum + ms, 0) / 1000, interactive, { note: `median ${Math.round(median(interactive))} ms from navigation` });
  const js = await webJavaScript(apiUrl);
  rows.push({ scenario: `web: app JavaScript as sent, first load (target < ${WEB_TARGETS.firstLoadKb} KB; Content-Encoding checked) / all (brotli)`, count: `${js.firstFiles} / ${js.allFiles} files`, note: `${(js.firstLoad / 1024).toFixed(1)} KB (${js.encodings}) / ${(js.all / 1024).toFixed(1)} KB` });
}

/**
 * 1,000 recurring series (weekly, 09:00 in a zone with DST) expanded a year
 * ahead by the worker: the time from the first create until every
 * occurrence is a post, and the rows made (posts, each with a delivery).
 */
async function seriesYear(apiUrl, apiKey, databaseUrl, channelId) {
  const count = Math.round(1000 * SCALE);
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Tokyo'];
  const startAt = new Date(Date.now() + 86_400_000).toISOString();
  const started = Date.now();
  const samples = [];
  let next = 0;
  const createOne = async () => {
    for (let index = next++; index < count; index = next++) {
      const t0 = performance.now();
      const answer = await json('POST', `${apiUrl}/v1/series`, apiKey, {
        text: `series ${index}`,
        channelIds: [channelId],
        rule: `FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][index % 5]};BYHOUR=9;BYMINUTE=${index % 60}`,
        timezone: zones[index % zones.length],
        startAt,
      });
      if (answer.status !== 201) throw new Error(`series: ${answer.status} ${JSON.stringify(answer.body)}`);
      samples.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: 8 }, createOne));
  const created = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // A year ahead of now: 52 or 53 Mondays (or whichever day) per series.
    let made = 0;
    await waitFor(
      'the series to be made a year ahead',
      async () => {
        const { rows: counts } = await db.query(`SELECT count(*)::int AS posts FROM posts WHERE series_id IS NOT NULL`);
        const { rows: pending } = await db.query(`SELECT count(*)::int AS n FROM series WHERE expanded_until < now() + interval '365 days'`);
        made = counts[0].posts;
        return pending[0].n === 0;
      },
      600_000,
    );
    const { rows: deliveries } = await db.query(`SELECT count(*)::int AS n FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.series_id IS NOT NULL`);
    const seconds = (Date.now() - started) / 1000;
    record('1,000 recurring series expanded a year ahead (create p50/p95 ms)', count, seconds, samples, {
      createSeconds: round((created - started) / 1000),
      expandSeconds: round((Date.now() - created) / 1000),
      posts: made,
      deliveries: deliveries[0].n,
      postsMadePerSec: Math.round(made / ((Date.now() - created) / 1000)),
    });
  } finally {
    await db.end();
  }
}

/**
 * Analytics (`analytics`): 100,000 published deliveries whose metrics are due
 * at once — 60,000 on 6 X accounts, 30,000 on 10 Bluesky accounts, 10,000 on
 * 50 Mastodon accounts — seeded in bulk (the posts on the mock through
 * `POST /_mock/posts/seed`, the posts and published deliveries in Postgres
 * with those external ids, one statement per channel), followed by the
 * worker, then made due together. The worker's snapshot scheduler reads them
 * against the mock with the networks' real budgets (the mock's rate-limit
 * scale set to 1 for the reads, back to the bench's after). The worker runs
 * this scenario with ANALYTICS_TICK=1s and ANALYTICS_READS_PER_TICK=2000
 * (the defaults, 30 s and 500, spread 100,000 reads over 100 minutes by
 * design) and is put back as it was after. Rows: the snapshots (reads made
 * per network from the mock's call log, the time until the last one was
 * taken, each network's budget: calls refused with 429 and the most calls
 * one account took against its budget); and a publish burst of 1,000
 * deliveries due while they are read, beside the same burst with nothing to
 * read just before and just after (its lateness p50 and p99 as ratios to
 * those two together).
 */
const ANALYTICS_MIX = [
  // What one account may call in a window (the mock's defaults at scale 1): X's GET /2/tweets, Bluesky's and Mastodon's every call.
  { network: 'x', accounts: 6, share: 0.6, limit: 5000, window: '15 min' },
  { network: 'bluesky', accounts: 10, share: 0.3, limit: 3000, window: '5 min' },
  { network: 'mastodon', accounts: 50, share: 0.1, limit: 300, window: '5 min' },
];

/** Stops a child process of the bench and waits for it to exit (its CPU time read first, kept for the rows). */
async function stopChild(child) {
  cpuNow();
  const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  child.kill('SIGTERM');
  await exited;
}

async function analyticsSnapshots(ctx) {
  const { env, apiUrl, mockUrl, db, apiKey, channel, rawRate, workerMetricsPort } = ctx;
  const total = Math.round(100_000 * SCALE);
  const networks = (await json('GET', `${mockUrl}/_mock/networks`)).body.data;
  const mastodonUrl = networks.find((entry) => entry.network === 'mastodon').baseUrl;
  const workspaceId = (await db.query(`SELECT workspace_id FROM channels WHERE id = $1`, [await channel('facebook', 'analytics_probe')])).rows[0].workspace_id;

  // The worker for this scenario: snapshots looked for every second, 2,000 posts a look.
  for (const child of children.filter((candidate) => candidate.name === 'worker' && candidate.exitCode === null)) await stopChild(child);
  const worker = run('worker@analytics', 'dist/apps/worker/src/main.js', { ...env, ANALYTICS_TICK: '1s', ANALYTICS_READS_PER_TICK: '2000' });
  await waitFor('the analytics worker', async () => (await fetch(`http://127.0.0.1:${workerMetricsPort}/health`)).ok);

  const seedStarted = Date.now();
  const channelIds = [];
  const handlesOf = {};
  for (const mix of ANALYTICS_MIX) {
    handlesOf[mix.network] = [];
    const perAccount = Math.round((total * mix.share) / mix.accounts);
    for (let index = 0; index < mix.accounts; index += 1) {
      const handle = mix.network === 'bluesky' ? `analytics-${index}` : `analytics_${index}`;
      const channelId = await channel(mix.network, handle);
      const seeded = await json('POST', `${mockUrl}/_mock/posts/seed`, undefined, {
        network: mix.network,
        handle: mix.network === 'bluesky' ? `${handle}.bsky.social` : handle,
        ...(mix.network === 'mastodon' ? { instanceUrl: mastodonUrl } : {}),
        count: perAccount,
        text: `analytics ${mix.network} ${index}`,
      });
      if (seeded.status !== 201) throw new Error(`seed: ${seeded.status} ${JSON.stringify(seeded.body)}`);
      handlesOf[mix.network].push(seeded.body.handle);
      // Published half an hour ago: followed by the worker, first snapshot due in half an hour (made due below).
      await db.query(
        `WITH seeded AS (SELECT gen_random_uuid() AS post_id, external_id, ordinality FROM unnest($3::text[]) WITH ORDINALITY AS t(external_id, ordinality)),
              posts_made AS (INSERT INTO posts (id, workspace_id, text, status) SELECT post_id, $1, 'analytics ' || ordinality, 'published' FROM seeded)
         INSERT INTO deliveries (post_id, workspace_id, channel_id, status, schedule_mode, published_at, external_id)
         SELECT post_id, $1, $2, 'published', 'now', now() - interval '30 minutes', external_id FROM seeded`,
        [workspaceId, channelId, seeded.body.ids],
      );
      channelIds.push(channelId);
    }
  }
  const seededSeconds = (Date.now() - seedStarted) / 1000;
  const followStarted = Date.now();
  const followed = async () => (await db.query(`SELECT count(*)::int AS n FROM metric_schedules WHERE channel_id = ANY($1::uuid[])`, [channelIds])).rows[0].n;
  await waitFor(`${total} deliveries followed`, async () => (await followed()) >= total, 300_000);
  const followedSeconds = (Date.now() - followStarted) / 1000;

  // The burst alone, nothing to read (after a warm-up of the new worker's publish path), then the same while the snapshots run.
  const fresh = async (name) => [await channel('facebook', `${name}_a`), await channel('facebook', `${name}_b`)];
  const burstSize = 1000 * SCALE;
  await burst(apiUrl, mockUrl, db, apiKey, await fresh('analytics_warmup'), 200, rawRate, false, '', 'facebook');
  const alone = await burst(apiUrl, mockUrl, db, apiKey, await fresh('analytics_alone'), burstSize, rawRate, false, '', 'facebook');
  const beside = await fresh('analytics_beside');

  const scale = (await json('GET', `${mockUrl}/_mock/ratelimits/defaults`)).body.scale;
  await json('PUT', `${mockUrl}/_mock/ratelimits/defaults`, undefined, { scale: 1 });
  const since = new Date().toISOString();
  const cpuBefore = cpuNow();
  const releasedAt = Date.now();
  await db.query(`UPDATE metric_schedules SET next_at = now() WHERE channel_id = ANY($1::uuid[])`, [channelIds]);
  let during;
  let burstDoneAt;
  try {
    during = await burst(apiUrl, mockUrl, db, apiKey, beside, burstSize, rawRate, false, 'beside snapshots', 'facebook');
    burstDoneAt = Date.now();
    const taken = async () => (await db.query(`SELECT count(*)::int AS n FROM metric_schedules WHERE channel_id = ANY($1::uuid[]) AND last_taken_at IS NOT NULL`, [channelIds])).rows[0].n;
    await waitFor(`${total} snapshots`, async () => {
      if ((await taken()) >= total) return true;
      await new Promise((resolve) => setTimeout(resolve, 900));
      return false;
    }, 900_000);
  } finally {
    await json('PUT', `${mockUrl}/_mock/ratelimits/defaults`, undefined, { scale });
  }
  // The CPU of the reads alone (with the burst beside them), apart from the seeding's in the row's column.
  const cpuAfter = cpuNow();
  const readsCpu = ['worker@analytics', 'postgres', 'mock-social', 'redis', 'api']
    .map((name) => `${name} ${((cpuAfter[name] || 0) - (cpuBefore[name] || 0)).toFixed(1)}`)
    .join(', ');
  const { rows: facts } = await db.query(
    `SELECT count(*)::int AS snapshots, max(taken_at) AS last FROM metric_snapshots WHERE channel_id = ANY($1::uuid[])`,
    [channelIds],
  );
  const { rows: ended } = await db.query(`SELECT count(*) FILTER (WHERE ended_reason = 'deleted')::int AS deleted FROM metric_schedules WHERE channel_id = ANY($1::uuid[])`, [channelIds]);
  const seconds = (facts[0].last.getTime() - releasedAt) / 1000;
  // The burst counts as "beside" the reads only if they went on after it was out.
  const overlap = `the burst was out ${((burstDoneAt - releasedAt) / 1000).toFixed(1)} s after the reads began, the last read at ${seconds.toFixed(1)} s; CPU s from the first read to the last: ${readsCpu}`;

  // What each network was asked, from the mock's call log: reads per network, refusals, the most one account took.
  const reads = [];
  const budgets = [];
  let held = true;
  for (const mix of ANALYTICS_MIX) {
    const calls = (await json('GET', `${mockUrl}/_mock/calls?network=${mix.network}&since=${encodeURIComponent(since)}`)).body;
    const gets = calls.data.filter((call) => call.method === 'GET' && handlesOf[mix.network].includes(call.handle));
    const refused = gets.filter((call) => call.status === 429).length;
    const perAccount = {};
    for (const call of gets) perAccount[call.handle] = (perAccount[call.handle] || 0) + 1;
    const most = Math.max(0, ...Object.values(perAccount));
    const posts = Math.round(total * mix.share);
    held &&= refused === 0 && most <= mix.limit;
    reads.push(`${mix.network} ${gets.length.toLocaleString('en')} calls for ${posts.toLocaleString('en')} posts (${(posts / Math.max(1, gets.length)).toFixed(1)} a call)`);
    budgets.push(`${mix.network} ${refused === 0 && most <= mix.limit ? 'held' : 'NOT held'}: ${refused} refused (429), at most ${most} calls by one account of ${mix.limit} per ${mix.window}`);
  }
  record(`analytics: snapshots of ${total.toLocaleString('en')} published deliveries due at once (${ANALYTICS_MIX.map((mix) => `${Math.round(total * mix.share).toLocaleString('en')} ${mix.network} on ${mix.accounts} accounts`).join(', ')}), the networks' real budgets`, total, seconds, [], {
    seconds: round(seconds),
    note: `reads: ${reads.join('; ')}. Budgets: ${budgets.join('; ')}. ${facts[0].snapshots.toLocaleString('en')} snapshots, ${ended[0].deleted} gone; seeded in ${seededSeconds.toFixed(1)} s, followed by the worker in ${followedSeconds.toFixed(1)} s; worker ANALYTICS_TICK=1s, ANALYTICS_READS_PER_TICK=2000; ${overlap}`,
  });
  if (!held) console.error('analytics: a network\'s budget did not hold (see the row)');
  // The burst alone once more, the reads over: the one beside them is compared with both (a later burst may gain from a warmer worker).
  const after = await burst(apiUrl, mockUrl, db, apiKey, await fresh('analytics_after'), burstSize, rawRate, false, 'after snapshots', 'facebook');
  const p = (samples, q) => percentile([...samples].sort((a, b) => a - b), q);
  const spread = (samples) => (Math.max(...samples) - Math.min(...samples)) / 1000 || 0.001;
  record(`analytics: burst of ${burstSize} deliveries due in one second, nothing to read, before the snapshots (lateness)`, burstSize, spread(alone), alone);
  record(`analytics: the same burst, nothing to read, after them (lateness)`, burstSize, spread(after), after);
  const both = [...alone, ...after];
  record(`analytics: the same burst while the ${total.toLocaleString('en')} snapshots are read (lateness; ratios to the two bursts alone together)`, burstSize, spread(during), during, {
    p50Ratio: round(p(during, 50) / p(both, 50)),
    p99Ratio: round(p(during, 99) / p(both, 99)),
  });

  // The mock forgets its 100,000 posts (later scenarios list its posts); the usual worker comes back.
  await json('DELETE', `${mockUrl}/_mock/posts`);
  await stopChild(worker);
  run('worker', 'dist/apps/worker/src/main.js', env);
  await waitFor('the worker back', async () => (await fetch(`http://127.0.0.1:${workerMetricsPort}/health`)).ok);
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build` first (`npm run bench` does)');
  const database = `herald_bench_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const memory = setInterval(sampleMemory, 200);
  const [apiPort, mockPort, workerMetricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const adminToken = randomBytes(24).toString('hex');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    HERALD_QUEUE_PREFIX: prefix,
    PORT: String(apiPort),
    MOCK_SOCIAL_PORT: String(mockPort),
    MOCK_SOCIAL_NETWORK_PORTS: '0',
    MOCK_SOCIAL_URL: `http://127.0.0.1:${mockPort}`,
    // The bench's bursts would spend the networks' real budgets in seconds: a thousandfold, headers still on every answer.
    MOCK_RATE_LIMIT_SCALE: '1000',
    HERALD_ADMIN_TOKEN: adminToken,
    // The web scenario signs a person up (the workspaces above are made with the admin token).
    AUTH_OPEN_SIGNUP: 'true',
    HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_MINUTE: '0',
    // The scenarios put tens of thousands of posts on one X channel at one instant, far past X's 100 per 15 minutes.
    NETWORK_QUOTAS: 'x=off',
    WORKER_METRICS_PORT: String(workerMetricsPort),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
    // The series scenario makes a year of occurrences ahead.
    HERALD_SERIES_AHEAD_DAYS: '366',
    MEDIA_DIR: path.join(require('node:os').tmpdir(), `herald-bench-media-${prefix}`),
  };
  const started = Date.now();
  let db;
  let clusterLast;
  try {
    const migrate = spawn(process.execPath, [path.join(ROOT, 'dist/libs/db/src/migrate.js')], { env, stdio: 'ignore' });
    await new Promise((resolve, reject) => migrate.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('migrate failed')))));
    run('mock-social', 'dist/apps/mock-social/src/main.js', env);
    // The API and the worker find the networks from the mock: it answers first.
    await waitFor('the mock', async () => (await fetch(`http://127.0.0.1:${mockPort}/_mock/health`)).ok);
    run('api', 'dist/apps/api/src/main.js', env);
    run('worker', 'dist/apps/worker/src/main.js', env);
    await waitFor('the API', async () => (await fetch(`http://127.0.0.1:${apiPort}/health/ready`)).ok);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const mockUrl = `http://127.0.0.1:${mockPort}`;

    let rawRate = NaN;
    if (ONLY.has('baselines') || ONLY.has('burst') || ONLY.has('cluster')) {
      await measured(async () => {
        rawRate = await baselines(prefix);
      });
    }
    if (ONLY.has('baselines')) await measured(() => rawInserts(databaseUrl));
    const workspace = await json('POST', `${apiUrl}/v1/workspaces`, adminToken, { name: 'bench' });
    const apiKey = workspace.body.apiKey;
    const channel = (network, handle) => connectChannel(apiUrl, mockUrl, apiKey, network, handle);
    const channels = [];
    for (const [network, handle] of [['x', 'bench_x'], ['mastodon', 'bench']]) channels.push(await channel(network, handle));
    if (ONLY.has('create')) await measured(() => createPosts(apiUrl, apiKey, channels));
    const burstChannels = [];
    for (let index = 0; index < 54; index += 1) {
      burstChannels.push(await channel('facebook', `burst_${index}`));
    }
    if (ONLY.has('bulk')) await measured(() => bulkCreate(apiUrl, apiKey, channels));
    if (ONLY.has('import')) await measured(() => csvImport(apiUrl, apiKey, channels));
    db = new Client({ connectionString: databaseUrl });
    db.on('error', () => undefined); // dropped with the database at the end
    await db.connect();
    if (ONLY.has('burst')) {
      // A long-running worker has published before: warm its publish path (and the mock's) with a small
      // burst first, unrecorded, so the first measured burst does not pay for compiling it.
      const warmup = [];
      for (const handle of ['warmup_a', 'warmup_b']) warmup.push(await channel('facebook', handle));
      await burst(apiUrl, mockUrl, db, apiKey, warmup, 200, rawRate, false);
      // Each burst on channels of its own.
      await measured(() => burst(apiUrl, mockUrl, db, apiKey, burstChannels.slice(0, 2), 1000 * SCALE, rawRate));
      await measured(() => burst(apiUrl, mockUrl, db, apiKey, burstChannels.slice(2, 52), 1000 * SCALE, rawRate));
      await measured(() => burst(apiUrl, mockUrl, db, apiKey, burstChannels.slice(52, 54), 10_000 * SCALE, rawRate));
    }
    if (ONLY.has('burst') || ONLY.has('threads')) {
      // Threads beside the single-post bursts: each part waits for the one before it.
      const threadChannels = [];
      for (let index = 0; index < 20; index += 1) threadChannels.push(await channel('mastodon', `thread_${index}`));
      await measured(() => threadBurst(apiUrl, mockUrl, db, apiKey, threadChannels, 1000 * SCALE, 3));
    }
    if (ONLY.has('outage')) {
      const outageChannels = [await channel('facebook', 'outage_a'), await channel('facebook', 'outage_b')];
      await measured(() => outage(apiUrl, mockUrl, db, apiKey, outageChannels, 10_000 * SCALE, 10_000));
    }
    if (ONLY.has('degraded')) {
      const degradedChannels = [await channel('facebook', 'degraded_a'), await channel('facebook', 'degraded_b')];
      await measured(() => degraded(apiUrl, mockUrl, db, apiKey, degradedChannels, 1000 * SCALE, 60_000));
    }
    if (ONLY.has('media')) await measured(() => media(apiUrl, mockUrl, apiKey));
    if (ONLY.has('web')) await measured(() => webCalendar(apiUrl, mockUrl));
    if (ONLY.has('series')) {
      const seriesChannel = await channel('mastodon', 'bench_series');
      await measured(() => seriesYear(apiUrl, apiKey, databaseUrl, seriesChannel));
    }
    if (ONLY.has('analytics')) await measured(() => analyticsSnapshots({ env, apiUrl, mockUrl, db, apiKey, channel, rawRate, workerMetricsPort }));
    if (ONLY.has('cluster')) {
      if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0 || spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status !== 0) {
        console.error('cluster: skipped, redis-server and redis-cli are not installed (apt-get install redis-server redis-tools)');
      } else {
        // Last: it replaces the API and the worker with a pair on the cluster.
        clusterLast = () => clusterBursts({ env, apiUrl, mockUrl, db, apiKey, channel, rawRate, prefix });
      }
    }
    if (ONLY.has('far')) {
      const redis = new Redis(REDIS_URL);
      try {
        await measured(() => farFuture({ apiUrl, mockUrl, adminToken, redis, prefix, admin, database, databaseUrl, workerMetricsUrl: `http://127.0.0.1:${workerMetricsPort}/metrics` }));
      } finally {
        redis.disconnect();
      }
    }
    if (clusterLast) await clusterLast();
  } finally {
    clearInterval(memory);
    sampleMemory();
    await db?.end().catch(() => undefined);
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    for (let index = 0; index < keys.length; index += 500) await redis.del(...keys.slice(index, index + 500));
    redis.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(env.MEDIA_DIR, { recursive: true, force: true });
  }
  // Processes of one name (a worker restarted): the highest of their peaks.
  const peak = {};
  for (const child of children) peak[child.name] = Math.max(peak[child.name] ?? 0, Math.round(child.peakRss / 1048576));
  console.log(`\nHerald bench — ${new Date().toISOString()} — ${require('node:os').cpus().length} cores, ${Math.round(require('node:os').totalmem() / 2 ** 30)} GiB, scale ${SCALE}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  console.table(rows);
  console.log(`peak RSS (MiB): ${Object.entries(peak).map(([name, mb]) => `${name} ${mb}`).join(', ')}`);
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), scale: SCALE, rows, peakRssMiB: peak }, null, 2));
  console.log(`written to ${path.relative(ROOT, file)}`);
}

main().catch((error) => {
  console.error(`bench failed: ${error && error.stack ? error.stack : error}`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
