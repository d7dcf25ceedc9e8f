/**
 * Starts the built mock networks alone, as a child process: the control
 * surface on a free port and every network on a free port of its own
 * (MOCK_SOCIAL_NETWORK_PORTS=0), and reads where each network is served.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { http, waitFor } from './http';
import { freePort } from './ports';

const ROOT = join(__dirname, '../..');

export interface MockNetworks {
  controlUrl: string;
  /** Each network's base URL (`mastodon` and `mastodon-two` for the two instances), and the PLC directory. */
  urls: Record<'x' | 'bluesky' | 'mastodon' | 'mastodon-two' | 'linkedin' | 'threads' | 'instagram' | 'facebook' | 'plc', string>;
  listed: { network: string; baseUrl: string; instanceUrl?: string; plcUrl?: string; instance?: string }[];
  output: string[];
  stop(): Promise<void>;
}

export async function startMockNetworks(env: Record<string, string> = {}): Promise<MockNetworks> {
  const port = await freePort();
  const controlUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/apps/mock-social/src/main.js')], {
    cwd: ROOT,
    env: { ...process.env, MOCK_SOCIAL_PORT: String(port), MOCK_SOCIAL_NETWORK_PORTS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitFor('the mock networks', async () => {
      if (child.exitCode !== null) throw new Error(`mock-social exited:\n${output.join('\n')}`);
      return (await http('GET', `${controlUrl}/_mock/health`)).status === 200;
    });
    const listed: MockNetworks['listed'] = (await http('GET', `${controlUrl}/_mock/networks`)).body.data;
    const base = (network: string, instance?: string) => listed.find((entry) => entry.network === network && (!instance || entry.instance === instance))!.baseUrl;
    const urls = {
      x: base('x'),
      bluesky: base('bluesky'),
      mastodon: base('mastodon', 'one'),
      'mastodon-two': base('mastodon', 'two'),
      linkedin: base('linkedin'),
      threads: base('threads'),
      instagram: base('instagram'),
      facebook: base('facebook'),
      plc: listed.find((entry) => entry.network === 'bluesky')!.plcUrl!,
    };
    return { controlUrl, urls, listed, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A form POST (or GET with a query), as OAuth token endpoints take them: status, headers and the parsed JSON body. */
export async function formPost(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Follows an authorize URL as a browser would, without following the redirect: the query the network sends back. */
export async function consent(url: string): Promise<{ status: number; location?: URL; params: Record<string, string> }> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.text();
  const location = response.headers.get('location');
  const parsed = location ? new URL(location) : undefined;
  return { status: response.status, ...(parsed ? { location: parsed } : {}), params: parsed ? Object.fromEntries(parsed.searchParams) : {} };
}

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}


/** A token for an account without a consent flow (`POST /_mock/tokens`), as the network would have issued it. */
export async function mockToken(
  networks: Pick<MockNetworks, 'controlUrl'>,
  network: string,
  handle: string,
  instanceUrl?: string,
): Promise<{ accessToken: string; accountId: string; handle: string; instanceUrl?: string; refreshToken?: string }> {
  const answer = await http('POST', `${networks.controlUrl}/_mock/tokens`, { body: { network, handle, ...(instanceUrl ? { instanceUrl } : {}) } });
  if (answer.status !== 200) throw new Error(`POST /_mock/tokens answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export interface MockCall {
  at: string;
  network: string;
  instance?: string;
  handle?: string;
  method: string;
  path: string;
  status: number;
  outcome?: 'fault' | 'ratelimited' | 'dropped' | 'quota';
}

/** The calls the mock networks received (`GET /_mock/calls`), filtered by network, instance, handle, path and `since` (an ISO time). */
export async function mockCalls(
  networks: Pick<MockNetworks, 'controlUrl'>,
  filter: { network?: string; instance?: string; handle?: string; path?: string; since?: string } = {},
): Promise<{ count: number; byStatus: Record<string, number>; byOutcome: Record<string, number>; data: MockCall[] }> {
  const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
  const answer = await http('GET', `${networks.controlUrl}/_mock/calls${query ? `?${query}` : ''}`);
  if (answer.status !== 200) throw new Error(`GET /_mock/calls answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}
