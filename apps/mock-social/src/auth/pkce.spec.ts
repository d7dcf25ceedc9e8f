import { isValidChallenge, s256, verifierMatches } from './pkce';

describe('PKCE S256', () => {
  // RFC 7636, appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('transforms the verifier as the RFC example does', () => {
    expect(s256(verifier)).toBe(challenge);
    expect(isValidChallenge(challenge)).toBe(true);
  });

  it('accepts the matching verifier only', () => {
    expect(verifierMatches(verifier, challenge)).toBe(true);
    expect(verifierMatches(`${verifier.slice(0, -1)}Y`, challenge)).toBe(false);
    expect(verifierMatches(undefined, challenge)).toBe(false);
  });

  it('takes the 171-character verifiers of X\'s own SDK', () => {
    const long = 'A'.repeat(171);
    expect(verifierMatches(long, s256(long))).toBe(true);
  });

  it('refuses verifiers shorter than 43 or with reserved characters, even when they hash right', () => {
    const short = 'abc';
    expect(verifierMatches(short, s256(short))).toBe(false);
    const spaced = `${'a'.repeat(42)} `;
    expect(verifierMatches(spaced, s256(spaced))).toBe(false);
    expect(isValidChallenge('plain-text')).toBe(false);
  });

  it('plain (which X takes): the challenge is the verifier itself, as well formed as one', () => {
    expect(isValidChallenge(verifier, 'plain')).toBe(true);
    expect(isValidChallenge('short', 'plain')).toBe(false);
    expect(verifierMatches(verifier, verifier, 'plain')).toBe(true);
    expect(verifierMatches(verifier, challenge, 'plain')).toBe(false);
    expect(verifierMatches(verifier, verifier)).toBe(false);
  });
});
