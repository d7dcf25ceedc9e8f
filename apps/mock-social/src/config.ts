/**
 * The mock's settings, read once at start; a wrong value stops it with a
 * message naming the variable.
 */
export interface MockConfig {
  /** Where every server listens. */
  host: string;
  /** The host written into base URLs (the listening host, or 127.0.0.1 when that is a wildcard). */
  publicHost: string;
  /** The control surface (`/_mock/...`). */
  port: number;
  /** Each network at `port + offset` (the default), or each on a free port. */
  networkPorts: 'offsets' | 'free';
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
  /** How long an authorization code lives (X's 30 s, for every network). */
  codeTtlSeconds: number;
  /** The networks' documented rate limits times this (MOCK_RATE_LIMIT_SCALE: 1 as documented, 0 none, 1000 for load tests). */
  rateLimitScale: number;
  /** Whether LinkedIn grants refresh tokens (only approved partners get them). */
  linkedinRefresh: boolean;
  /** Its start line as JSON, or as a sentence (LOG_FORMAT, as Herald reads it: `pretty` by default when NODE_ENV is development or unset). */
  logFormat: 'json' | 'pretty';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): MockConfig {
  const host = env.MOCK_SOCIAL_HOST || '127.0.0.1';
  const port = integer(env, 'MOCK_SOCIAL_PORT', 4010, 0, 65535 - 9);
  const ports = env.MOCK_SOCIAL_NETWORK_PORTS;
  if (ports !== undefined && ports !== '' && ports !== '0') fail('MOCK_SOCIAL_NETWORK_PORTS', 'must be 0 (every network on a free port) or unset');
  return {
    host,
    publicHost: env.MOCK_SOCIAL_PUBLIC_HOST || (['0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host),
    port,
    networkPorts: ports === '0' || port === 0 ? 'free' : 'offsets',
    clientId: text(env, 'MOCK_OAUTH_CLIENT_ID', 'herald-demo'),
    clientSecret: text(env, 'MOCK_OAUTH_CLIENT_SECRET', 'herald-demo-secret'),
    accessTokenTtlSeconds: integer(env, 'MOCK_ACCESS_TOKEN_TTL_SECONDS', 7200, 1, 365 * 86400),
    codeTtlSeconds: integer(env, 'MOCK_OAUTH_CODE_TTL_SECONDS', 30, 1, 3600),
    linkedinRefresh: flag(env, 'MOCK_LINKEDIN_REFRESH'),
    rateLimitScale: scale(env, 'MOCK_RATE_LIMIT_SCALE'),
    logFormat: logFormat(env),
  };
}

function logFormat(env: NodeJS.ProcessEnv): 'json' | 'pretty' {
  const raw = env.LOG_FORMAT;
  if (raw === undefined || raw === '') return (env.NODE_ENV ?? 'development') === 'development' ? 'pretty' : 'json';
  if (raw !== 'json' && raw !== 'pretty') fail('LOG_FORMAT', 'must be json or pretty');
  return raw;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) fail(name, `must be an integer from ${min} to ${max}`);
  return value;
}

function scale(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value > 1_000_000) fail(name, 'must be a number from 0 to 1000000');
  return value;
}

function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) fail(name, 'must be 1 to 200 printable ASCII characters');
  return raw;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  return fail(name, 'must be 1 or 0');
}

function fail(name: string, problem: string): never {
  throw new Error(`${name} ${problem}`);
}
