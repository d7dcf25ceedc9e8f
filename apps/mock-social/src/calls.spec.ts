import { CallLog } from './calls';

const T = Date.parse('2025-03-01T12:00:00.000Z');
const call = (status: number, more: Record<string, string> = {}) => ({ network: 'mastodon', instance: 'one', handle: 'ann', method: 'POST', path: '/api/v1/statuses', status, ...more });

describe('the call log', () => {
  it('counts calls by status and outcome, filtered by network, instance, handle, path and time', () => {
    const log = new CallLog();
    log.record(call(200), T);
    log.record({ ...call(503), outcome: 'fault' }, T + 1000);
    log.record({ ...call(429), outcome: 'ratelimited' }, T + 2000);
    log.record({ ...call(0), outcome: 'dropped' }, T + 3000);
    log.record(call(200, { instance: 'two' }), T + 4000);
    log.record({ network: 'x', method: 'POST', path: '/2/oauth2/token', status: 200 }, T + 5000);
    expect(log.query({ network: 'mastodon', instance: 'one' })).toEqual({
      count: 4,
      byStatus: { 200: 1, 503: 1, 429: 1, 0: 1 },
      byOutcome: { fault: 1, ratelimited: 1, dropped: 1 },
      data: [
        { at: '2025-03-01T12:00:00.000Z', ...call(200) },
        { at: '2025-03-01T12:00:01.000Z', ...call(503), outcome: 'fault' },
        { at: '2025-03-01T12:00:02.000Z', ...call(429), outcome: 'ratelimited' },
        { at: '2025-03-01T12:00:03.000Z', ...call(0), outcome: 'dropped' },
      ],
    });
    expect(log.query({ sinceMs: T + 3000 }).count).toBe(3);
    expect(log.query({ handle: 'ann', path: '/api/v1/statuses' }).count).toBe(5);
    expect(log.query().count).toBe(6);
  });

  it('keeps calls in the order they arrived, the newest last, even when answered later', () => {
    const log = new CallLog();
    log.record(call(200, { path: '/a' }), T + 2000);
    log.record(call(200, { path: '/b' }), T);
    log.record(call(200, { path: '/c' }), T + 1000);
    expect(log.query().data.map((entry) => entry.path)).toEqual(['/b', '/c', '/a']);
  });

  it('keeps the last entries only, and forgets calls that arrived before a clear', () => {
    const log = new CallLog(10);
    for (let index = 0; index < 2000; index += 1) log.record(call(200, { path: `/${index}` }), T + index);
    const kept = log.query().data;
    expect(kept).toHaveLength(10);
    expect(kept[0]!.path).toBe('/1990');
    expect(kept[9]!.path).toBe('/1999');
    log.clear(T + 5000);
    log.record(call(200), T + 4999);
    log.record(call(201), T + 5001);
    expect(log.query()).toMatchObject({ count: 1, byStatus: { 201: 1 } });
  });
});
