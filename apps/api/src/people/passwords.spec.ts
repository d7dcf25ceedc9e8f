import { PasswordHasher } from './passwords';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();
  // 128 MiB and a few hundred ms per hash at full strength, seconds on a busy machine: the only spec that pays it.
  jest.setTimeout(60_000);
  // The real cost here, whatever the test setup set for every other spec (test/support/test-strength.ts).
  const testCost = process.env.HERALD_TEST_SCRYPT_COST;
  beforeAll(() => delete process.env.HERALD_TEST_SCRYPT_COST);
  afterAll(() => {
    if (testCost !== undefined) process.env.HERALD_TEST_SCRYPT_COST = testCost;
  });

  it('hashes at the cost a test run names (only under jest), and still verifies it', async () => {
    process.env.HERALD_TEST_SCRYPT_COST = String(2 ** 12);
    try {
      const light = await hasher.hash('correct horse battery');
      expect(light).toMatch(/^scrypt\$4096\$8\$1\$/);
      expect(await hasher.verify('correct horse battery', light)).toBe(true);
    } finally {
      delete process.env.HERALD_TEST_SCRYPT_COST;
    }
  });

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
