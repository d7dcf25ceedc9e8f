import { FailureReading, NextStep, PolicyEvent, PolicyState, hostFailed, nextStep } from './failure-policy';

const NOW = 1_000_000;
const HOUR = 3_600_000;

/** A delivery on its second attempt of ten, an hour of its window left; jitter at its middle (delays of 0.55 of the ceiling). */
const state = (overrides: Partial<PolicyState> = {}): PolicyState => ({
  now: NOW,
  attemptCount: 2,
  maxAttempts: 10,
  windowEnd: NOW + HOUR,
  honoursIdempotencyKey: false,
  retryBackoffMs: 2000,
  retryMaxDelayMs: 300_000,
  degradedRetryMaxMs: 2000,
  random: () => 0.5,
  ...overrides,
});

const failure = (errorClass: FailureReading['errorClass'], code: string, extra: Partial<FailureReading> = {}): FailureReading => ({ errorClass, code, ambiguous: false, ...extra });
const callFailed = (reading: FailureReading, health: 'healthy' | 'degraded' | 'down' | null = null, tokenRenewed = false): PolicyEvent => ({ kind: 'call_failed', failure: reading, health, tokenRenewed });

/** The delay transientRetryDelayMs gives attempt 2 at jitter 0.5 under `cap`: min(cap, 2000 * 2) * 0.55. */
const jittered = (cap: number) => Math.round(Math.min(cap, 4000) * 0.55);

