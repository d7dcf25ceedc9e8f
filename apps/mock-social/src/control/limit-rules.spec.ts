import { callQuery } from './limit-rules';

describe('call-log queries', () => {
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
