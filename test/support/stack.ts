/**
 * Starts Herald as a user runs it: the built mock networks, API and worker(s)
 * as child processes, on a database and a queue prefix of their own, against
 * the real Postgres and Redis. `stop()` tears everything down.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client, Pool } from 'pg';
import { POSTGRES_ADMIN_URL, REDIS_URL, databaseUrl, templateDatabase, testDatabase } from './env';
import { http, waitFor } from './http';

const ROOT = join(__dirname, '../..');
const ENTRY = {
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  'mock-social': 'dist/apps/mock-social/src/main.js',
} as const;
type AppName = keyof typeof ENTRY;

export interface StackOptions {
  workers?: number;
  env?: Record<string, string>;
}

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  output: string[];
}

export class Stack {
  readonly adminToken = `admin-${randomBytes(16).toString('hex')}`;
  readonly queuePrefix = `e2e-${randomBytes(4).toString('hex')}`;
  readonly database = testDatabase();
  readonly encryptionKey = randomBytes(32).toString('base64');
  apiUrl = '';
  mockUrl = '';
  db!: Pool;
  redis!: Redis;
  readonly workers: RunningProcess[] = [];
  api?: RunningProcess;
  private mock?: RunningProcess;
  private env: Record<string, string> = {};

  static async start(options: StackOptions = {}): Promise<Stack> {
    const stack = new Stack();
    await stack.boot(options);
    return stack;
  }

  private async boot(options: StackOptions): Promise<void> {
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${this.database}" TEMPLATE "${templateDatabase()}"`));
    this.db = new Pool({ connectionString: databaseUrl(this.database), max: 4 });
    // Idle connections die when a test restarts Postgres; the pool replaces them.
    this.db.on('error', () => undefined);
    this.redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const [apiPort, mockPort] = await Promise.all([freePort(), freePort()]);
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.mockUrl = `http://127.0.0.1:${mockPort}`;
    this.env = {
      DATABASE_URL: databaseUrl(this.database),
      REDIS_URL,
      HERALD_QUEUE_PREFIX: this.queuePrefix,
      PORT: String(apiPort),
      MOCK_SOCIAL_PORT: String(mockPort),
      MOCK_SOCIAL_URL: this.mockUrl,
      HERALD_ADMIN_TOKEN: this.adminToken,
      RECONCILE_INTERVAL_MS: '1000',
      WORKER_METRICS_PORT: '0',
      // Tests poll hard; the rate limit has a spec of its own.
      RATE_LIMIT_PER_MINUTE: '0',
      HERALD_ENCRYPTION_KEY: this.encryptionKey,
      WORKER_METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.env,
    };
    this.mock = this.spawn('mock-social');
    this.api = this.spawn('api');
    for (let index = 0; index < (options.workers ?? 1); index += 1) this.workers.push(this.spawn('worker'));
    const alive = (running: RunningProcess) => {
      if (running.child.exitCode !== null) throw new Error(`${running.name} exited:\n${running.output.slice(-30).join('\n')}`);
    };
    await Promise.all([
      waitFor('mock-social', async () => {
        alive(this.mock!);
        return (await http('GET', `${this.mockUrl}/_mock/health`)).status === 200;
      }),
      waitFor('api', async () => {
        alive(this.api!);
        return (await http('GET', `${this.apiUrl}/health/ready`)).status === 200;
      }, { timeoutMs: 30_000 }),
      ...this.workers.map((worker) => this.waitForLine(worker, 'worker ready')),
    ]);
  }

  spawn(name: AppName, extraEnv: Record<string, string> = {}): RunningProcess {
    const child = spawn(process.execPath, [join(ROOT, ENTRY[name])], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv, NODE_ENV: 'test' },
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

  /** A workspace with its API key. */
  async workspace(name = 'test'): Promise<{ id: string; apiKey: string }> {
    const answer = await http('POST', `${this.apiUrl}/v1/workspaces`, { token: this.adminToken, body: { name } });
    if (answer.status !== 201) throw new Error(`workspace: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async channel(apiKey: string, body: Record<string, unknown>): Promise<{ id: string; handle: string; network: string }> {
    const answer = await http('POST', `${this.apiUrl}/v1/channels`, { token: apiKey, body });
    if (answer.status !== 201) throw new Error(`channel: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Every post the mock networks accepted for a handle. */
  async mockPosts(filter: { network?: string; handle?: string } = {}): Promise<
    { id: string; network: string; handle: string; text: string; idempotencyKey: string | null; receivedAt: string }[]
  > {
    const query = new URLSearchParams(filter as Record<string, string>).toString();
    return (await http('GET', `${this.mockUrl}/_mock/posts?${query}`)).body.data;
  }

  /** SIGKILL (a crash) or SIGTERM (a graceful stop) a process and wait for it to exit. */
  async kill(running: RunningProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
    running.child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    const all = [this.api, this.mock, ...this.workers].filter((entry): entry is RunningProcess => entry !== undefined);
    await Promise.all(all.map((running) => this.kill(running, 'SIGTERM')));
    await this.db?.end();
    if (this.redis) {
      const keys = await scanKeys(this.redis, `${this.queuePrefix}:*`);
      for (let index = 0; index < keys.length; index += 500) await this.redis.del(...keys.slice(index, index + 500));
      this.redis.disconnect();
    }
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`));
  }

  logs(): string {
    return [this.api, this.mock, ...this.workers]
      .filter((entry): entry is RunningProcess => entry !== undefined)
      .map((running) => `--- ${running.name}\n${running.output.slice(-40).join('\n')}`)
      .join('\n');
  }
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
