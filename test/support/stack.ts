/**
 * Starts Herald as a user runs it: the built mock networks, API and worker(s)
 * as child processes, on a database and a queue prefix of their own, against
 * the real Postgres and Redis. `stop()` tears everything down.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { Cluster, Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { loadConfig } from '@herald/config';
import { createRedisClient } from '@herald/queue';
import { DESCRIBED_NETWORKS } from '@herald/channels';
import { POSTGRES_ADMIN_URL, REDIS_URL, databaseUrl, templateDatabase, testDatabase } from './env';
import { http, waitFor } from './http';
import { freePort } from './ports';

const ROOT = join(__dirname, '../..');

/** The OAuth app the mock networks know (their defaults). */
export const MOCK_APP = { clientId: 'herald-demo', clientSecret: 'herald-demo-secret' };
const ENTRY = {
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  'mock-social': 'dist/apps/mock-social/src/main.js',
} as const;
type AppName = keyof typeof ENTRY;

export interface StackOptions {
  workers?: number;
  env?: Record<string, string>;
  /** A database the test made (named by testDatabase()), used as it is instead of a copy of the migrated template. */
  database?: string;
  /** Runs once the mock networks are up, before the API and workers start (e.g. to migrate a database as an operator would). */
  beforeApps?: (stack: Stack) => Promise<void>;
  /** How to reach a Redis of the test's own (REDIS_CLUSTER_NODES, REDIS_SENTINELS...), instead of the machine's REDIS_URL. */
  redis?: Record<string, string>;
}

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  output: string[];
}

export class Stack {
  readonly adminToken = `admin-${randomBytes(16).toString('hex')}`;
  /** On a Redis Cluster a hash tag, `{e2e-...}`, as Herald requires there. */
  queuePrefix = `e2e-${randomBytes(4).toString('hex')}`;
  database = testDatabase();
  readonly encryptionKey = randomBytes(32).toString('base64');
  apiUrl = '';
  mockUrl = '';
  db!: Pool;
  /** Herald's Redis, as Herald's own config reaches it. */
  redis!: Redis | Cluster;
  readonly workers: RunningProcess[] = [];
  /** The mock's networks, from its /_mock/networks. */
  networks: { network: string; baseUrl: string; instanceUrl?: string; plcUrl?: string }[] = [];
  api?: RunningProcess;
  private mock?: RunningProcess;
  /** The environment every process of the stack gets. */
  env: Record<string, string> = {};

  static async start(options: StackOptions = {}): Promise<Stack> {
    for (let tries = 1; ; tries += 1) {
      const stack = new Stack();
      try {
        await stack.boot(options);
        return stack;
      } catch (error) {
        // The caller never gets the stack to stop: stop what did start, or its processes outlive the test run.
        await stack.stop().catch(() => undefined);
        // A free port can be taken by another test process between finding it and binding it: boot again on new ones.
        if (tries < 3 && !options.database && /EADDRINUSE/.test(String(error))) continue;
        // What the processes said is why they did not come up.
        if (error instanceof Error) error.message += `\n${stack.logs()}`;
        throw error;
      }
    }
  }

  private async boot(options: StackOptions): Promise<void> {
    const alive = (running: RunningProcess) => {
      if (running.child.exitCode !== null) throw new Error(`${running.name} exited:\n${running.output.slice(-30).join('\n')}`);
    };
    await this.prepare(options);
    this.mock = this.spawn('mock-social');
    await waitFor('mock-social', async () => {
      alive(this.mock!);
      return (await http('GET', `${this.mockUrl}/_mock/health`)).status === 200;
    });
    this.networks = (await http('GET', `${this.mockUrl}/_mock/networks`)).body.data;
    await options.beforeApps?.(this);
    this.api = this.spawn('api');
    for (let index = 0; index < (options.workers ?? 1); index += 1) this.workers.push(this.spawn('worker'));
    await Promise.all([
      waitFor('api', async () => {
        alive(this.api!);
        return (await http('GET', `${this.apiUrl}/health/ready`)).status === 200;
        // A 2-core machine shared by several runs boots the API in 40 s (8 s of CPU): a slow start is not a failure.
      }, { timeoutMs: 90_000 }),
      ...this.workers.map((worker) => this.waitForLine(worker, 'worker ready')),
    ]);
  }

