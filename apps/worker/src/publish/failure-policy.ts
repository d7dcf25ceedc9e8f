/**
 * The worker's failure policy, pure: from what just happened to a claimed
 * delivery (its call failed, the breaker or its budget turned it away, a
 * lookup failed or found nothing, or it was claimed too late) and where the
 * delivery stands (attempts spent, its retry window, the host's health) to
 * what the publisher does next. The publisher carries the step out
 * (records, renews, looks up, sends); every decision is here, in one table
 * (failure-policy.spec.ts).
 */
import type { NetworkErrorClass } from '@herald/channels';
import type { HostHealth } from '@herald/queue';
import { transientRetryDelayMs } from './backoff';

/** A failed call, as the policy reads it (a NetworkError's fields). */
export interface FailureReading {
  errorClass: NetworkErrorClass;
  code: string;
  ambiguous: boolean;
  retryAfterMs?: number;
}

/** What happened. */
export type PolicyEvent =
  /** Claimed, before anything else: how late it is. */
  | { kind: 'claimed'; latenessMs: number; staleAfterSeconds: number | null }
  /**
   * A publishing call failed. `tokenRenewed`: this publish renewed the token
   * already, or found none to renew with (an expired token is then a revoked
   * one). `health`: the host after the call, as the breaker told (null: it
   * could not be asked).
   */
  | { kind: 'call_failed'; failure: FailureReading; health: HostHealth | null; tokenRenewed: boolean }
  /** The breaker or the channel's budget turned the call away, until `until`. */
  | { kind: 'turned_away'; reason: 'network_unavailable' | 'network_degraded' | 'rate_limited'; until: number }
  /** A lookup (after a call of unknown outcome, or a dead worker's claim) failed. */
  | { kind: 'lookup_failed'; failure: FailureReading }
  /** A lookup found no post of this delivery. `lastErrorCode`: what the try before ended with. */
  | { kind: 'lookup_not_found'; lastErrorCode: string | null };

/** Where the delivery stands, and the settings that bound its tries. */
export interface PolicyState {
  now: number;
  attemptCount: number;
  maxAttempts: number;
  /** When the retry window ends (epoch ms): transient failures are retried until then. */
  windowEnd: number;
  /** The network honours the idempotency key: sending again is safe whatever the last call did. */
  honoursIdempotencyKey: boolean;
  retryBackoffMs: number;
  retryMaxDelayMs: number;
  /** The cap on a retry the breaker paces (CIRCUIT_DEGRADED_RETRY_MAX_MS). */
  degradedRetryMaxMs: number;
  /** The jitter's source (Math.random unless a test says). */
  random?: () => number;
}

/** Why a delivery that fails fails. */
export type FailCode = string;

/** What the publisher does next. */
export type NextStep =
  /** Go on: make the call (after a claim), or send (after a lookup found nothing). */
  | { kind: 'go' }
  /** Too late for its channel (staleAfterSeconds): `missed`, no call. */
  | { kind: 'missed' }
  /** Renew the token and make the call once more, without spending an attempt. */
  | { kind: 'renew_token' }
  /** The outcome is unknown: end the claim and look the post up once the network has settled. */
  | { kind: 'look_up' }
  /** Back to `scheduled` at `at` without spending the attempt, waiting for the channel's budget (a 429). */
  | { kind: 'wait_rate_limit'; at: number }
  /** Back to `scheduled` at `at`, the attempt spent, waiting for the host (why: `waitingFor`). */
  | { kind: 'retry'; at: number; waitingFor: 'network_degraded' | 'network_unavailable' }
  /** Give the claim back without a call, to come back at `at`. */
  | { kind: 'release'; at: number }
  /**
   * `failed` with `code`. `disconnect`: the channel's token is gone.
   * `summary`: the delivery's error is a summary of why it gave up (the
   * window passed, the attempts ran out), not the last call's own.
   */
  | { kind: 'fail'; code: FailCode; disconnect: boolean; summary: boolean };

