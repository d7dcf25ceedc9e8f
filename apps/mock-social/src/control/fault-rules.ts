/** What `PUT /_mock/faults` accepts: each field's type and range, named when wrong. */
import { MOCK_NETWORKS, instanceProblem, isMockNetwork } from '../networks';

const FAULT_FIELDS = ['network', 'instance', 'handle', 'failRate', 'status', 'retryAfter', 'latencyMs', 'revokeToken', 'dropAfterAccept', 'denyConsent', 'expireTokens', 'message', 'path', 'method', 'times', 'textContains'];
const FLAGS = ['revokeToken', 'dropAfterAccept', 'denyConsent', 'expireTokens'];

export function faultProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be a JSON object'];
  const rule = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(rule)) if (!FAULT_FIELDS.includes(key)) problems.push(`${key} is not a fault field`);
  if (rule.network !== undefined && !isMockNetwork(rule.network)) problems.push(`network must be one of ${MOCK_NETWORKS.join(', ')}`);
  const instance = instanceProblem(rule.instance, rule.network);
  if (instance) problems.push(instance);
  if (rule.handle !== undefined && typeof rule.handle !== 'string') problems.push('handle must be a string');
  if (rule.failRate !== undefined && !(typeof rule.failRate === 'number' && rule.failRate >= 0 && rule.failRate <= 1)) problems.push('failRate must be 0 to 1');
  if (rule.status !== undefined && ![400, 403, 422, 429, 500, 503].includes(rule.status as number)) problems.push('status must be 400, 403, 422, 429, 500 or 503');
  if (rule.retryAfter !== undefined && !(typeof rule.retryAfter === 'number' && rule.retryAfter >= 0 && rule.retryAfter <= 3600)) problems.push('retryAfter must be 0 to 3600 seconds');
  if (rule.latencyMs !== undefined && !(typeof rule.latencyMs === 'number' && rule.latencyMs >= 0 && rule.latencyMs <= 120_000)) problems.push('latencyMs must be 0 to 120000');
  // Any text, NUL and lone surrogates included: real networks' error messages are not always clean.
  if (rule.message !== undefined && !(typeof rule.message === 'string' && rule.message.length <= 2000)) problems.push('message must be a string of at most 2000 characters');
  if (rule.path !== undefined && !(typeof rule.path === 'string' && rule.path.startsWith('/') && rule.path.length <= 200)) problems.push('path must be a path starting with /');
  if (rule.method !== undefined && !['POST', 'PUT', 'DELETE'].includes(rule.method as string)) problems.push('method must be POST, PUT or DELETE');
  if (rule.textContains !== undefined && !(typeof rule.textContains === 'string' && rule.textContains.length >= 1 && rule.textContains.length <= 200)) problems.push('textContains must be a string of 1 to 200 characters');
  if (rule.times !== undefined && !(typeof rule.times === 'number' && Number.isInteger(rule.times) && rule.times >= 1 && rule.times <= 1_000_000)) problems.push('times must be a whole number from 1');
  for (const flag of FLAGS) if (rule[flag] !== undefined && typeof rule[flag] !== 'boolean') problems.push(`${flag} must be a boolean`);
  return problems;
}
