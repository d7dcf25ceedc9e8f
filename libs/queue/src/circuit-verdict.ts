/**
 * The circuit breaker's decisions, pure: from a host's window of judged
 * calls to how the host is (healthy, degraded, down), and from a half-open
 * episode's probe outcomes to what happens next (close, reopen, wait for
 * more). The Lua scripts in circuits.ts only count outcomes and compare
 * them with the thresholds computed here, so the rule lives in one place.
 *
 * Why not just "failed share >= ratio": a host answering half its calls
 * shows 12 or more failures in 20 a quarter of the time, and would be taken
 * for down by chance. A window is taken as down when its failures are too
 * many to come by chance from a host failing at the ratio (or less): the
 * binomial chance of that many is under DOWN_CONFIDENCE. A window whose
 * every call failed (at least `minCalls` of them) is down too, so a host
 * that stops answering is still found after `minCalls` calls.
 */

export type HostHealth = 'healthy' | 'degraded' | 'down';

export interface WindowRule {
  /** Fewer judged calls than this never make a host down. */
  minCalls: number;
  /** The failed share from which a host may be down (0 to 1). */
  failureRatio: number;
}

export interface ProbeRule {
  /** How many probes a half-open episode lets through (CIRCUIT_HALF_OPEN_PROBES). */
  probes: number;
  failureRatio: number;
}

/** A host failing at the ratio would show this many failures by chance less often than this. */
export const DOWN_CONFIDENCE = 0.001;

/** Failures among the window's calls from which a host that is not down is degraded: one is noise. */
export const DEGRADED_FAILURES = 2;

/** What a half-open episode's probes decided so far. */
export type ProbeVerdict =
  | { kind: 'pending' }
  | { kind: 'close' }
  /** `backOff`: no probe succeeded, the host is still down: the cool-off doubles and the next episode sends one probe. */
  | { kind: 'reopen'; backOff: boolean };

/** How a host is, from its window: `calls` judged, `failures` of them failed. */
export function judgeWindow(calls: number, failures: number, rule: WindowRule): HostHealth {
  if (calls > 0 && calls >= rule.minCalls) {
    if (failures >= calls) return 'down';
    if (failures >= rule.failureRatio * calls - 1e-9 && binomialTail(calls, failures, rule.failureRatio) < DOWN_CONFIDENCE) return 'down';
  }
  return failures >= DEGRADED_FAILURES ? 'degraded' : 'healthy';
}

/**
 * For each number of judged calls n (0 to `windowCalls`), the fewest
 * failures that make the host down (`windowCalls + 1`: none do). What the
 * record script compares a window with.
 */
export function downThresholds(windowCalls: number, rule: WindowRule): number[] {
  const thresholds: number[] = [];
  for (let calls = 0; calls <= windowCalls; calls += 1) {
    let failures = 0;
    while (failures <= calls && judgeWindow(calls, failures, rule) !== 'down') failures += 1;
    thresholds.push(failures <= calls ? failures : windowCalls + 1);
  }
  return thresholds;
}

/** Failed probes that reopen an episode of `probes`: the fewest whose share reaches the ratio (at least one). */
export function failuresToReopen(probes: number, failureRatio: number): number {
  return Math.min(probes, Math.max(1, Math.ceil(failureRatio * probes - 1e-9)));
}

/**
 * A half-open episode of `rule.probes` probes, `succeeded` and `failed` of
 * them answered: it reopens as soon as enough failed to reach the ratio
 * whatever the others do, closes as soon as too few can, else waits.
 */
export function judgeProbes(succeeded: number, failed: number, rule: ProbeRule): ProbeVerdict {
  const reopenAt = failuresToReopen(rule.probes, rule.failureRatio);
  if (failed >= reopenAt) return { kind: 'reopen', backOff: succeeded === 0 };
  if (succeeded > rule.probes - reopenAt) return { kind: 'close' };
  return { kind: 'pending' };
}

/** How many probes the episode after a reopen lets through: one while the host is still down, else the full number. */
export function probesAfterReopen(backOff: boolean, probes: number): number {
  return backOff ? 1 : probes;
}

/** The chance that a host failing each call with probability `p` fails at least `failures` of `calls`. */
export function binomialTail(calls: number, failures: number, p: number): number {
  if (failures <= 0) return 1;
  if (failures > calls) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Sums the terms in log space: windows of up to a thousand calls.
  const logP = Math.log(p);
  const logQ = Math.log(1 - p);
  let logChoose = 0;
  for (let k = 1; k <= failures; k += 1) logChoose += Math.log(calls - failures + k) - Math.log(k);
  let sum = 0;
  for (let k = failures; k <= calls; k += 1) {
    sum += Math.exp(logChoose + k * logP + (calls - k) * logQ);
    logChoose += Math.log(calls - k) - Math.log(k + 1);
  }
  return Math.min(1, sum);
}
