/**
 * Redis servers of a test's own, never the machine's: a three-master Redis
 * Cluster (with a replica per master, if asked), or a primary with one
 * replica watched by three Sentinels, each
 * process a child of the test on free loopback ports, its files in a temp
 * folder. `env` is what Herald's processes need to reach them; `stop()` kills
 * them all and removes the folder. Needs Debian's redis-server, redis-cli
 * (redis-tools) and redis-sentinel: .ci/run installs them when missing.
 */
import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
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

  /** Whether the server on this port holds the key (asked directly, not through Herald's client; a cluster node not serving its slot answers MOVED). */
  async holds(port: number, key: string): Promise<boolean> {
    return (await cli(port, 'exists', key)).trim() === '1';
  }

  /** The slot Redis itself says a key hashes to (CLUSTER KEYSLOT). */
  async keyslot(key: string): Promise<number> {
    const port = this.processes.find((server) => this.alive(server.port))!.port;
    return Number((await cli(port, 'cluster', 'keyslot', key)).trim());
  }

  /** The server process on a port. */
  on(port: number): RedisProcess {
    const server = this.processes.find((candidate) => candidate.port === port);
    if (!server) throw new Error(`no server of this test on :${port}`);
    return server;
  }

  protected alive(port: number): boolean {
    const server = this.processes.find((candidate) => candidate.port === port);
    return server !== undefined && server.child.exitCode === null && server.child.signalCode === null;
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

export interface ClusterNode {
  port: number;
  role: 'master' | 'replica';
  /** For a replica, its master's port. */
  masterPort?: number;
  /** For a master, its slot ranges. */
  slots: [number, number][];
}

/**
 * Masters (three by default) with `replicas` replicas each, every slot
 * assigned by `redis-cli --cluster create` (even ranges): `cluster_state:ok`
 * on each node, and each replica in sync, before `start` answers.
 */
export class RedisClusterServers extends RedisServers {
  private constructor(dir: string, readonly ports: number[]) {
    super(dir);
  }

  /** The masters only, as an operator lists some nodes: the client learns the replicas from them. */
  get env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.initialMasters.map((port) => `127.0.0.1:${port}`).join(',') };
  }

  private initialMasters: number[] = [];

  static async start(options: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {}): Promise<RedisClusterServers> {
    const { masters = 3, replicas = 0, nodeTimeoutMs = 5000 } = options;
    const ports = await distinctPorts(masters * (1 + replicas));
    const cluster = new RedisClusterServers(await mkdtemp(join(tmpdir(), 'herald-redis-cluster-')), ports);
    try {
      requireBinaries();
      for (const port of ports) {
        cluster.server(port, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs));
      }
      for (const port of ports) await waitFor(`redis :${port}`, () => answers(port));
      // The first `masters` ports become masters, the rest their replicas.
      await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', String(replicas), '--cluster-yes']);
      for (const port of ports) {
        await waitFor(`cluster_state:ok on :${port}`, async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), { timeoutMs: 20_000 });
      }
      await waitFor('every node to know the cluster\'s masters and replicas', async () => {
        const nodes = await cluster.nodes().catch(() => []);
        return nodes.filter((node) => node.role === 'master').length === masters && nodes.filter((node) => node.role === 'replica').length === masters * replicas;
      }, { timeoutMs: 20_000 });
      for (const port of ports.slice(masters)) {
        await waitFor(`replica :${port} in sync`, async () => (await cli(port, 'info', 'replication').catch(() => '')).includes('master_link_status:up'), { timeoutMs: 20_000 });
      }
      cluster.initialMasters = (await cluster.nodes()).filter((node) => node.role === 'master').map((node) => node.port);
      return cluster;
    } catch (error) {
      const logs = cluster.logs();
      await cluster.stop();
      throw new Error(`${String(error)}\n${logs}`);
    }
  }

  /** The live nodes, as CLUSTER NODES (asked of a node still alive) lists them: role, master, slots. */
  async nodes(): Promise<ClusterNode[]> {
    for (const port of this.ports) {
      if (!this.alive(port)) continue;
      const answer = await cli(port, 'cluster', 'nodes').catch(() => '');
      if (!answer.trim()) continue;
      const lines = answer.trim().split('\n').map((line) => line.split(' '));
      const portOf = new Map(lines.map((fields) => [fields[0]!, Number(fields[1]!.split('@')[0]!.split(':').pop())]));
      return lines
        .filter((fields) => !fields[2]!.includes('fail') && !fields[2]!.includes('noaddr'))
        .map((fields) => {
          const master = fields[2]!.includes('master');
          const slots = fields
            .slice(8)
            .filter((range) => /^\d/.test(range))
            .map((range) => {
              const [low, high] = range.split('-').map(Number);
              return [low!, high ?? low!] as [number, number];
            });
          return { port: portOf.get(fields[0]!)!, role: master ? 'master' : 'replica', ...(master ? {} : { masterPort: portOf.get(fields[3]!) }), slots } satisfies ClusterNode;
        });
    }
    throw new Error('no node of the cluster answers');
  }

  /** The master serving a slot now. */
  async masterOf(slot: number): Promise<number> {
    const master = (await this.nodes()).find((node) => node.role === 'master' && node.slots.some(([low, high]) => slot >= low && slot <= high));
    if (!master) throw new Error(`no master serves slot ${slot}`);
    return master.port;
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
      requireBinaries();
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

/** Not skipped when missing: a skipped spec would let the README's claim go untested. */
function requireBinaries(): void {
  for (const binary of ['redis-server', 'redis-cli']) {
    if (spawnSync(binary, ['--version'], { stdio: 'ignore' }).status !== 0) {
      throw new Error(`${binary} is not installed: apt-get install redis-server redis-tools redis-sentinel (.ci/run does, as root)`);
    }
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
