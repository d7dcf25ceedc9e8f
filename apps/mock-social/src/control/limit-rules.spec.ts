import { callQuery, quotaProblems, rateLimitProblems, scaleProblems } from './limit-rules';
import { MOCK_NETWORKS } from '../networks';

describe('rate-limit rules, quota rules and call-log queries', () => {
  it('name what is wrong with a rate-limit rule', () => {
    expect(rateLimitProblems({ network: 'mastodon', instance: 'two', limit: 300, windowSeconds: 300, remaining: 1, resetInSeconds: 3 })).toEqual([]);
    expect(rateLimitProblems({ network: 'x', handle: 'ann', limit: 100, windowSeconds: 900 })).toEqual([]);
    expect(rateLimitProblems({})).toEqual(['network is required', 'limit is required', 'windowSeconds is required']);
    expect(rateLimitProblems({ network: 'myspace', instance: 'one', handle: '', limit: 0, windowSeconds: 1.5, remaining: 2, resetInSeconds: 0, burst: 1 })).toEqual([
      'burst is not a rate-limit field',
      `network must be one of ${MOCK_NETWORKS.join(', ')}`,
      'instance applies to network "mastodon" only',
      'handle must be a non-empty string',
      'limit must be an integer from 1 to 1000000',
      'windowSeconds must be an integer from 1 to 604800',
      'resetInSeconds must be a number of seconds above 0, at most 604800',
    ]);
    expect(rateLimitProblems({ network: 'mastodon', instance: 'three', limit: 5, windowSeconds: 60, remaining: 6 })).toEqual([
      'instance must be the name of a Mastodon instance: "one" or "two"',
      'remaining must be an integer from 0 to limit',
    ]);
    expect(rateLimitProblems('limit=5')).toEqual(['body must be a JSON object']);
  });

  it("name what is wrong with a scale of the networks' default budgets", () => {
    expect(scaleProblems({ scale: 0 })).toEqual([]);
    expect(scaleProblems({ scale: 0.5 })).toEqual([]);
    expect(scaleProblems({})).toEqual(['scale is required']);
    expect(scaleProblems({ scale: -1, off: true })).toEqual(['off is not a rate-limit defaults field', 'scale must be a number from 0 to 1000000']);
    expect(scaleProblems({ scale: '1000' })).toEqual(['scale must be a number from 0 to 1000000']);
    expect(scaleProblems([])).toEqual(['body must be a JSON object']);
  });

  it('name what is wrong with a quota rule', () => {
    expect(quotaProblems({ network: 'instagram', handle: 'ann', quotaTotal: 3 })).toEqual([]);
    expect(quotaProblems({ network: 'threads', quotaTotal: 0 })).toEqual([]);
    expect(quotaProblems({ network: 'x', quotaTotal: -1, per: 'day' })).toEqual([
      'per is not a quota field',
      'network must be one of threads, instagram (the networks with a posting quota)',
      'quotaTotal must be an integer from 0 to 100000',
    ]);
    expect(quotaProblems({ network: 'instagram' })).toEqual(['quotaTotal is required']);
  });

  it('read a call-log query: known filters, a Mastodon instance, an ISO time', () => {
    expect(callQuery({ network: 'mastodon', instance: 'one', handle: 'ann', since: '2025-03-01T12:00:00.000Z' })).toEqual({ problems: [], sinceMs: Date.parse('2025-03-01T12:00:00.000Z') });
    expect(callQuery({ network: 'plc' })).toEqual({ problems: [] });
    expect(callQuery({ since: 'yesterday', instance: 'three', status: '200' }).problems).toEqual([
      'status is not a filter (filters: network, instance, handle, path, since)',
      'instance must be the name of a Mastodon instance: "one" or "two"',
      'since must be an ISO 8601 time with its zone, such as 2025-01-31T12:00:00.000Z',
    ]);
    expect(callQuery({ since: '2025-03-01' }).problems).toHaveLength(1);
  });
});