const cases: [string, PolicyEvent, Partial<PolicyState>, NextStep][] = [
  // Claimed: stale or not.
  ['claimed on time', { kind: 'claimed', latenessMs: 500, staleAfterSeconds: null }, {}, { kind: 'go' }],
  ['claimed late, within staleAfterSeconds', { kind: 'claimed', latenessMs: 60_000, staleAfterSeconds: 60 }, {}, { kind: 'go' }],
  ['claimed later than staleAfterSeconds', { kind: 'claimed', latenessMs: 60_001, staleAfterSeconds: 60 }, {}, { kind: 'missed' }],

  // A call failed: the token.
  ['token expired, not yet renewed', callFailed(failure('auth_expired', 'token_expired')), {}, { kind: 'renew_token' }],
  ['token expired again after a renewal', callFailed(failure('auth_expired', 'token_expired'), null, true), {}, { kind: 'fail', code: 'auth_revoked', disconnect: true, summary: false }],
  ['token revoked', callFailed(failure('auth_revoked', 'auth_revoked')), {}, { kind: 'fail', code: 'auth_revoked', disconnect: true, summary: false }],
  // Refused.
  ['content rejected', callFailed(failure('rejected', 'content_rejected')), {}, { kind: 'fail', code: 'content_rejected', disconnect: false, summary: false }],
  ['rejected even on the last attempt of an ended window', callFailed(failure('rejected', 'forbidden')), { attemptCount: 10, windowEnd: NOW }, { kind: 'fail', code: 'forbidden', disconnect: false, summary: false }],
  // Rate limited.
  ['429 with Retry-After', callFailed(failure('rate_limited', 'rate_limited', { retryAfterMs: 5000 })), {}, { kind: 'wait_rate_limit', at: NOW + 5000 }],
  ['429 without Retry-After: a minute', callFailed(failure('rate_limited', 'rate_limited')), {}, { kind: 'wait_rate_limit', at: NOW + 60_000 }],
  ['429 past the window and the attempts: still waits (no attempt spent)', callFailed(failure('rate_limited', 'rate_limited', { retryAfterMs: 1 })), { attemptCount: 10, windowEnd: NOW }, { kind: 'wait_rate_limit', at: NOW + 1 }],
  // Transient, outcome unknown.
  ['timeout on a network without idempotency keys: look up', callFailed(failure('transient', 'timeout', { ambiguous: true }), 'degraded'), {}, { kind: 'look_up' }],
  ['timeout, attempts spent: still look up first', callFailed(failure('transient', 'timeout', { ambiguous: true })), { attemptCount: 10 }, { kind: 'look_up' }],
  ['our own error mid-call (internal_error): look up', callFailed(failure('transient', 'internal_error', { ambiguous: true }), null), {}, { kind: 'look_up' }],
  [
    'timeout where the idempotency key is honoured: retried, paced',
    callFailed(failure('transient', 'timeout', { ambiguous: true }), 'degraded'),
    { honoursIdempotencyKey: true },
    { kind: 'retry', at: NOW + jittered(2000), waitingFor: 'network_degraded' },
  ],
  // Transient, nothing posted: retried.
  ['503, the breaker counted it, host degraded: a short retry', callFailed(failure('transient', 'http_503'), 'degraded'), {}, { kind: 'retry', at: NOW + jittered(2000), waitingFor: 'network_degraded' }],
  ['503, host healthy after it: a short retry, degraded', callFailed(failure('transient', 'http_503'), 'healthy'), {}, { kind: 'retry', at: NOW + jittered(2000), waitingFor: 'network_degraded' }],
  ['503, host down: a short retry (the breaker holds it back), unavailable', callFailed(failure('transient', 'http_503'), 'down'), {}, { kind: 'retry', at: NOW + jittered(2000), waitingFor: 'network_unavailable' }],
  ['503, breaker unknown (Redis lost): the usual backoff', callFailed(failure('transient', 'http_503'), null), {}, { kind: 'retry', at: NOW + jittered(300_000), waitingFor: 'network_unavailable' }],
  ['lease ending (not the host\'s fault): the usual backoff', callFailed(failure('transient', 'lease_ending'), 'healthy'), {}, { kind: 'retry', at: NOW + jittered(300_000), waitingFor: 'network_unavailable' }],
  ['token renewal failed: the usual backoff', callFailed(failure('transient', 'token_renewal_failed'), 'healthy'), {}, { kind: 'retry', at: NOW + jittered(300_000), waitingFor: 'network_unavailable' }],
  ['retry delay capped by RETRY_MAX_DELAY_MS under the degraded cap', callFailed(failure('transient', 'http_503'), 'degraded'), { retryMaxDelayMs: 1000 }, { kind: 'retry', at: NOW + jittered(1000), waitingFor: 'network_degraded' }],
  ['the last retry is at the window\'s end, not past it', callFailed(failure('transient', 'connection_refused'), null), { windowEnd: NOW + 100 }, { kind: 'retry', at: NOW + 100, waitingFor: 'network_unavailable' }],
  ['window over: failed, network unavailable', callFailed(failure('transient', 'http_502'), 'down'), { windowEnd: NOW }, { kind: 'fail', code: 'network_unavailable', disconnect: false, summary: true }],
  ['attempts spent: failed, attempts exhausted', callFailed(failure('transient', 'http_502'), 'degraded'), { attemptCount: 10 }, { kind: 'fail', code: 'attempts_exhausted', disconnect: false, summary: true }],
  ['both spent: attempts exhausted wins', callFailed(failure('transient', 'http_502')), { attemptCount: 11, windowEnd: NOW - 1 }, { kind: 'fail', code: 'attempts_exhausted', disconnect: false, summary: true }],

  // Turned away before a call.
  ['breaker open: released until its slot', { kind: 'turned_away', reason: 'network_unavailable', until: NOW + 15_000 }, {}, { kind: 'release', at: NOW + 15_000 }],
  ['breaker open past the window\'s end: back at the window\'s end', { kind: 'turned_away', reason: 'network_unavailable', until: NOW + 2 * HOUR }, {}, { kind: 'release', at: NOW + HOUR }],
  ['breaker open, window over: failed without a call', { kind: 'turned_away', reason: 'network_unavailable', until: NOW + 15_000 }, { windowEnd: NOW }, { kind: 'fail', code: 'network_unavailable', disconnect: false, summary: true }],
  ['degraded host paces it: released until its slot, even past the window', { kind: 'turned_away', reason: 'network_degraded', until: NOW + 2 * HOUR }, { windowEnd: NOW }, { kind: 'release', at: NOW + 2 * HOUR }],
  ['budget spent: released until the reset', { kind: 'turned_away', reason: 'rate_limited', until: NOW + 900_000 }, {}, { kind: 'release', at: NOW + 900_000 }],

  // A lookup failed.
  ['lookup: host down, window open: look again later', { kind: 'lookup_failed', failure: failure('transient', 'http_503') }, {}, { kind: 'look_up' }],
  ['lookup: host down, window over: unconfirmed', { kind: 'lookup_failed', failure: failure('transient', 'timeout', { ambiguous: true }) }, { windowEnd: NOW }, { kind: 'fail', code: 'unconfirmed', disconnect: false, summary: true }],
  ['lookup too deep: unconfirmed, never sent blindly', { kind: 'lookup_failed', failure: failure('transient', 'lookup_too_deep') }, {}, { kind: 'fail', code: 'unconfirmed', disconnect: false, summary: true }],
  ['lookup refused (403): unconfirmed', { kind: 'lookup_failed', failure: failure('rejected', 'forbidden') }, {}, { kind: 'fail', code: 'unconfirmed', disconnect: false, summary: true }],
  ['lookup rate limited: unconfirmed', { kind: 'lookup_failed', failure: failure('rate_limited', 'rate_limited', { retryAfterMs: 1000 }) }, {}, { kind: 'fail', code: 'unconfirmed', disconnect: false, summary: true }],
  ['lookup hit our own error: unconfirmed', { kind: 'lookup_failed', failure: failure('transient', 'internal_error', { ambiguous: true }) }, {}, { kind: 'fail', code: 'unconfirmed', disconnect: false, summary: true }],

  // A lookup found nothing.
  ['not found: send', { kind: 'lookup_not_found', lastErrorCode: 'timeout' }, {}, { kind: 'go' }],
  ['not found after X called the text a duplicate: another post has it', { kind: 'lookup_not_found', lastErrorCode: 'duplicate_content' }, {}, { kind: 'fail', code: 'duplicate_content', disconnect: false, summary: true }],
  ['not found, attempts spent', { kind: 'lookup_not_found', lastErrorCode: null }, { attemptCount: 10 }, { kind: 'fail', code: 'attempts_exhausted', disconnect: false, summary: true }],
  ['not found, window over but attempts left: send (the window bounds retries, not a lookup\'s send)', { kind: 'lookup_not_found', lastErrorCode: null }, { windowEnd: NOW }, { kind: 'go' }],
];

