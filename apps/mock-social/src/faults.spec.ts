import { TokenStore } from './auth/tokens';
import { faultProblems } from './control/fault-rules';
import { Faults } from './faults';
import { MOCK_NETWORKS } from './networks';

describe('fault rules', () => {
  it('decide failures and drops by network, handle and rate', async () => {
    const faults = new Faults(new TokenStore());
    faults.add({ network: 'x', handle: 'ann', status: 503, failRate: 0.5, message: 'down' });
    faults.add({ network: 'x', dropAfterAccept: true });
    expect(await faults.decide({ network: 'x', handle: 'ann' }, () => 0.4)).toEqual({ failWith: { status: 503, retryAfter: undefined, message: 'down' }, drop: true });
    expect(await faults.decide({ network: 'x', handle: 'ann' }, () => 0.6)).toEqual({ drop: true });
    expect(await faults.decide({ network: 'x', handle: 'bob' }, () => 0)).toEqual({ drop: true });
    expect(await faults.decide({ network: 'mastodon', handle: 'ann' }, () => 0)).toEqual({ drop: false });
  });

  it('scope a rule to one method at a path (YouTube opens an upload by POST and feeds it by PUT at one path)', async () => {
    const faults = new Faults(new TokenStore());
    faults.add({ network: 'youtube', path: '/upload/youtube/v3/videos', method: 'PUT', dropAfterAccept: true, times: 1 });
    expect(await faults.decide({ network: 'youtube', path: '/upload/youtube/v3/videos', method: 'POST' })).toEqual({ drop: false });
    expect(await faults.decide({ network: 'youtube', path: '/upload/youtube/v3/videos', method: 'PUT' })).toEqual({ drop: true });
    expect(await faults.decide({ network: 'youtube', path: '/upload/youtube/v3/videos', method: 'PUT' })).toEqual({ drop: false });
    expect(faultProblems({ method: 'GET' })).toEqual(['method must be POST, PUT or DELETE']);
  });

  it('scope a rule to one Mastodon instance: its calls, its consents, its tokens', async () => {
    const tokens = new TokenStore();
    const urls: Record<string, string> = { one: 'http://one.test', two: 'http://two.test' };
    const faults = new Faults(tokens, (name) => urls[name]);
    const onOne = tokens.issue({ network: 'mastodon', instanceUrl: urls.one, handle: 'ann', kind: 'access' });
    const onTwo = tokens.issue({ network: 'mastodon', instanceUrl: urls.two, handle: 'ann', kind: 'access' });
    faults.add({ network: 'mastodon', instance: 'two', status: 503 });
    faults.add({ instance: 'one', denyConsent: true, revokeToken: true });
    expect(await faults.decide({ network: 'mastodon', instance: 'two', handle: 'ann' })).toEqual({ failWith: { status: 503, retryAfter: undefined, message: undefined }, drop: false });
    expect(await faults.decide({ network: 'mastodon', instance: 'one', handle: 'ann' })).toEqual({ drop: false });
    expect(await faults.decide({ network: 'x', handle: 'ann' })).toEqual({ drop: false });
    expect(faults.deniesConsent({ network: 'mastodon', instance: 'one' })).toBe(true);
    expect(faults.deniesConsent({ network: 'mastodon', instance: 'two' })).toBe(false);
    expect(tokens.check(onOne, 'mastodon', urls.one).state).toBe('revoked');
    expect(tokens.check(onTwo, 'mastodon', urls.two).state).toBe('valid');
  });

  it('deny consent for the network (and the login_hint handle) they name', () => {
    const faults = new Faults(new TokenStore());
    faults.add({ network: 'linkedin', denyConsent: true });
    faults.add({ network: 'x', handle: 'ann', denyConsent: true });
    expect(faults.deniesConsent({ network: 'linkedin' })).toBe(true);
    expect(faults.deniesConsent({ network: 'x', handle: 'ann' })).toBe(true);
    expect(faults.deniesConsent({ network: 'x', handle: 'bob' })).toBe(false);
    expect(faults.deniesConsent({ network: 'x' })).toBe(false);
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
      `network must be one of ${MOCK_NETWORKS.join(', ')}`,
      'status must be 400, 403, 422, 429, 500 or 503',
      'denyConsent must be a boolean',
    ]);
    expect(faultProblems({ network: 'x', expireTokens: true })).toEqual([]);
    expect(faultProblems({ network: 'mastodon', instance: 'two', status: 503 })).toEqual([]);
    expect(faultProblems({ network: 'mastodon', instance: 'three' })).toEqual(['instance must be the name of a Mastodon instance: "one" or "two"']);
    expect(faultProblems({ network: 'x', instance: 'one' })).toEqual(['instance applies to network "mastodon" only']);
    expect(faultProblems([])).toEqual(['body must be a JSON object']);
  });
});
