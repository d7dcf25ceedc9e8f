import { BackendSample, sharesServers } from './pooler';

const turns = (pids: [BackendSample['client'], number][]): BackendSample[] => pids.map(([client, pid]) => ({ client, pid }));

describe('sharesServers', () => {
  it('is false when each client keeps one server of its own (Postgres itself, or a session pool)', () => {
    expect(sharesServers(turns([['a', 10], ['b', 11], ['a', 10], ['a', 10], ['b', 11], ['b', 11], ['a', 10]]))).toBe(false);
  });

  it("is true when one client's server answers the other (a transaction pool reusing its latest server)", () => {
    expect(sharesServers(turns([['a', 10], ['b', 10], ['a', 10], ['a', 10], ['b', 10], ['b', 10], ['a', 10]]))).toBe(true);
  });

  it('is true when a client moves between servers (a transaction pool in round robin)', () => {
    expect(sharesServers(turns([['a', 10], ['b', 11], ['a', 12], ['a', 10], ['b', 11], ['b', 12], ['a', 10]]))).toBe(true);
  });
});
