/** What `GET /_mock/calls` accepts: each filter, named when wrong. */
import { MOCK_NETWORKS, instanceProblem, isMockNetwork } from '../networks';

const CALL_FILTERS = ['network', 'instance', 'handle', 'path', 'since'];

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
