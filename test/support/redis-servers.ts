/**
 * Redis servers of a test's own, never the machine's: a three-master Redis
 * Cluster (with a replica per master, if asked), a primary with one
 * replica watched by three Sentinels, or one server (passwords, ACL users,
 * TLS with a CA of the test's own, where asked), each
 * process a child of the test on free loopback ports, its files in a temp
 * folder. `env` is what Herald's processes need to reach them; `stop()` kills
 * them all and removes the folder. Needs Debian's redis-server, redis-cli
 * (redis-tools) and redis-sentinel: .ci/run installs them when missing.
 */
import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './http';
import { freePort, isFree } from './ports';

const run = promisify(execFile);

interface RedisProcess {
  port: number;
  child: ChildProcess;
  output: string[];
}

abstract class RedisServers {
  protected readonly processes: RedisProcess[] = [];
  /** What redis-cli needs to be let in, by port (a password, TLS). */
  protected readonly cliAuth = new Map<number, string[]>();
  protected constructor(readonly dir: string) {}

  /** redis-cli against one of the test's servers, with what that server wants of a client. */
  cli(port: number, ...args: string[]): Promise<string> {
    return cli(port, ...(this.cliAuth.get(port) ?? []), ...args);
  }

  protected answers(port: number): Promise<boolean> {
    return this.cli(port, 'ping').then((answer) => answer.trim() === 'PONG', () => false);
  }

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
    return this.serve(port, [...this.portArgs(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', this.dir, ...settings]);
  }

  /** With `tls`, every server and sentinel of the group speaks only TLS, with a certificate signed by a CA made for the test. */
  tls?: TlsFiles;

  protected async useTls(): Promise<void> {
    this.tls = await makeTlsFiles(this.dir);
  }

  /** The port a server listens on: plain, or (with TLS) TLS only, to its clients, its replicas, its cluster bus and its sentinels alike. */
  protected portArgs(port: number): string[] {
    if (!this.tls) return ['--port', String(port)];
    const { caFile, certFile, keyFile } = this.tls;
    return [
      '--port', '0', '--tls-port', String(port),
      '--tls-cert-file', certFile, '--tls-key-file', keyFile, '--tls-ca-cert-file', caFile,
      '--tls-auth-clients', 'no', '--tls-replication', 'yes', '--tls-cluster', 'yes',
    ];
  }

  /** A sentinel's file: the same, as lines. */
  protected portLines(port: number): string[] {
    const args = this.portArgs(port);
    const lines: string[] = [];
    for (let index = 0; index < args.length; index += 2) lines.push(`${args[index]!.slice(2)} ${args[index + 1]}`);
    return lines;
  }

  /** What redis-cli needs for TLS, and a password if given. */
  protected cliArgs(password?: string): string[] {
    return [...(password ? ['--no-auth-warning', '-a', password] : []), ...(this.tls ? ['--tls', '--cacert', this.tls.caFile] : [])];
  }

  /** What Herald needs for TLS: REDIS_TLS and REDIS_TLS_CA_FILE. */
  protected get tlsEnv(): Record<string, string> {
    return this.tls ? { REDIS_TLS: '1', REDIS_TLS_CA_FILE: this.tls.caFile } : {};
  }

  /** Whether the server on this port holds the key (asked directly, not through Herald's client; a cluster node not serving its slot answers MOVED). */
  async holds(port: number, key: string): Promise<boolean> {
    return (await this.cli(port, 'exists', key)).trim() === '1';
  }

  /** The slot Redis itself says a key hashes to (CLUSTER KEYSLOT). */
  async keyslot(key: string): Promise<number> {
    const port = this.processes.find((server) => this.alive(server.port))!.port;
    return Number((await this.cli(port, 'cluster', 'keyslot', key)).trim());
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
interface ClusterOptions {
  masters?: number;
  replicas?: number;
  nodeTimeoutMs?: number;
  password?: string;
  tls?: boolean;
}

export class RedisClusterServers extends RedisServers {
  private constructor(dir: string, readonly ports: number[]) {
    super(dir);
  }

  /** The masters only, as an operator lists some nodes: the client learns the replicas from them; the nodes' password if they want one. */
  get env(): Record<string, string> {
    return {
      REDIS_CLUSTER_NODES: this.initialMasters.map((port) => `127.0.0.1:${port}`).join(','),
      ...(this.password ? { REDIS_PASSWORD: this.password } : {}),
      ...this.tlsEnv,
    };
  }

  private initialMasters: number[] = [];
  private password?: string;

  /**
   * `password`: every node wants it of clients (`--requirepass`) and gives
   * it to its master (`--masterauth`); `tls`: clients, replication and the
   * cluster bus over TLS only.
   */
  static async start(options: ClusterOptions = {}): Promise<RedisClusterServers> {
    // A port found free (and its bus port, +10000) may be taken by another process before the node binds it,
    // on a busy machine most often by an outgoing connection's ephemeral port: then the cluster starts again on others.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await RedisClusterServers.startOnce(options);
      } catch (error) {
        if (attempt >= 3 || !String(error).includes('Address already in use')) throw error;
      }
    }
  }

  private static async startOnce(options: ClusterOptions): Promise<RedisClusterServers> {
    const { masters = 3, replicas = 0, nodeTimeoutMs = 5000, password } = options;
    const ports = await distinctPorts(masters * (1 + replicas));
    const cluster = new RedisClusterServers(await mkdtemp(join(tmpdir(), 'herald-redis-cluster-')), ports);
    if (password) cluster.password = password;
    try {
      requireBinaries();
      if (options.tls) await cluster.useTls();
      const auth = cluster.cliArgs(password);
      for (const port of ports) {
        cluster.cliAuth.set(port, auth);
        cluster.server(
          port,
          '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs),
          ...(password ? ['--requirepass', password, '--masterauth', password] : []),
        );
      }
      for (const port of ports) await waitFor(`redis :${port}`, () => cluster.answers(port));
      // The first `masters` ports become masters, the rest their replicas.
      await run('redis-cli', [...auth, '--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', String(replicas), '--cluster-yes']);
      for (const port of ports) {
        await waitFor(`cluster_state:ok on :${port}`, async () => (await cluster.cli(port, 'cluster', 'info')).includes('cluster_state:ok'), { timeoutMs: 20_000 });
      }
      await waitFor('every node to know the cluster\'s masters and replicas', async () => {
        const nodes = await cluster.nodes().catch(() => []);
        return nodes.filter((node) => node.role === 'master').length === masters && nodes.filter((node) => node.role === 'replica').length === masters * replicas;
      }, { timeoutMs: 20_000 });
      for (const port of ports.slice(masters)) {
        await waitFor(`replica :${port} in sync`, async () => (await cluster.cli(port, 'info', 'replication').catch(() => '')).includes('master_link_status:up'), { timeoutMs: 20_000 });
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
      const answer = await this.cli(port, 'cluster', 'nodes').catch(() => '');
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

  private constructor(dir: string, readonly name: string, private readonly passwords: { password?: string; sentinelPassword?: string }) {
    super(dir);
  }

  get env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','),
      REDIS_SENTINEL_NAME: this.name,
      ...(this.passwords.password ? { REDIS_PASSWORD: this.passwords.password } : {}),
      ...(this.passwords.sentinelPassword ? { REDIS_SENTINEL_PASSWORD: this.passwords.sentinelPassword } : {}),
      ...this.tlsEnv,
    };
  }

  /**
   * `password`: the primary and the replica want it of clients and give it
   * to their primary (`--requirepass`, `--masterauth`; the sentinels give it
   * too, `sentinel auth-pass`); `sentinelPassword`: the sentinels want it of
   * clients and of each other (`requirepass` in their files); `tls`: the
   * servers and the sentinels speak only TLS, to clients and to each other.
   */
  static async start(name = 'herald', options: { password?: string; sentinelPassword?: string; tls?: boolean } = {}): Promise<RedisSentinelServers> {
    const { password, sentinelPassword } = options;
    const group = new RedisSentinelServers(await mkdtemp(join(tmpdir(), 'herald-redis-sentinel-')), name, { password, sentinelPassword });
    try {
      requireBinaries();
      if (options.tls) await group.useTls();
      const auth = (secret?: string) => group.cliArgs(secret);
      const [primaryPort, replicaPort, ...sentinelPorts] = await distinctPorts(5);
      const dataAuth = password ? ['--requirepass', password, '--masterauth', password] : [];
      for (const port of [primaryPort!, replicaPort!]) group.cliAuth.set(port, auth(password));
      for (const port of sentinelPorts) group.cliAuth.set(port, auth(sentinelPassword));
      group.primary = group.server(primaryPort!, '--dbfilename', 'primary.rdb', ...dataAuth);
      group.replica = group.server(replicaPort!, '--dbfilename', 'replica.rdb', '--replicaof', '127.0.0.1', String(primaryPort), ...dataAuth);
      await waitFor('the replica to sync', async () => (await group.cli(replicaPort!, 'info', 'replication').catch(() => '')).includes('master_link_status:up'), { timeoutMs: 20_000 });
      group.sentinelPorts = sentinelPorts;
      for (const port of sentinelPorts) {
        const conf = join(group.dir, `sentinel-${port}.conf`);
        await writeFile(
          conf,
          [
            ...group.portLines(port),
            'bind 127.0.0.1',
            `dir ${group.dir}`,
            `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
            `sentinel down-after-milliseconds ${name} 1000`,
            `sentinel failover-timeout ${name} 5000`,
            `sentinel parallel-syncs ${name} 1`,
            ...(password ? [`sentinel auth-pass ${name} ${password}`] : []),
            ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
            '',
          ].join('\n'),
        );
        // Debian's redis-sentinel is redis-server under another name; without the package, redis-server --sentinel is the same program.
        if (existsSync('/usr/bin/redis-sentinel')) group.serve(port, [conf], 'redis-sentinel');
        else group.serve(port, [conf, '--sentinel']);
      }
      await waitFor('the sentinels to know each other and the replica', async () => {
        const masters = await Promise.all(sentinelPorts.map((port) => group.cli(port, 'sentinel', 'master', name).catch(() => '')));
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
    const answer = await this.cli(this.sentinelPorts[0]!, 'sentinel', 'get-master-addr-by-name', this.name);
    return Number(answer.trim().split('\n')[1]);
  }
}

/** An ACL user of a standalone server: `USER name on >password ~* &* +@all`. */
export interface RedisUser {
  name: string;
  password: string;
}

/**
 * One server: with `password`, the default user wants it (`--requirepass`);
 * with `users`, ACL users besides; with `tls`, TLS only (`--port 0
 * --tls-port`), its certificate signed by a CA made for the test
 * (`tls.caFile`), clients not asked for one of theirs.
 */
export class RedisStandaloneServer extends RedisServers {
  node!: RedisProcess;

  private constructor(dir: string) {
    super(dir);
  }

  get port(): number {
    return this.node.port;
  }

  /** REDIS_URL (`rediss://` with TLS, and REDIS_TLS_CA_FILE), no credentials: the test gives those. */
  get env(): Record<string, string> {
    if (this.tls) return { REDIS_URL: `rediss://127.0.0.1:${this.port}`, REDIS_TLS_CA_FILE: this.tls.caFile };
    return { REDIS_URL: `redis://127.0.0.1:${this.port}` };
  }

  /** PING over plain TCP: answers when a server takes plain connections on the port, rejects otherwise (a TLS-only server does not answer PONG). */
  static plainPing(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      const timer = setTimeout(() => socket.destroy(new Error(`no answer to a plain PING on :${port}`)), 3000);
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        if (answer.startsWith('+PONG')) {
          clearTimeout(timer);
          socket.end();
          resolve();
        }
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        reject(new Error(`:${port} closed a plain connection (${JSON.stringify(answer.slice(0, 40))})`));
      });
    });
  }

  static async start(options: { password?: string; users?: RedisUser[]; tls?: boolean } = {}): Promise<RedisStandaloneServer> {
    const standalone = new RedisStandaloneServer(await mkdtemp(join(tmpdir(), 'herald-redis-standalone-')));
    try {
      requireBinaries();
      const [port] = await distinctPorts(1);
      const settings = [...(options.password ? ['--requirepass', options.password] : [])];
      for (const user of options.users ?? []) settings.push('--user', user.name, 'on', `>${user.password}`, '~*', '&*', '+@all');
      if (options.tls) await standalone.useTls();
      standalone.cliAuth.set(port!, standalone.cliArgs(options.password));
      standalone.node = standalone.server(port!, ...settings);
      await waitFor(`redis :${port}`, () => standalone.answers(port!));
      return standalone;
    } catch (error) {
      const logs = standalone.logs();
      await standalone.stop();
      throw new Error(`${String(error)}\n${logs}`);
    }
  }
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * A CA of the test's own and a server certificate it signed for 127.0.0.1
 * and localhost (subjectAltName), made with openssl in `dir`: a
 * certificate no client trusts unless given the CA.
 */
export async function makeTlsFiles(dir: string): Promise<TlsFiles> {
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) throw new Error('openssl is not installed: apt-get install openssl');
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=Herald test CA');
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('redis.key'), '-out', file('redis.csr'), '-subj', '/CN=127.0.0.1');
  await writeFile(file('san.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  await openssl('x509', '-req', '-in', file('redis.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('redis.crt'), '-days', '1', '-extfile', file('san.ext'));
  return { caFile: file('ca.crt'), certFile: file('redis.crt'), keyFile: file('redis.key') };
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
    if (port < 55_000 && (await isFree(port + 10_000))) ports.add(port);
  }
  return [...ports];
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
}


