import { randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('round-trips, never stores the plain text, and uses a fresh IV each time', () => {
    const cipher = new TokenCipher([newKey]);
    const sealed = cipher.encrypt('x_secret-token');
    expect(sealed).not.toContain('x_secret-token');
    expect(cipher.decrypt(sealed)).toBe('x_secret-token');
    expect(cipher.encrypt('x_secret-token')).not.toBe(sealed);
  });

  it('decrypts values of an old key after rotation, and knows which are current', () => {
    const sealedOld = new TokenCipher([oldKey]).encrypt('token');
    const rotated = new TokenCipher([newKey, oldKey]);
    expect(rotated.decrypt(sealedOld)).toBe('token');
    expect(rotated.isCurrent(sealedOld)).toBe(false);
    expect(rotated.isCurrent(rotated.encrypt('token'))).toBe(true);
    expect(() => new TokenCipher([newKey]).decrypt(sealedOld)).toThrow(/no configured key/);
  });

  it('refuses a tampered value', () => {
    const cipher = new TokenCipher([newKey]);
    const parts = cipher.encrypt('token').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });
});
