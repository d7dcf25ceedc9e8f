import { TokenStore, bearerOf } from './tokens';

describe('the token store', () => {
  const alice = { network: 'x', handle: 'alice' };

  it('answers valid, then expired once the access token has lived its time', () => {
    const tokens = new TokenStore();
    const token = tokens.issue({ ...alice, kind: 'access', ttlSeconds: 10 }, 1_000);
    expect(tokens.check(token, 'x', undefined, 10_999)).toMatchObject({ state: 'valid', grant: { handle: 'alice', kind: 'access' } });
    expect(tokens.check(token, 'x', undefined, 11_000).state).toBe('expired');
  });

  it('knows a token only on its own network and instance', () => {
    const tokens = new TokenStore();
    const token = tokens.issue({ network: 'mastodon', handle: 'al', instanceUrl: 'http://one', kind: 'access' });
    expect(tokens.check(token, 'mastodon', 'http://one').state).toBe('valid');
    expect(tokens.check(token, 'mastodon', 'http://two').state).toBe('unknown');
    expect(tokens.check(token, 'x').state).toBe('unknown');
    expect(tokens.check(undefined, 'x').state).toBe('unknown');
  });

  it('refuses a used refresh token, a revoked one, and expires only access tokens issued so far', () => {
    const tokens = new TokenStore();
    const refresh = tokens.issue({ ...alice, kind: 'refresh' });
    const before = tokens.issue({ ...alice, kind: 'access', ttlSeconds: 3600 });
    tokens.markUsed(refresh);
    expect(tokens.check(refresh, 'x').state).toBe('used');
    expect(tokens.expireMatching({ network: 'x' })).toBe(2);
    const after = tokens.issue({ ...alice, kind: 'access', ttlSeconds: 3600 });
    expect(tokens.check(before, 'x').state).toBe('expired');
    expect(tokens.check(after, 'x').state).toBe('valid');
    tokens.revokeMatching({ network: 'x', handle: 'alice' });
    expect(tokens.check(after, 'x').state).toBe('revoked');
  });

  it('reads a bearer header', () => {
    expect(bearerOf('Bearer abc.def')).toBe('abc.def');
    expect(bearerOf('Basic abc')).toBeUndefined();
  });
});
