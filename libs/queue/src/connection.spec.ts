import { redisAccessProblem } from './connection';

describe('redisAccessProblem', () => {
  it('says which settings to check when Redis refuses the credentials, by topology', () => {
    const wrong = new Error('WRONGPASS invalid username-password pair or user is disabled.');
    expect(redisAccessProblem(wrong, 'standalone')).toBe(
      "Redis refused Herald's credentials (WRONGPASS invalid username-password pair or user is disabled.): check REDIS_USERNAME and REDIS_PASSWORD (a REDIS_URL's own user and password win over them)",
    );
    expect(redisAccessProblem(new Error('NOAUTH Authentication required.'), 'cluster')).toMatch(/\(NOAUTH Authentication required\.\): check REDIS_USERNAME and REDIS_PASSWORD \(every node's\)/);
    expect(redisAccessProblem(new Error('All sentinels are unreachable. Last error: WRONGPASS invalid'), 'sentinel')).toMatch(/REDIS_SENTINEL_PASSWORD for the sentinels/);
    // A cluster client's refresh failure carries the node's own error.
    expect(redisAccessProblem(Object.assign(new Error('Failed to refresh slots cache.'), { lastNodeError: new Error('NOPERM this user has no permissions') }), 'cluster')).toMatch(/NOPERM/);
  });

  it('names REDIS_TLS_CA_FILE when the server certificate is not trusted', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(redisAccessProblem(untrusted)).toMatch(/^Redis's TLS certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN: .*set REDIS_TLS_CA_FILE/);
    expect(redisAccessProblem(Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))).toMatch(/not trusted/);
  });

  it('leaves what reconnecting may mend to the clients', () => {
    expect(redisAccessProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(redisAccessProblem(new Error('LOADING Redis is loading the dataset in memory'))).toBeUndefined();
    expect(redisAccessProblem(undefined)).toBeUndefined();
  });
});
