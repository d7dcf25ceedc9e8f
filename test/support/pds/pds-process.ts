/**
 * The reference PDS's child process (pds-child.mjs): forks it, keeps its output, waits until it
 * listens, sends it commands over IPC, stops it and removes its data. Only Node built-ins, so it
 * loads under ts-jest's CommonJS while the ESM-only @atproto packages stay in the child.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHILD_ENTRY = join(__dirname, 'pds-child.mjs');
const OUTPUT_KEPT = 256 * 1024;
const KILL_AFTER_MS = 10_000;

export interface PdsProcessOptions {
  /** Handle domains the PDS serves; default ['.test']. */
  handleDomains?: string[];
  /** Turn on the PDS's own (pino) logs, collected with the rest of its output. */
  log?: boolean;
  /** More ServerEnvironment fields for PDS.fromEnv, e.g. { blobUploadLimit: 1_000_000 }. */
  extraEnv?: Record<string, unknown>;
  /** Default 60 s: a cold start on a busy machine has taken 7.5 s. */
  startTimeoutMs?: number;
}

/** What the child reports once PLC and PDS listen. */
export interface PdsReady {
  url: string;
  plcUrl: string;
  serviceDid: string;
  handleDomains: string[];
  jwtSecret: string;
  /** ms since the child started, at each step: imports, plc, pds. */
  timings: Record<string, number>;
}

type ChildMessage = { type: 'ready'; info: PdsReady } | { type: 'fatal'; error: string } | { id: number; ok: boolean; error?: string };

export class PdsProcess {
  private output = '';
  private exited = false;
  private readonly exit: Promise<void>;
  private nextCommandId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (message: ChildMessage) => {
      if (!('id' in message)) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve();
      else waiting?.reject(new Error(`PDS command failed: ${message.error}`));
    });
    this.exit = new Promise((resolve) =>
      child.once('exit', () => {
        this.exited = true;
        for (const waiting of this.pending.values()) waiting.reject(new Error('the PDS exited'));
        this.pending.clear();
        resolve();
      }),
    );
  }

  static async start(options: PdsProcessOptions): Promise<{ pdsProcess: PdsProcess; ready: PdsReady }> {
    // A package folder of its own (package.json beside this file), installed by the test runner, not by Herald's npm ci.
    if (!existsSync(join(__dirname, 'node_modules', '@atproto', 'pds', 'package.json'))) {
      throw new Error(
        'The reference Bluesky PDS is not installed in test/support/pds: run `node scripts/test-pds.js` ' +
          '(`npm test` and `node scripts/test.js <file>` install it when a file needs it).',
      );
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'herald-pds-'));
    const config = { dataDir, handleDomains: options.handleDomains, log: options.log ?? false, extraEnv: options.extraEnv };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HERALD_PDS_CONFIG: JSON.stringify(config),
      // Caching the compiled @atproto modules saves about half a second per start.
      NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'herald-pds-compile-cache'),
    };
    // Flags meant for Jest's own Node (such as --experimental-vm-modules) are not the child's.
    delete env.NODE_OPTIONS;
    const child = fork(CHILD_ENTRY, [], { execArgv: [], env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const pdsProcess = new PdsProcess(child, dataDir);
    try {
      return { pdsProcess, ready: await pdsProcess.ready(options.startTimeoutMs ?? 60_000) };
    } catch (error) {
      await pdsProcess.stop();
      throw error;
    }
  }

  /** The child's stdout and stderr, the last 256 KB. */
  logs(): string {
    return this.output;
  }

  command(cmd: string, args: Record<string, unknown>): Promise<void> {
    if (this.exited) return Promise.reject(new Error(`the PDS has exited; cannot ${cmd}`));
    const id = this.nextCommandId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, cmd, args });
    });
  }

  /** SIGTERM lets the PDS close its databases; SIGKILL if it has not exited after 10 s. Idempotent. */
  async stop(): Promise<void> {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      const kill = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS);
      await this.exit;
      clearTimeout(kill);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private ready(timeoutMs: number): Promise<PdsReady> {
    return new Promise((resolve, reject) => {
      const fail = (reason: string) => {
        clearTimeout(timer);
        reject(new Error(`${reason}. PDS output:\n${this.output}`));
      };
      const timer = setTimeout(() => fail(`the PDS did not start within ${timeoutMs} ms`), timeoutMs);
      this.child.on('message', (message: ChildMessage) => {
        if (!('type' in message)) return;
        if (message.type === 'fatal') return fail(`the PDS failed to start: ${message.error}`);
        clearTimeout(timer);
        resolve(message.info);
      });
      this.child.once('error', (error) => fail(`the PDS could not be started: ${error.message}`));
      void this.exit.then(() => fail('the PDS exited before it was ready'));
    });
  }
}
