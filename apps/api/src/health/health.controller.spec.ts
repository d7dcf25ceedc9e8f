import { ServiceUnavailableException } from '@nestjs/common';
import { ServiceUnavailable } from '../common/problems';
import { notReady } from './health.controller';

describe('notReady', () => {
  it("names each service Terminus found down, with its indicator's message", () => {
    const report = { status: 'error', info: { postgres: { status: 'up' } }, error: { redis: { status: 'down', message: 'no answer in 2000 ms' } } };
    const problem = notReady(new ServiceUnavailableException(report));
    expect(problem).toBeInstanceOf(ServiceUnavailable);
    expect((problem as ServiceUnavailable).message).toBe('Not ready: redis (no answer in 2000 ms) is down');
    const both = notReady(new ServiceUnavailableException({ error: { postgres: { status: 'down' }, redis: { status: 'down', message: 'x' } } }));
    expect((both as ServiceUnavailable).message).toBe('Not ready: postgres, redis (x) are down');
  });

  it('leaves any other error as it is (the problem filter answers it)', () => {
    const error = new Error('boom');
    expect(notReady(error)).toBe(error);
  });
});