  /** The stack's database (a copy of the template), its pool, ports, environment and Redis client: what its apps start on. */
  protected async prepare(options: StackOptions): Promise<void> {
    if (options.redis?.REDIS_CLUSTER_NODES) this.queuePrefix = `{${this.queuePrefix}}`;
    if (options.database) this.database = options.database;
    else await withAdmin((admin) => admin.query(`CREATE DATABASE "${this.database}" TEMPLATE "${templateDatabase()}"`));
    this.db = new Pool({ connectionString: databaseUrl(this.database), max: 4 });
    // Idle connections die when a test restarts Postgres; the pool replaces them.
    this.db.on('error', () => undefined);
    const [apiPort, mockPort] = await Promise.all([freePort(), freePort()]);
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.mockUrl = `http://127.0.0.1:${mockPort}`;
    this.env = {
      DATABASE_URL: databaseUrl(this.database),
      ...(options.redis ?? { REDIS_URL }),
      HERALD_QUEUE_PREFIX: this.queuePrefix,
      PORT: String(apiPort),
      HERALD_PUBLIC_URL: this.apiUrl,
      MOCK_SOCIAL_PORT: String(mockPort),
      // Every network of the mock on a port of its own, free ones: /_mock/networks says which.
      MOCK_SOCIAL_NETWORK_PORTS: '0',
      MOCK_SOCIAL_URL: this.mockUrl,
      // The networks' rate limits a thousandfold: their headers on every answer as the networks send them, never a
      // 429 from a burst of hundreds a test makes in seconds (a test that needs a budget sets one: PUT /_mock/ratelimits).
      MOCK_RATE_LIMIT_SCALE: '1000',
      // The mock's one registered app per network family (its defaults).
      X_CLIENT_ID: MOCK_APP.clientId,
      X_CLIENT_SECRET: MOCK_APP.clientSecret,
      LINKEDIN_CLIENT_ID: MOCK_APP.clientId,
      LINKEDIN_CLIENT_SECRET: MOCK_APP.clientSecret,
      META_APP_ID: MOCK_APP.clientId,
      META_APP_SECRET: MOCK_APP.clientSecret,
      ...Object.fromEntries(DESCRIBED_NETWORKS.flatMap(({ app }) => [[app.clientIdVariable, MOCK_APP.clientId], [app.clientSecretVariable, MOCK_APP.clientSecret]])),
      HERALD_ADMIN_TOKEN: this.adminToken,
      RECONCILE_INTERVAL_MS: '1000',
      WORKER_METRICS_PORT: '0',
      // Tests poll hard; the rate limit has a spec of its own.
      RATE_LIMIT_PER_MINUTE: '0',
      HERALD_ENCRYPTION_KEY: this.encryptionKey,
      WORKER_METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // The media library's files: a folder of this stack's own.
      MEDIA_DIR: join(tmpdir(), `herald-e2e-media-${this.queuePrefix}`),
      ...options.env,
    };
    this.redis = heraldRedis(this.env);
    // The test's own Redis may be killed (a failover) or stopped before the client is: its errors are not the test's.
    this.redis.on('error', () => undefined);
    // Made as the API's producers are (no offline queue): used once it is connected.
    await waitFor('the stack\'s Redis client', async () => this.redis.status === 'ready', { timeoutMs: 20_000 });
  }

