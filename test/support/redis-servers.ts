/**
 * Redis servers of a test's own, never the machine's: a three-master Redis
 * Cluster, or a primary with one replica watched by three Sentinels, each
 * process a child of the test on free loopback ports, its files in a temp
 * folder. `env` is what Herald's processes need to reach them; `stop()` kills
 * them all and removes the folder.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './http';
import { freePort } from './ports';

const run = promisify(execFile);

interface RedisProcess {
  port: number;
  child: ChildProcess;
  output: string[];
}

abstract class RedisServers {
  protected readonly processes: RedisProcess[] = [];
  protected constructor(readonly dir: string) {}

  abstract readonly env: Record<string, string>;

  protected serve(port: number, args: string[], binary = 'redis-server'): RedisProcess {
    const child = spawn(binary, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const server: RedisProcess = { port, child, output: [] };
    const collect = (chunk: Buffer) => server.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.processes.push(server);
    return server;
  }

  /** A server of no persistence on loopback, with these settings besides. */
  protected server(port: number, ...settings: string[]): RedisProcess {
    return this.serve(port, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', this.dir, ...settings]);
  }

  /** Whether the server on this port holds the key (asked directly, not through Herald's client). */
  async holds(port: number, key: string): Promise<boolean> {
    return (await cli(port, 'exists', key)).trim() === '1';
  }

  /** SIGKILL: the server dies as a machine would, with no goodbye to its clients. */
  async kill(server: RedisProcess): Promise<void> {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
    server.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((server) => this.kill(server)));
    await rm(this.dir, { recursive: true, force: true });
  }

  logs(): string {
    return this.processes.map((server) => `--- redis :${server.port}\n${server.output.slice(-15).join('\n')}`).join('\n');
  }
}

/** Three masters, no replicas, every slot assigned: `cluster_state:ok` on each node before `start` answers. */
export class RedisClusterServers extends RedisServers {
  private constructor(dir: string, readonly ports: number[]) {
    super(dir);
  }

  get env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.ports.map((port) => `127.0.0.1:${port}`).join(',') };
  }

  static async start(masters = 3): Promise<RedisClusterServers> {
    const ports = await distinctPorts(masters);
    const cluster = new RedisClusterServers(await mkdtemp(join(tmpdir(), 'herald-redis-cluster-')), ports);
    try {
      for (const port of ports) cluster.server(port, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000');
      for (const port of ports) await waitFor(`redis :${port}`, () => answers(port));
      await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
      for (const port of ports) {
        await waitFor(`cluster_state:ok on :${port}`, async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), { timeoutMs: 20_000 });
      }
      return cluster;
    } catch (error) {
      const logs = cluster.logs();
      await cluster.stop();
      throw new Error(`${String(error)}\n${logs}`);
    }
  }
}

/** A primary, one replica and three Sentinels (quorum 2) watching it as `name`. */
export class RedisSentinelServers extends RedisServers {
  primary!: RedisProcess;
  replica!: RedisProcess;
  sentinelPorts: number[] = [];

  private constructor(dir: string, readonly name: string) {
    super(dir);
  }

  get env(): Record<string, string> {
    return { REDIS_SENTINELS: this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','), REDIS_SENTINEL_NAME: this.name };
  }

  static async start(name = 'herald'): Promise<RedisSentinelServers> {
    const group = new RedisSentinelServers(await mkdtemp(join(tmpdir(), 'herald-redis-sentinel-')), name);
    try {
      const [primaryPort, replicaPort, ...sentinelPorts] = await distinctPorts(5);
      group.primary = group.server(primaryPort!, '--dbfilename', 'primary.rdb');
      group.replica = group.server(replicaPort!, '--dbfilename', 'replica.rdb', '--replicaof', '127.0.0.1', String(primaryPort));
      await waitFor('the replica to sync', async () => (await cli(replicaPort!, 'info', 'replication').catch(() => '')).includes('master_link_status:up'), { timeoutMs: 20_000 });
      group.sentinelPorts = sentinelPorts;
      for (const port of sentinelPorts) {
        const conf = join(group.dir, `sentinel-${port}.conf`);
        await writeFile(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${group.dir}`,
            `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
            `sentinel down-after-milliseconds ${name} 1000`,
            `sentinel failover-timeout ${name} 5000`,
            `sentinel parallel-syncs ${name} 1`,
            '',
          ].join('\n'),
        );
        // Debian's redis-sentinel is redis-server under another name; without the package, redis-server --sentinel is the same program.
        if (existsSync('/usr/bin/redis-sentinel')) group.serve(port, [conf], 'redis-sentinel');
        else group.serve(port, [conf, '--sentinel']);
      }
      await waitFor('the sentinels to know each other and the replica', async () => {
        const masters = await Promise.all(sentinelPorts.map((port) => cli(port, 'sentinel', 'master', name).catch(() => '')));
        return masters.every((master) => /num-other-sentinels\n2\n/.test(master) && /num-slaves\n1\n/.test(master));
      }, { timeoutMs: 30_000 });
      return group;
    } catch (error) {
      const logs = group.logs();
      await group.stop();
      throw new Error(`${String(error)}\n${logs}`);
    }
  }

  /** The port the sentinels name as the primary now. */
  async primaryPort(): Promise<number> {
    const answer = await cli(this.sentinelPorts[0]!, 'sentinel', 'get-master-addr-by-name', this.name);
    return Number(answer.trim().split('\n')[1]);
  }
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  // Cluster nodes also listen on port + 10000 (the bus): keep that below 65536.
  while (ports.size < count) {
    const port = await freePort();
    if (port < 55_000) ports.add(port);
  }
  return [...ports];
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
}

async function answers(port: number): Promise<boolean> {
  return (await cli(port, 'ping').catch(() => '')).trim() === 'PONG';
}
