/**
 * A PgBouncer of a test's own in front of the machine's Postgres: an ini and
 * a userlist in a temp folder, `pgbouncer` as a child process on a free
 * loopback port, every database name passed through. Needs the `pgbouncer`
 * binary (Debian's package; .ci/run installs it).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL } from './env';
import { waitFor } from './http';
import { freePort } from './ports';

export interface PgBouncerOptions {
  mode: 'transaction' | 'session';
  /** Server connections per database and user: fewer than the apps' clients, so they share. */
  poolSize?: number;
}

export class PgBouncer {
  readonly output: string[] = [];

  private constructor(
    readonly mode: PgBouncerOptions['mode'],
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static available(): boolean {
    return spawnSync('pgbouncer', ['--version'], { stdio: 'ignore' }).status === 0;
  }

  static async start(options: PgBouncerOptions): Promise<PgBouncer> {
    const server = new URL(POSTGRES_ADMIN_URL);
    const user = decodeURIComponent(server.username || 'postgres');
    const dir = await mkdtemp(join(tmpdir(), 'herald-pgbouncer-'));
    // Read again after pgbouncer drops root for `-u`.
    await chmod(dir, 0o755);
    const port = await freePort();
    await writeFile(join(dir, 'userlist.txt'), `"${user}" ""\n`);
    await writeFile(
      join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${server.hostname} port=${server.port || 5432}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(dir, 'userlist.txt')}`,
        `admin_users = ${user}`,
        `pool_mode = ${options.mode}`,
        `default_pool_size = ${options.poolSize ?? 5}`,
        'max_client_conn = 500',
        'log_connections = 0',
        'log_disconnections = 0',
        '',
      ].join('\n'),
    );
    // pgbouncer will not run as root unless told which user to become.
    const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
    const child = spawn('pgbouncer', [...asRoot, join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const bouncer = new PgBouncer(options.mode, port, child, dir);
    const collect = (chunk: Buffer) => bouncer.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await waitFor(`pgbouncer (${options.mode}) to listen`, async () => {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited:\n${bouncer.output.join('\n')}`);
      return bouncer.output.some((line) => line.includes('process up'));
    });
    return bouncer;
  }

  /** A URL to `database` through this PgBouncer. */
  url(database: string): string {
    const url = new URL(POSTGRES_ADMIN_URL);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    url.pathname = `/${database}`;
    return url.toString();
  }

  /** Rows of an admin console command (SHOW CLIENTS, SHOW SERVERS). */
  async admin<Row>(command: string): Promise<Row[]> {
    const client = new Client({ connectionString: this.url('pgbouncer') });
    await client.connect();
    try {
      return (await client.query(command)).rows as Row[];
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      // SIGINT: PgBouncer's "safe shutdown" waits for clients; SIGTERM closes at once.
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
