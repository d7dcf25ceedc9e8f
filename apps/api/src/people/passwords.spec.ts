import { PasswordHasher } from './passwords';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('stores scrypt with OWASP parameters as a self-describing string, salted afresh each time', async () => {
    const [one, two] = await Promise.all([hasher.hash('correct horse battery'), hasher.hash('correct horse battery')]);
    expect(one).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(one).not.toBe(two);
    expect(await hasher.verify('correct horse battery', one)).toBe(true);
    expect(await hasher.verify('correct horse batterY', one)).toBe(false);
  });

  it('reads a password the same in any Unicode normal form', async () => {
    const stored = await hasher.hash('caf\u00e9 au lait!');
    expect(await hasher.verify('cafe\u0301 au lait!', stored)).toBe(true);
  });

  it('refuses stored values it cannot read, or whose parameters are out of bounds, without deriving anything', async () => {
    const stored = await hasher.hash('correct horse battery');
    const [, , , , salt, key] = stored.split('$');
    for (const tampered of ['', 'bcrypt$x', `scrypt$1073741824$8$1$${salt}$${key}`, `scrypt$131071$8$1$${salt}$${key}`, `scrypt$131072$64$1$${salt}$${key}`, `scrypt$131072$8$1$$${key}`]) {
      expect(await hasher.verify('correct horse battery', tampered)).toBe(false);
    }
  });

  it('does the same work for nobody, and says no', async () => {
    expect(await hasher.verifyNobody('anything at all')).toBe(false);
  });
});
