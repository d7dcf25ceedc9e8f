import { createHmac } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt';

describe('HS256 session JWTs', () => {
  const secret = Buffer.from('0123456789abcdef0123456789abcdef');
  const claims = { scope: 'com.atproto.appPass', sub: 'did:plc:abc', aud: 'did:web:localhost', iat: 1000, exp: 8200 };

  it('round-trips type and claims, and says when it has expired', () => {
    const token = signJwt('at+jwt', claims, secret);
    expect(verifyJwt(token, secret, 5000)).toEqual({ ok: true, typ: 'at+jwt', claims, expired: false });
    expect(verifyJwt(token, secret, 8200)).toMatchObject({ ok: true, expired: true });
  });

  it('is a standard JWS: the signature is HMAC-SHA256 over header.payload', () => {
    const token = signJwt('refresh+jwt', claims, secret);
    const [head, body, sig] = token.split('.');
    expect(JSON.parse(Buffer.from(head!, 'base64url').toString())).toEqual({ typ: 'refresh+jwt', alg: 'HS256' });
    expect(sig).toBe(createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url'));
  });

  it('refuses another key, a changed payload, and garbage', () => {
    const token = signJwt('at+jwt', claims, secret);
    expect(verifyJwt(token, Buffer.from('another key'), 5000)).toEqual({ ok: false });
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'did:plc:evil' })).toString('base64url');
    expect(verifyJwt(`${head}.${forged}.${sig}`, secret, 5000)).toEqual({ ok: false });
    expect(verifyJwt('not-a-jwt', secret, 5000)).toEqual({ ok: false });
  });
});