/** The default wait after a 429 that named no Retry-After. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** The host itself failed: a 5xx, a timeout, a connection refused or lost. Not a 429, not a refusal of the post or the token. */
export function hostFailed(failure: Pick<FailureReading, 'errorClass' | 'code'>): boolean {
  return failure.errorClass === 'transient' && failure.code !== 'lease_ending' && failure.code !== 'internal_error' && failure.code !== 'token_renewal_failed';
}

/** The next step after `event`, for a delivery in `state`. */
export function nextStep(event: PolicyEvent, state: PolicyState): NextStep {
  switch (event.kind) {
    case 'claimed':
      return event.staleAfterSeconds !== null && event.latenessMs > event.staleAfterSeconds * 1000 ? { kind: 'missed' } : { kind: 'go' };
    case 'call_failed':
      return afterCall(event.failure, event.health, event.tokenRenewed, state);
    case 'turned_away':
      if (event.reason !== 'network_unavailable') return { kind: 'release', at: event.until };
      // Down for the whole window: failed, without a call. Else back at the window's end at the latest, to be given up then.
      if (state.now >= state.windowEnd) return { kind: 'fail', code: 'network_unavailable', disconnect: false, summary: true };
      return { kind: 'release', at: Math.min(event.until, state.windowEnd) };
    case 'lookup_failed':
      // The network could not be asked (it is down): ask again later, nothing sent meanwhile. Else it cannot tell: never sent blindly.
      if (hostFailed(event.failure) && event.failure.code !== 'lookup_too_deep' && state.now < state.windowEnd) return { kind: 'look_up' };
      return { kind: 'fail', code: 'unconfirmed', disconnect: false, summary: true };
    case 'lookup_not_found':
      // X refused the text as a duplicate and no post of this delivery is there: another post has it.
      if (event.lastErrorCode === 'duplicate_content') return { kind: 'fail', code: 'duplicate_content', disconnect: false, summary: true };
      if (state.attemptCount >= state.maxAttempts) return { kind: 'fail', code: 'attempts_exhausted', disconnect: false, summary: true };
      return { kind: 'go' };
  }
}

function afterCall(failure: FailureReading, health: HostHealth | null, tokenRenewed: boolean, state: PolicyState): NextStep {
  switch (failure.errorClass) {
    case 'auth_expired':
      // Renewed and refused again, or nothing to renew with: the token is gone.
      return tokenRenewed ? { kind: 'fail', code: 'auth_revoked', disconnect: true, summary: false } : { kind: 'renew_token' };
    case 'auth_revoked':
      return { kind: 'fail', code: failure.code, disconnect: true, summary: false };
    case 'rejected':
      return { kind: 'fail', code: failure.code, disconnect: false, summary: false };
    case 'rate_limited':
      return { kind: 'wait_rate_limit', at: state.now + (failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS) };
    case 'transient': {
      // The network may have posted it, and may still be acting on the call: look, but only once it has settled.
      if (failure.ambiguous && !state.honoursIdempotencyKey) return { kind: 'look_up' };
      if (state.now < state.windowEnd && state.attemptCount < state.maxAttempts) {
        // The breaker knows of this failure: it paces a degraded host and holds back all calls to a down one, so
        // the retry need not wait long (it spends nothing while the breaker turns it away).
        const gated = health !== null && hostFailed(failure);
        const cap = gated ? Math.min(state.retryMaxDelayMs, state.degradedRetryMaxMs) : state.retryMaxDelayMs;
        const delay = transientRetryDelayMs(state.attemptCount, state.retryBackoffMs, cap, state.random);
        // The last try is at the window's end, not past it.
        return { kind: 'retry', at: Math.min(state.now + delay, state.windowEnd), waitingFor: gated && health !== 'down' ? 'network_degraded' : 'network_unavailable' };
      }
      const exhausted = state.attemptCount >= state.maxAttempts;
      return { kind: 'fail', code: exhausted ? 'attempts_exhausted' : 'network_unavailable', disconnect: false, summary: true };
    }
  }
}
