import { TokenStore } from './auth/tokens';
import { faultProblems } from './control/fault-rules';
import { Faults } from './faults';

describe('fault rules', () => {
  it('decide failures and drops by network, handle and rate', async () => {
    const faults = new Faults(new TokenStore());
    faults.add({ network: 'x', handle: 'ann', status: 503, failRate: 0.5, message: 'down' });
    faults.add({ network: 'x', dropAfterAccept: true });
    expect(await faults.decide('x', 'ann', () => 0.4)).toEqual({ failWith: { status: 503, retryAfter: undefined, message: 'down' }, drop: true });
    expect(await faults.decide('x', 'ann', () => 0.6)).toEqual({ drop: true });
    expect(await faults.decide('x', 'bob', () => 0)).toEqual({ drop: true });
    expect(await faults.decide('mastodon', 'ann', () => 0)).toEqual({ drop: false });
  });

  it('deny consent for the network (and the login_hint handle) they name', () => {
    const faults = new Faults(new TokenStore());
    faults.add({ network: 'linkedin', denyConsent: true });
    faults.add({ network: 'x', handle: 'ann', denyConsent: true });
    expect(faults.deniesConsent('linkedin', undefined)).toBe(true);
    expect(faults.deniesConsent('x', 'ann')).toBe(true);
    expect(faults.deniesConsent('x', 'bob')).toBe(false);
    expect(faults.deniesConsent('x', undefined)).toBe(false);
  });

  it('revoke or expire the matching tokens once, when added', () => {
    const tokens = new TokenStore();
    const faults = new Faults(tokens);
    const ann = tokens.issue({ network: 'x', handle: 'ann', kind: 'access', ttlSeconds: 3600 });
    const annRefresh = tokens.issue({ network: 'x', handle: 'ann', kind: 'refresh' });
    const bob = tokens.issue({ network: 'bluesky', handle: 'bob.test', kind: 'access', ttlSeconds: 3600 });
    faults.add({ network: 'x', expireTokens: true });
    expect(tokens.check(ann, 'x').state).toBe('expired');
    expect(tokens.check(annRefresh, 'x').state).toBe('valid');
    expect(tokens.check(bob, 'bluesky').state).toBe('valid');
    faults.add({ handle: 'bob.test', revokeToken: true });
    expect(tokens.check(bob, 'bluesky').state).toBe('revoked');
  });

  it('name what is wrong with a rule', () => {
    expect(faultProblems({ network: 'myspace', status: 418, denyConsent: 'yes', surprise: 1 })).toEqual([
      'surprise is not a fault field',
      'network must be one of x, bluesky, mastodon, linkedin, threads, instagram, facebook',
      'status must be 429, 500 or 503',
      'denyConsent must be a boolean',
    ]);
    expect(faultProblems({ network: 'x', expireTokens: true })).toEqual([]);
    expect(faultProblems([])).toEqual(['body must be a JSON object']);
  });
});