  spawn(name: AppName, extraEnv: Record<string, string> = {}): RunningProcess {
    const env: Record<string, string | undefined> = { ...process.env, ...this.env, ...extraEnv, NODE_ENV: 'test' };
    // A Redis of the test's own: the machine's, if the shell names one, is not Herald's here.
    if (!('REDIS_URL' in this.env)) delete env.REDIS_URL;
    const child = spawn(process.execPath, [join(ROOT, ENTRY[name])], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running: RunningProcess = { name, child, output: [] };
    const collect = (chunk: Buffer) => {
      running.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (running.output.length > 5000) running.output.splice(0, running.output.length - 5000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return running;
  }

  async startWorker(): Promise<RunningProcess> {
    const worker = this.spawn('worker');
    this.workers.push(worker);
    await this.waitForLine(worker, 'worker ready');
    return worker;
  }

  /** The worker's own metrics endpoint, from the port it announced when ready. */
  workerMetricsUrl(worker: RunningProcess): string {
    const line = worker.output.find((entry) => entry.includes('worker ready'));
    const port = line?.match(/"metricsPort":(\d+)/)?.[1];
    if (!port) throw new Error('the worker announced no metrics port');
    return `http://127.0.0.1:${port}/metrics`;
  }

  async waitForLine(running: RunningProcess, text: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(`${running.name} to say "${text}"`, async () => {
      if (running.child.exitCode !== null) throw new Error(`${running.name} exited: ${running.output.slice(-20).join('\n')}`);
      return running.output.some((line) => line.includes(text));
    }, { timeoutMs });
  }

  /** Where the mock serves each network (and each Mastodon instance). */
  networkUrl(network: string, index = 0): string {
    const found = this.networks.filter((entry) => entry.network === network)[index];
    if (!found) throw new Error(`the mock serves no ${network} #${index}`);
    return found.baseUrl;
  }

  /**
   * A workspace with its API key. Its connect flows may send the browser
   * back to CONNECTED_URI's origin, as a workspace whose own app runs there
   * would allow (PATCH /v1/workspace).
   */
  async workspace(name = 'test'): Promise<{ id: string; apiKey: string }> {
    const answer = await http('POST', `${this.apiUrl}/v1/workspaces`, { token: this.adminToken, body: { name } });
    if (answer.status !== 201) throw new Error(`workspace: ${answer.status} ${JSON.stringify(answer.body)}`);
    const allowed = await http('PATCH', `${this.apiUrl}/v1/workspace`, { token: answer.body.apiKey, body: { allowedRedirectOrigins: [new URL(CONNECTED_URI).origin] } });
    if (allowed.status !== 200) throw new Error(`workspace settings: ${allowed.status} ${JSON.stringify(allowed.body)}`);
    return answer.body;
  }

  /**
   * Connects an account of the mock as a channel, the way a person would
   * without a browser: Bluesky with an app password, the others with a
   * token the mock issues for the handle (`/_mock/tokens`), which Herald
   * checks with the network. `body` is what `POST /v1/channels` takes besides
   * (timezone, postingSchedule); `handle` names the mock's account. The
   * answer's `handle` is that account's at the mock (what /_mock/posts and
   * fault rules name), `apiHandle` the one Herald shows.
   */
  async channel(apiKey: string, body: Record<string, unknown> & { network: string; handle: string }): Promise<{ id: string; handle: string; apiHandle: string; network: string }> {
    const { network, instance, handle: named, ...rest } = body as typeof body & { instance?: number };
    // Bluesky handles are domain names (lowercase); a test's `brand_one` is `brand-one.bsky.social` there.
    const handle = network === 'bluesky' && !named.includes('.') ? blueskyHandle(named) : named;
    let credentials: Record<string, unknown>;
    if (network === 'bluesky') {
      credentials = { handle, appPassword: 'abcd-efgh-ijkl-mnop' };
    } else {
      const instanceUrl = network === 'mastodon' ? this.networkUrl('mastodon', instance ?? 0) : undefined;
      const issued = await http('POST', `${this.mockUrl}/_mock/tokens`, { body: { network, handle, ...(instanceUrl ? { instanceUrl } : {}) } });
      if (issued.status >= 300) throw new Error(`mock token: ${issued.status} ${JSON.stringify(issued.body)}`);
      credentials = { accessToken: issued.body.accessToken, ...(instanceUrl ? { instanceUrl } : {}) };
    }
    const answer = await http('POST', `${this.apiUrl}/v1/channels`, { token: apiKey, body: { network, ...credentials, ...rest } });
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`channel: ${answer.status} ${JSON.stringify(answer.body)}`);
    return { ...answer.body, apiHandle: answer.body.handle, handle };
  }

  /**
   * Connects an account through the OAuth flow, as a person's browser
   * would: starts it, follows `authorizeUrl` (the mock consents at once, as
   * `login_hint` names), and follows the network's redirect to Herald's
   * callback. Answers where the browser lands: `redirectUri` with
   * `channelId=` or `error=`.
   */
  async connectThroughOAuth(apiKey: string, network: string, handle: string, extra: Record<string, unknown> = {}): Promise<URL> {
    const started = await http('POST', `${this.apiUrl}/v1/channels/connect`, { token: apiKey, body: { network, redirectUri: CONNECTED_URI, ...extra } });
    if (started.status !== 201) throw new Error(`connect: ${started.status} ${JSON.stringify(started.body)}`);
    const authorize = new URL(started.body.authorizeUrl);
    authorize.searchParams.set('login_hint', handle);
    return redirectOf(await redirectOf(authorize.toString()));
  }

  /** Every post the mock networks accepted for a handle. */
  async mockPosts(filter: { network?: string; handle?: string } = {}): Promise<
    { id: string; network: string; handle: string; text: string; idempotencyKey: string | null; receivedAt: string }[]
  > {
    const query = new URLSearchParams(filter as Record<string, string>).toString();
    return (await http('GET', `${this.mockUrl}/_mock/posts?${query}`)).body.data;
  }

  /** SIGKILL (a crash) or SIGTERM (a graceful stop) a process and wait for it to exit. */
  /**
   * SIGTERM, and SIGKILL if the process has not stopped within `graceMs` (as
   * a process manager would), saying so with its last lines: a test's
   * teardown never hangs on a process that does not stop.
   */
  async terminate(running: RunningProcess, graceMs = 30_000): Promise<void> {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
    running.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([exited, late])) === 'late') {
      console.warn(`${running.name} had not stopped ${graceMs} ms after SIGTERM: killed. Its last lines:\n${running.output.slice(-20).join('\n')}`);
      running.child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  }

  async kill(running: RunningProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
    running.child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    const all = [this.api, this.mock, ...this.workers].filter((entry): entry is RunningProcess => entry !== undefined);
    await Promise.all(all.map((running) => this.terminate(running)));
    await this.db?.end();
    if (this.redis) {
      // The prefix's keys and its publish shards' (`{e2e-...-publish-i-k}:...`); one key per DEL, since shards' keys on one node are in different slots.
      for (const { node, keys } of await this.keysByNode(`${this.queuePrefix.replace(/\}$/, '')}*`).catch(() => [])) {
        for (let index = 0; index < keys.length; index += 500) {
          const pipeline = node.pipeline();
          for (const key of keys.slice(index, index + 500)) pipeline.del(key);
          await pipeline.exec().catch(() => undefined);
        }
      }
      this.redis.disconnect();
    }
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`));
    if (this.env.MEDIA_DIR?.startsWith(tmpdir())) await rm(this.env.MEDIA_DIR, { recursive: true, force: true });
  }

  /** Herald's keys matching a pattern, wherever they are: on a cluster, each master is scanned (one hash tag: one slot, one master). */
  async redisKeys(pattern: string): Promise<string[]> {
    return (await this.keysByNode(pattern)).flatMap((found) => found.keys);
  }

  private async keysByNode(pattern: string): Promise<{ node: Redis; keys: string[] }[]> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    return Promise.all(nodes.map(async (node) => ({ node, keys: await scanKeys(node, pattern) })));
  }

  logs(): string {
    return [this.api, this.mock, ...this.workers]
      .filter((entry): entry is RunningProcess => entry !== undefined)
      .map((running) => `--- ${running.name}\n${running.output.slice(-40).join('\n')}`)
      .join('\n');
  }
}

/** Where a connect flow started by the tests sends the browser at its end. */
export const CONNECTED_URI = 'https://app.example/channels/connected';

/** One redirect, not followed: where it sends the browser. */
export async function redirectOf(url: string | URL): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`expected a 302 from ${String(url)}, got ${response.status}: ${await response.text()}`);
  return new URL(location, url);
}

/** A test's account name as a Bluesky handle: a domain name, lowercase, underscores as hyphens. */
export function blueskyHandle(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'account'}.bsky.social`;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A client of the stack's Redis made as Herald makes its own, from the
 * stack's environment; the machine's Redis when that environment is not one
 * Herald would start with (a spec of a refused setting).
 */
function heraldRedis(env: Record<string, string>): Redis | Cluster {
  try {
    return createRedisClient(loadConfig(env).redis, 'producer');
  } catch {
    return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  }
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

