/**
 * The medium tier's stack (`*.medium-spec.ts`): Herald's API, its worker(s)
 * and the mock networks built inside the test's own process, on a database
 * cloned from the run's migrated template and a queue prefix of their own,
 * against the real Postgres and Redis. What a test gets is what `Stack`
 * gives (apiUrl, mockUrl, adminToken, db, redis, queuePrefix, workspace(),
 * channel(), mockPosts()...): the API listens on a free loopback port and is
 * driven over HTTP (`http()`, the generated client, or `request()`, a
 * supertest agent on the Nest app's server). No child process: starting is
 * a second, not ten, and files run several at a time. Crashes, restarts,
 * signals and Redis or Postgres topologies stay with `Stack` (the e2e tier).
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { HERALD_CONFIG, LOG_DESTINATION, loadConfig } from '@herald/config';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApi } from '../../apps/api/src/http-app';
import { Mailer } from '../../apps/api/src/people/mailer';
import { readConfig } from '../../apps/mock-social/src/config';
import { RunningMock, startMock } from '../../apps/mock-social/src/servers';
import { WorkerMetrics } from '../../apps/worker/src/metrics/worker-metrics';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { http } from './http';
import { Stack, StackOptions } from './stack';

/** One app of the stack, running inside the test, and how to stop it. */
export interface InProcessApp {
  name: 'api' | 'worker';
  context: INestApplicationContext;
  /** Whether it has been stopped (`close()`). */
  closed: boolean;
  /** A worker's metrics port (its /metrics and /health), as a worker process announces it when ready. */
  metricsPort?: number;
  close(): Promise<void>;
}

export type InProcessOptions = Omit<StackOptions, 'redis'>;

export class InProcessStack extends Stack {
  /** The API, inside the test. */
  apiApp?: InProcessApp;
  /** The workers started (`workers` at start, then `startWorkerInProcess()`). */
  readonly inProcessWorkers: InProcessApp[] = [];
  /** Further APIs on the same database and Redis, with settings of their own (`startApiInProcess()`). */
  readonly moreApis: InProcessApp[] = [];
  /**
   * Every log line of the stack's apps, JSON as a process prints them. One log for all: Nest's
   * logger is one per process, so the API's and the workers' lines are not told apart here
   * (a test that needs one process's own lines is an e2e test).
   */
  readonly log: string[] = [];
  private mockNetworks?: RunningMock;
  private nestApi?: NestExpressApplication;

  static override async start(options: InProcessOptions = {}): Promise<InProcessStack> {
    for (let tries = 1; ; tries += 1) {
      const stack = new InProcessStack();
      try {
        await stack.bootInProcess(options);
        return stack;
      } catch (error) {
        await stack.stop().catch(() => undefined);
        // A free port can be taken by another test process between finding it and binding it: boot again on new ones.
        if (tries < 3 && !options.database && /EADDRINUSE/.test(String(error))) continue;
        if (error instanceof Error) error.message += `\n${stack.logs()}`;
        throw error;
      }
    }
  }

  private async bootInProcess(options: InProcessOptions): Promise<void> {
    await this.prepare(options);
    this.mockNetworks = await startMock(readConfig(this.env));
    this.networks = (await http('GET', `${this.mockUrl}/_mock/networks`)).body.data;
    await options.beforeApps?.(this);
    this.apiApp = await this.startApi();
    this.nestApi = this.apiApp.context as NestExpressApplication;
    for (let index = 0; index < (options.workers ?? 1); index += 1) await this.startWorkerInProcess();
  }

  /** The environment an app of this stack reads, as a process of it would get it. */
  private appEnv(extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...this.env, ...extraEnv, NODE_ENV: 'test' };
  }

  /**
   * Another API inside the test, on the stack's database and Redis, with settings of its own besides
   * the stack's (a `PORT` of its own among them); resolves once it listens. Stopped with the stack.
   */
  async startApiInProcess(extraEnv: Record<string, string>): Promise<InProcessApp> {
    const api = await this.startApi(extraEnv);
    this.moreApis.push(api);
    return api;
  }

  /** The stack's API again, on its port, after `apiApp.close()` (as a process restarted would be). */
  async restartApi(): Promise<void> {
    await this.apiApp?.close();
    this.apiApp = await this.startApi();
    this.nestApi = this.apiApp.context as NestExpressApplication;
  }

  private async startApi(extraEnv: Record<string, string> = {}): Promise<InProcessApp> {
    const config = loadConfig(this.appEnv(extraEnv));
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(HERALD_CONFIG)
      .useValue(config)
      .overrideProvider(LOG_DESTINATION)
      .useValue(collector(this.log))
      .compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true, bodyParser: false });
    configureApi(app, config);
    // Without SMTP an email's link goes to the terminal, not a log line; here it joins the stack's log as a process's output would.
    app.get(Mailer).printToConsole = (text) => void this.log.push(...text.split('\n'));
    const running: InProcessApp = { name: 'api', context: app, closed: false, close: async () => closeOnce(running, () => app.close()) };
    // The test's fetch (undici) keeps idle connections 4 s; Node's server closes them after 5 s. Here both
    // share one busy event loop, so the server's close can land as the client reuses the socket (ECONNRESET):
    // the server keeps them longer than any client here does.
    const server = app.getHttpServer() as import('node:http').Server;
    server.keepAliveTimeout = 60_000;
    await app.listen(config.port, '127.0.0.1');
    return running;
  }

  /** A worker inside the test, with settings of its own besides the stack's; resolves once it runs (its metrics server listening). */
  async startWorkerInProcess(extraEnv: Record<string, string> = {}): Promise<InProcessApp> {
    const config = loadConfig(this.appEnv(extraEnv));
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(HERALD_CONFIG)
      .useValue(config)
      .overrideProvider(LOG_DESTINATION)
      .useValue(collector(this.log))
      .compile();
    const running: InProcessApp = { name: 'worker', context: moduleRef, closed: false, close: async () => closeOnce(running, () => moduleRef.close()) };
    this.inProcessWorkers.push(running);
    moduleRef.useLogger(moduleRef.get(Logger));
    await moduleRef.init();
    running.metricsPort = await moduleRef.get(WorkerMetrics).listen();
    return running;
  }

  /** A supertest agent on the API's HTTP server (no port needed). */
  request(): ReturnType<typeof request> {
    if (!this.nestApi) throw new Error('the in-process API is not running');
    return request(this.nestApi.getHttpServer());
  }

  override spawn(): never {
    throw new Error('an in-process stack starts no process: use Stack (the e2e tier) for a test that needs one');
  }

  override async stop(): Promise<void> {
    // Workers first (they finish what they hold), then the API, then the mock; then the database, Redis keys and files.
    await Promise.all(this.inProcessWorkers.map((worker) => worker.close().catch(() => undefined)));
    await Promise.all(this.moreApis.map((api) => api.close().catch(() => undefined)));
    await this.apiApp?.close().catch(() => undefined);
    await this.mockNetworks?.close().catch(() => undefined);
    await super.stop();
  }

  override logs(): string {
    return `--- api and workers (in process)\n${this.log.slice(-60).join('\n')}`;
  }
}

/** A pino destination that keeps each line (as a process prints it) in `lines`. */
function collector(lines: string[]): { write(line: string): void } {
  return {
    write(line: string) {
      lines.push(...line.split('\n').filter(Boolean));
      if (lines.length > 5000) lines.splice(0, lines.length - 5000);
    },
  };
}

async function closeOnce(running: InProcessApp, close: () => Promise<void>): Promise<void> {
  if (running.closed) return;
  running.closed = true;
  await close();
}
