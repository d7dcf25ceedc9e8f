/**
 * The breaker's Lua scripts against the real Redis: they apply the pure
 * rules of circuit-verdict.ts (the same verdict on the same calls), and the
 * half-open probes are admitted atomically, so workers sharing Redis let no
 * more than the episode's quota through.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { HeraldConfig, loadConfig } from '@herald/config';
import { REDIS_URL } from '../../../test/support/env';
import { NetworkCircuits } from './circuits';
import { judgeWindow } from './circuit-verdict';

const prefix = `int-circuit-${randomBytes(4).toString('hex')}`;
const queues: Queue[] = [];

function circuits(env: Record<string, string> = {}): NetworkCircuits {
  const config: HeraldConfig = loadConfig({ HERALD_QUEUE_PREFIX: prefix, CIRCUIT_COOLOFF_MS: '50', CIRCUIT_MAX_COOLOFF_MS: '400', ...env });
  const url = new URL(REDIS_URL);
  // One queue, so one Redis connection, per "worker".
  const queue = new Queue('reconcile', { prefix, connection: { host: url.hostname, port: Number(url.port || 6379) } });
  queues.push(queue);
  return new NetworkCircuits(queue, config);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let hosts = 0;
const newKey = () => NetworkCircuits.keyOf('mastodon', `host${(hosts += 1)}.example`);

async function open(breaker: NetworkCircuits, key: string): Promise<void> {
  for (let call = 0; call < 10; call += 1) await breaker.record(key, false, false);
  expect((await breaker.list()).find((view) => view.key === key)?.state).toBe('open');
}

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await Promise.all(queues.map((queue) => queue.close()));
});

describe('NetworkCircuits (Redis)', () => {
  it('judges a window as the pure rule does: down, degraded or healthy after each call', async () => {
    const breaker = circuits();
    const rule = { minCalls: 10, failureRatio: 0.6 };
    // Failures spread over a full window in several patterns, from a few to all of them.
    for (const every of [1, 2, 3, 5]) {
      for (const failuresFirst of [false, true]) {
        const key = newKey();
        const outcomes: boolean[] = [];
        let opened = false;
        for (let call = 0; call < 40 && !opened; call += 1) {
          const ok = failuresFirst ? call >= 20 || call % every !== 0 : call % every !== 0;
          outcomes.push(ok);
          const window = outcomes.slice(-20);
          const expected = judgeWindow(window.length, window.filter((outcome) => !outcome).length, rule);
          const recorded = await breaker.record(key, ok, false);
          expect({ call, every, health: recorded.health }).toEqual({ call, every, health: expected });
          opened = recorded.transition?.kind === 'opened';
          expect(opened).toBe(expected === 'down');
        }
      }
    }
  });

  it('lets exactly the configured number of probes through, however many workers ask at once', async () => {
    const workers = [circuits(), circuits(), circuits()];
    const key = newKey();
    await open(workers[0]!, key);
    await sleep(80);
    const admissions = await Promise.all(Array.from({ length: 30 }, (_, index) => workers[index % 3]!.admit(key, 5000)));
    expect(admissions.filter((admission) => admission.kind === 'go' && admission.probe)).toHaveLength(5);
    expect(admissions.filter((admission) => admission.kind === 'go' && !admission.probe)).toHaveLength(0);
    expect(admissions.filter((admission) => admission.kind === 'wait' && admission.why === 'open')).toHaveLength(25);
  });

  it('closes on the probes\u2019 successes, not on one call', async () => {
    const breaker = circuits();
    const key = newKey();
    await open(breaker, key);
    await sleep(80);
    for (let probe = 0; probe < 5; probe += 1) expect(await breaker.admit(key, 5000)).toEqual({ kind: 'go', probe: true });
    expect((await breaker.record(key, true, true)).transition).toBeNull();
    expect((await breaker.record(key, false, true)).transition).toBeNull();
    expect((await breaker.record(key, true, true)).transition).toBeNull();
    expect((await breaker.record(key, true, true)).transition).toEqual({ kind: 'closed', downSince: expect.any(Date) });
    expect((await breaker.list()).find((view) => view.key === key)?.state).toBe('closed');
  });

  it('reopens on a failed share at the ratio, backing off only when no probe succeeded, and then sends one probe', async () => {
    const breaker = circuits();
    const key = newKey();
    await open(breaker, key);
    await sleep(80);
    for (let probe = 0; probe < 5; probe += 1) await breaker.admit(key, 5000);
    await breaker.record(key, true, true);
    await breaker.record(key, false, true);
    await breaker.record(key, false, true);
    // Three of four failed: reopened, the cool-off kept (50 ms), the next episode of five probes.
    expect((await breaker.record(key, false, true)).transition).toEqual({ kind: 'reopened', cooloffMs: 50, backedOff: false });
    await sleep(80);
    for (let probe = 0; probe < 3; probe += 1) expect(await breaker.admit(key, 5000)).toEqual({ kind: 'go', probe: true });
    for (let probe = 0; probe < 2; probe += 1) await breaker.record(key, false, true);
    // None of three succeeded: the host is still down, the cool-off doubles.
    expect((await breaker.record(key, false, true)).transition).toEqual({ kind: 'reopened', cooloffMs: 100, backedOff: true });
    await sleep(150);
    expect(await breaker.admit(key, 5000)).toEqual({ kind: 'go', probe: true });
    expect(await breaker.admit(key, 5000)).toEqual(expect.objectContaining({ kind: 'wait', why: 'open' }));
    // The one probe answers: the host is back.
    expect((await breaker.record(key, true, true)).transition).toEqual({ kind: 'closed', downSince: expect.any(Date) });
  });

  it('paces the calls to a degraded host and says it is degraded, not down', async () => {
    const breaker = circuits({ CIRCUIT_RECOVERY_PER_SECOND: '1' });
    const key = newKey();
    for (let call = 0; call < 20; call += 1) await breaker.record(key, call % 2 === 0, false);
    const view = (await breaker.list()).find((circuit) => circuit.key === key);
    expect(view).toEqual(expect.objectContaining({ state: 'closed', degradedSince: expect.any(String) }));
    const admissions = await Promise.all(Array.from({ length: 4 }, () => breaker.admit(key, 5000)));
    // One a second: the first call takes the slot now; a call whose slot is less than one spacing away also
    // goes (the pacing's slack, so a few milliseconds never cost a delay), which a loaded machine can make
    // of the second call. Every later one waits, told the host is degraded and since when.
    const going = admissions.filter((admission) => admission.kind === 'go').length;
    expect(going).toBeGreaterThanOrEqual(1);
    expect(going).toBeLessThanOrEqual(2);
    expect(admissions.filter((admission) => admission.kind === 'wait' && admission.why === 'degraded' && admission.since !== null)).toHaveLength(4 - going);
  });
});