describe('the worker\'s failure policy', () => {
  it.each(cases)('%s', (_name, event, overrides, expected) => {
    expect(nextStep(event, state(overrides))).toEqual(expected);
  });

  it('covers every kind of event and every kind of step', () => {
    expect(new Set(cases.map(([, event]) => event.kind))).toEqual(new Set(['claimed', 'call_failed', 'turned_away', 'lookup_failed', 'lookup_not_found']));
    expect(new Set(cases.map(([, , , step]) => step.kind))).toEqual(new Set(['go', 'missed', 'renew_token', 'look_up', 'wait_rate_limit', 'retry', 'release', 'fail']));
  });

  it('jitters retries between a tenth of the ceiling and the ceiling', () => {
    const at = (random: number) => nextStep(callFailed(failure('transient', 'http_503'), null), state({ random: () => random }));
    expect(at(0)).toEqual({ kind: 'retry', at: NOW + 400, waitingFor: 'network_unavailable' });
    expect(at(1)).toEqual({ kind: 'retry', at: NOW + 4000, waitingFor: 'network_unavailable' });
  });

  it('counts only the host\'s own failures against it', () => {
    expect(hostFailed(failure('transient', 'http_503'))).toBe(true);
    expect(hostFailed(failure('transient', 'timeout'))).toBe(true);
    for (const code of ['lease_ending', 'internal_error', 'token_renewal_failed']) expect(hostFailed(failure('transient', code))).toBe(false);
    expect(hostFailed(failure('rate_limited', 'rate_limited'))).toBe(false);
    expect(hostFailed(failure('rejected', 'content_rejected'))).toBe(false);
  });
});
