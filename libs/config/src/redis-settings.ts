/**
 * Where Herald's Redis is and how to reach it: one server (REDIS_URL), a
 * Redis Cluster (REDIS_CLUSTER_NODES) or a primary watched by Sentinel
 * (REDIS_SENTINELS + REDIS_SENTINEL_NAME), each with the credentials and TLS
 * given. Read once at start with the rest of the config; what cannot work is
 * refused then, naming the variable.
 */
import { readFileSync } from 'node:fs';

export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTopology =
  | { kind: 'standalone'; url: string }
  /** Any reachable masters: the client learns the rest of the cluster from them. */
  | { kind: 'cluster'; nodes: RedisNode[] }
  /** The sentinels to ask, and the name of the primary they watch. */
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; sentinelPassword?: string };

export interface RedisSettings {
  topology: RedisTopology;
  /** Given on top of what REDIS_URL carries (a URL's own user and password win there). */
  username?: string;
  password?: string;
  /** TLS to every Redis node (and to the sentinels): `rediss://` or REDIS_TLS=1. Servers' certificates are always checked. */
  tls: boolean;
  /** REDIS_TLS_CA_FILE's certificates (PEM), trusted instead of Node's own list of CAs (a private CA's). */
  tlsCa?: string;
}

/** What reading the Redis settings needs of the config's environment reader. */
export interface RedisEnvReader {
  readonly problems: string[];
  optional(name: string): string | undefined;
  url(name: string, fallback: string, protocols: string[]): string;
  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T;
}

export function readRedisSettings(read: RedisEnvReader, queuePrefix: string): RedisSettings {
  const clusterNodes = read.optional('REDIS_CLUSTER_NODES');
  const sentinels = read.optional('REDIS_SENTINELS');
  const username = read.optional('REDIS_USERNAME');
  const password = read.optional('REDIS_PASSWORD');
  let tls = read.oneOf('REDIS_TLS', '0', ['0', '1']) === '1';
  let topology: RedisTopology;
  if (clusterNodes !== undefined && sentinels !== undefined) {
    read.problems.push('REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set: Herald uses one Redis, a cluster or a primary under Sentinel');
  }
  if (clusterNodes !== undefined) {
    topology = { kind: 'cluster', nodes: nodeList(read, 'REDIS_CLUSTER_NODES', clusterNodes) };
    if (!hasHashTag(queuePrefix)) {
      read.problems.push(
        `HERALD_QUEUE_PREFIX must hold a hash tag such as {herald} when REDIS_CLUSTER_NODES is set, so each queue's keys, and the keys each script touches, share one cluster slot (got "${queuePrefix}")`,
      );
    }
  } else if (sentinels !== undefined) {
    const name = read.optional('REDIS_SENTINEL_NAME');
    if (name === undefined) read.problems.push('REDIS_SENTINEL_NAME must name the primary the sentinels watch when REDIS_SENTINELS is set');
    const sentinelPassword = read.optional('REDIS_SENTINEL_PASSWORD');
    topology = { kind: 'sentinel', sentinels: nodeList(read, 'REDIS_SENTINELS', sentinels), name: name ?? '', ...(sentinelPassword ? { sentinelPassword } : {}) };
  } else {
    const url = read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
    if (url.startsWith('rediss:')) tls = true;
    topology = { kind: 'standalone', url };
  }
  const tlsCa = readCaFile(read, tls);
  return { topology, ...(username ? { username } : {}), ...(password ? { password } : {}), tls, ...(tlsCa ? { tlsCa } : {}) };
}

/** REDIS_TLS_CA_FILE, read once at start: a readable file of PEM certificates, with TLS on. */
function readCaFile(read: RedisEnvReader, tls: boolean): string | undefined {
  const path = read.optional('REDIS_TLS_CA_FILE');
  if (path === undefined) return undefined;
  if (!tls) read.problems.push('REDIS_TLS_CA_FILE is set but TLS is off: set REDIS_TLS=1 or use a rediss:// REDIS_URL');
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    read.problems.push(`REDIS_TLS_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}: ${path})`);
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    read.problems.push(`REDIS_TLS_CA_FILE must hold PEM certificates (-----BEGIN CERTIFICATE-----): ${path}`);
    return undefined;
  }
  return pem;
}

/**
 * Whether every key under this prefix hashes by the same tag: Redis Cluster
 * hashes only what is between the first `{` and the first `}` after it, when
 * that is not empty. Every key Herald keeps starts with the prefix.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/** `host:port,host:port` (an IPv6 host in brackets: `[::1]:7000`). */
function nodeList(read: RedisEnvReader, name: string, raw: string): RedisNode[] {
  const nodes: RedisNode[] = [];
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = entry.match(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      read.problems.push(`${name} must list host:port pairs separated by commas (got "${entry}")`);
      continue;
    }
    nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0 && read.problems.every((problem) => !problem.startsWith(name))) read.problems.push(`${name} lists no host:port`);
  return nodes;
}
