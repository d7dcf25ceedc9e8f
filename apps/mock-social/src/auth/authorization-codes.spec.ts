import { AuthorizationCodes, CodeGrant } from './authorization-codes';
import { s256 } from './pkce';

describe('authorization codes', () => {
  const verifier = 'v'.repeat(43);
  const grant: CodeGrant = { network: 'x', clientId: 'app', redirectUri: 'http://cb', scope: 'tweet.read', handle: 'alice', challenge: s256(verifier) };
  const presented = { network: 'x', clientId: 'app', redirectUri: 'http://cb', verifier };

  it('redeem once with the verifier, client and redirect URI of the authorize request', () => {
    const codes = new AuthorizationCodes(30);
    const code = codes.issue(grant, 0);
    expect(codes.redeem(code, presented, 29_999)).toEqual({ ok: true, grant });
    expect(codes.redeem(code, presented, 29_999)).toEqual({ ok: false, reason: 'used' });
  });

  it('refuses an expired code, a wrong verifier, another redirect URI or client, and another network', () => {
    const codes = new AuthorizationCodes(30);
    expect(codes.redeem(codes.issue(grant, 0), presented, 30_000)).toEqual({ ok: false, reason: 'expired' });
    expect(codes.redeem(codes.issue(grant, 0), { ...presented, verifier: 'w'.repeat(43) }, 1)).toEqual({ ok: false, reason: 'verifier' });
    expect(codes.redeem(codes.issue(grant, 0), { ...presented, verifier: undefined }, 1)).toEqual({ ok: false, reason: 'verifier' });
    expect(codes.redeem(codes.issue(grant, 0), { ...presented, redirectUri: 'http://other' }, 1)).toEqual({ ok: false, reason: 'redirect_uri' });
    expect(codes.redeem(codes.issue(grant, 0), { ...presented, clientId: 'other' }, 1)).toEqual({ ok: false, reason: 'client' });
    expect(codes.redeem(codes.issue(grant, 0), { ...presented, network: 'linkedin' }, 1)).toEqual({ ok: false, reason: 'unknown' });
    expect(codes.redeem('made-up', presented, 1)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('needs no verifier for a code issued without a challenge', () => {
    const codes = new AuthorizationCodes(30);
    const plain: CodeGrant = { ...grant, challenge: undefined };
    delete plain.challenge;
    expect(codes.redeem(codes.issue(plain, 0), { ...presented, verifier: undefined }, 1)).toMatchObject({ ok: true });
  });
});
