/** What `PUT /_mock/ratelimits` (and its `/defaults`), `PUT /_mock/quotas` and `GET /_mock/calls` accept: each field's type and range, named when wrong. */
import { MOCK_NETWORKS, instanceProblem, isMockNetwork } from '../networks';
import { QUOTA_NETWORKS } from '../quotas';

const RATE_LIMIT_FIELDS = ['network', 'instance', 'handle', 'limit', 'windowSeconds', 'remaining', 'resetInSeconds'];
const QUOTA_FIELDS = ['network', 'handle', 'quotaTotal'];
const CALL_FILTERS = ['network', 'instance', 'handle', 'path', 'since'];

const MAX_LIMIT = 1_000_000;
const MAX_WINDOW_SECONDS = 7 * 86400;

const isInteger = (value: unknown, min: number, max: number) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

export function rateLimitProblems(body: unknown): string[] {
  const rule = objectOf(body);
  if (!rule) return ['body must be a JSON object'];
  const problems = unknownFields(rule, RATE_LIMIT_FIELDS, 'rate-limit');
  if (rule.network === undefined) problems.push('network is required');
  else if (!isMockNetwork(rule.network)) problems.push(`network must be one of ${MOCK_NETWORKS.join(', ')}`);
  const instance = instanceProblem(rule.instance, rule.network);
  if (instance) problems.push(instance);
  if (rule.handle !== undefined && !(typeof rule.handle === 'string' && rule.handle !== '')) problems.push('handle must be a non-empty string');
  if (rule.limit === undefined) problems.push('limit is required');
  else if (!isInteger(rule.limit, 1, MAX_LIMIT)) problems.push(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  if (rule.windowSeconds === undefined) problems.push('windowSeconds is required');
  else if (!isInteger(rule.windowSeconds, 1, MAX_WINDOW_SECONDS)) problems.push(`windowSeconds must be an integer from 1 to ${MAX_WINDOW_SECONDS}`);
  if (rule.remaining !== undefined) {
    const limit = isInteger(rule.limit, 1, MAX_LIMIT) ? (rule.limit as number) : MAX_LIMIT;
    if (!isInteger(rule.remaining, 0, limit)) problems.push('remaining must be an integer from 0 to limit');
  }
  if (rule.resetInSeconds !== undefined && !(typeof rule.resetInSeconds === 'number' && rule.resetInSeconds > 0 && rule.resetInSeconds <= MAX_WINDOW_SECONDS)) {
    problems.push(`resetInSeconds must be a number of seconds above 0, at most ${MAX_WINDOW_SECONDS}`);
  }
  return problems;
}

/** What `PUT /_mock/ratelimits/defaults` accepts: `{scale}`, 0 (no defaults) to 1000000. */
export function scaleProblems(body: unknown): string[] {
  const rule = objectOf(body);
  if (!rule) return ['body must be a JSON object'];
  const problems = unknownFields(rule, ['scale'], 'rate-limit defaults');
  if (rule.scale === undefined) problems.push('scale is required');
  else if (!(typeof rule.scale === 'number' && Number.isFinite(rule.scale) && rule.scale >= 0 && rule.scale <= MAX_LIMIT)) problems.push(`scale must be a number from 0 to ${MAX_LIMIT}`);
  return problems;
}

export function quotaProblems(body: unknown): string[] {
  const rule = objectOf(body);
  if (!rule) return ['body must be a JSON object'];
  const problems = unknownFields(rule, QUOTA_FIELDS, 'quota');
  if (rule.network === undefined) problems.push('network is required');
  else if (!(QUOTA_NETWORKS as readonly unknown[]).includes(rule.network)) problems.push(`network must be one of ${QUOTA_NETWORKS.join(', ')} (the networks with a posting quota)`);
  if (rule.handle !== undefined && !(typeof rule.handle === 'string' && rule.handle !== '')) problems.push('handle must be a non-empty string');
  if (rule.quotaTotal === undefined) problems.push('quotaTotal is required');
  else if (!isInteger(rule.quotaTotal, 0, 100_000)) problems.push('quotaTotal must be an integer from 0 to 100000');
  return problems;
}

/** The problems with a `GET /_mock/calls` query, and the filter it means. */
export function callQuery(query: Record<string, string | undefined>): { problems: string[]; sinceMs?: number } {
  const problems = Object.keys(query)
    .filter((key) => !CALL_FILTERS.includes(key))
    .map((key) => `${key} is not a filter (filters: ${CALL_FILTERS.join(', ')})`);
  if (query.network !== undefined && !isMockNetwork(query.network) && query.network !== 'plc') problems.push(`network must be one of ${MOCK_NETWORKS.join(', ')}, plc`);
  const instance = instanceProblem(query.instance, query.network);
  if (instance) problems.push(instance);
  let sinceMs: number | undefined;
  if (query.since !== undefined) {
    // An ISO 8601 date-time with its zone, as `at` is written.
    sinceMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(query.since) ? Date.parse(query.since) : NaN;
    if (Number.isNaN(sinceMs)) problems.push('since must be an ISO 8601 time with its zone, such as 2025-01-31T12:00:00.000Z');
  }
  return { problems, ...(sinceMs !== undefined && !Number.isNaN(sinceMs) ? { sinceMs } : {}) };
}

function objectOf(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : undefined;
}

function unknownFields(rule: Record<string, unknown>, fields: string[], what: string): string[] {
  return Object.keys(rule)
    .filter((key) => !fields.includes(key))
    .map((key) => `${key} is not a ${what} field`);
}
