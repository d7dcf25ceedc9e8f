import { Problem } from '../common/problems';
import { ApiMetrics } from '../health/api-metrics';
import { HASHES_IN_FLIGHT, HASHES_IN_FLIGHT_PER_ACCOUNT, HASHES_IN_FLIGHT_PER_ADDRESS, HashOwner, HashSlots } from './hash-slots';

/** A hash that finishes when the test says so. */
function held(): { promise: Promise<string>; finish(): void } {
  let finish!: () => void;
  const promise = new Promise<string>((resolve) => (finish = () => resolve('hashed')));
  return { promise, finish };
}

async function statusOf(work: Promise<unknown>): Promise<number | 'done'> {
  try {
    await work;
    return 'done';
  } catch (error) {
    return error instanceof Problem ? error.status : -1;
  }
}

async function hashesCounted(metrics: ApiMetrics): Promise<number> {
  return (await metrics.passwordHashes.get()).values.reduce((sum, value) => sum + value.value, 0);
}

describe('HashSlots', () => {
  let metrics: ApiMetrics;
  let slots: HashSlots;
  const start = (owner: HashOwner, hash: { promise: Promise<string> }) => slots.run(owner, 'sign_in', (run) => run(() => hash.promise));

  beforeEach(() => {
    metrics = new ApiMetrics();
    slots = new HashSlots(metrics);
  });

  it('refuses a third hash for one account at once (429 with Retry-After), from any address, and takes it again once one finishes', async () => {
    expect(HASHES_IN_FLIGHT_PER_ACCOUNT).toBe(2);
    const hashes = [held(), held()];
    const running = hashes.map((hash, index) => start({ account: 'Ada@example.com', address: `10.0.0.${index}` }, hash));
    const refused = slots.run({ account: 'ada@example.com', address: '10.0.0.9' }, 'sign_in', (run) => run(async () => 'never'));
    await expect(refused).rejects.toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    hashes[0]!.finish();
    await running[0];
    const third = held();
    const again = start({ account: 'ada@example.com', address: '10.0.0.9' }, third);
    hashes[1]!.finish();
    third.finish();
    expect(await Promise.all([running[1], again])).toEqual(['hashed', 'hashed']);
  });

  it('refuses a third hash from one address at once, whatever the accounts', async () => {
    expect(HASHES_IN_FLIGHT_PER_ADDRESS).toBe(2);
    const hashes = [held(), held()];
    const running = hashes.map((hash, index) => start({ account: `person${index}@example.com`, address: '10.0.0.1' }, hash));
    expect(await statusOf(start({ account: 'someone-else@example.com', address: '10.0.0.1' }, held()))).toBe(429);
    expect(await statusOf(start({ account: 'someone-else@example.com', address: undefined }, { promise: Promise.resolve('hashed') }))).toBe('done');
    for (const hash of hashes) hash.finish();
    await Promise.all(running);
  });

  it('refuses past HASHES_IN_FLIGHT overall, and counts only the hashes that ran', async () => {
    const hashes = Array.from({ length: HASHES_IN_FLIGHT }, () => held());
    const running = hashes.map((hash, index) => start({ account: `p${index}@example.com`, address: `10.0.1.${index}` }, hash));
    const refusals = await Promise.all(Array.from({ length: 5 }, (_, index) => statusOf(start({ account: `q${index}@example.com`, address: `10.0.2.${index}` }, held()))));
    expect(refusals).toEqual([429, 429, 429, 429, 429]);
    for (const hash of hashes) hash.finish();
    await Promise.all(running);
    expect(await hashesCounted(metrics)).toBe(HASHES_IN_FLIGHT);
    expect((await metrics.passwordHashesRefused.get()).values).toEqual([{ labels: { bound: 'overall' }, value: 5 }]);
  });

  it('frees the slot when the work fails, and counts no hash for work refused before hashing', async () => {
    const owner = { account: 'ada@example.com', address: '10.0.0.1' };
    for (let round = 0; round < 3; round += 1) {
      await expect(slots.run(owner, 'sign_in', async () => Promise.reject(new Error('refused before hashing')))).rejects.toThrow('refused before hashing');
    }
    expect(await statusOf(start(owner, { promise: Promise.resolve('hashed') }))).toBe('done');
    expect(await hashesCounted(metrics)).toBe(1);
  });
});
