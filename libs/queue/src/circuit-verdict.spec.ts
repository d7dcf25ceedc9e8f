import { binomialTail, downThresholds, failuresToReopen, judgeProbes, judgeWindow, probesAfterReopen } from './circuit-verdict';

const DEFAULTS = { minCalls: 10, failureRatio: 0.6 };

describe('judgeWindow', () => {
  it('never calls a host down on fewer judged calls than minCalls, whatever failed', () => {
    expect(judgeWindow(9, 9, DEFAULTS)).toBe('degraded');
    expect(judgeWindow(1, 1, DEFAULTS)).toBe('healthy');
  });

  it('calls a host down once minCalls calls all failed', () => {
    expect(judgeWindow(10, 10, DEFAULTS)).toBe('down');
    expect(judgeWindow(5, 5, { minCalls: 5, failureRatio: 0.6 })).toBe('down');
  });

  it('takes a host failing about half its calls for degraded, not down, even at 12 to 16 failures in 20', () => {
    for (let failures = 2; failures <= 16; failures += 1) expect(judgeWindow(20, failures, DEFAULTS)).toBe('degraded');
  });

  it('calls a full window down when its failures are too many to come by chance from a host failing at the ratio', () => {
    expect(judgeWindow(20, 19, DEFAULTS)).toBe('down');
    expect(judgeWindow(20, 18, DEFAULTS)).toBe('degraded');
  });

  it('takes a single failure for noise', () => {
    expect(judgeWindow(20, 1, DEFAULTS)).toBe('healthy');
    expect(judgeWindow(20, 0, DEFAULTS)).toBe('healthy');
  });

  it('with a ratio of 1 calls down only a window whose every call failed', () => {
    expect(judgeWindow(20, 19, { minCalls: 10, failureRatio: 1 })).toBe('degraded');
    expect(judgeWindow(20, 20, { minCalls: 10, failureRatio: 1 })).toBe('down');
  });
});

describe('downThresholds', () => {
  it('lists, per number of judged calls, the fewest failures that make the host down', () => {
    const thresholds = downThresholds(20, DEFAULTS);
    expect(thresholds).toHaveLength(21);
    // Below minCalls: none.
    expect(thresholds.slice(0, 10)).toEqual(Array(10).fill(21));
    expect(thresholds[10]).toBe(10);
    expect(thresholds[20]).toBe(19);
    thresholds.forEach((threshold, calls) => {
      if (threshold > 20) return;
      expect(judgeWindow(calls, threshold, DEFAULTS)).toBe('down');
      expect(judgeWindow(calls, threshold - 1, DEFAULTS)).not.toBe('down');
    });
  });

  it('agrees with the outage settings: five failures of five open a window of ten', () => {
    const thresholds = downThresholds(10, { minCalls: 5, failureRatio: 0.6 });
    expect(thresholds[5]).toBe(5);
    expect(thresholds[10]).toBe(10);
  });
});

describe('judgeProbes', () => {
  const rule = { probes: 5, failureRatio: 0.6 };

  it('reopens as soon as the failed probes reach the ratio, backing off only when none succeeded', () => {
    expect(failuresToReopen(5, 0.6)).toBe(3);
    expect(judgeProbes(0, 3, rule)).toEqual({ kind: 'reopen', backOff: true });
    expect(judgeProbes(2, 3, rule)).toEqual({ kind: 'reopen', backOff: false });
  });

  it('closes as soon as the ratio cannot be reached', () => {
    expect(judgeProbes(3, 0, rule)).toEqual({ kind: 'close' });
    expect(judgeProbes(3, 2, rule)).toEqual({ kind: 'close' });
  });

  it('waits for more while the probes so far cannot decide', () => {
    expect(judgeProbes(0, 1, rule)).toEqual({ kind: 'pending' });
    expect(judgeProbes(1, 2, rule)).toEqual({ kind: 'pending' });
    expect(judgeProbes(2, 2, rule)).toEqual({ kind: 'pending' });
  });

  it('decides on one call when the episode has one probe', () => {
    expect(judgeProbes(1, 0, { probes: 1, failureRatio: 0.6 })).toEqual({ kind: 'close' });
    expect(judgeProbes(0, 1, { probes: 1, failureRatio: 0.6 })).toEqual({ kind: 'reopen', backOff: true });
  });

  it('lets one probe through after an episode in which none succeeded, all of them otherwise', () => {
    expect(probesAfterReopen(true, 5)).toBe(1);
    expect(probesAfterReopen(false, 5)).toBe(5);
  });

  it('reopens a host failing about half its calls only about half as often as one failing every call is reopened', () => {
    // Every ordering of five probe outcomes of a host failing half its calls, each as likely.
    let reopened = 0;
    let backedOff = 0;
    for (let outcomes = 0; outcomes < 32; outcomes += 1) {
      let succeeded = 0;
      let failed = 0;
      for (let bit = 0; bit < 5; bit += 1) {
        if ((outcomes >> bit) & 1) failed += 1;
        else succeeded += 1;
        const verdict = judgeProbes(succeeded, failed, rule);
        if (verdict.kind === 'pending') continue;
        if (verdict.kind === 'reopen') {
          reopened += 1;
          if (verdict.backOff) backedOff += 1;
        }
        break;
      }
    }
    expect(reopened).toBe(16);
    // The cool-off doubles only when the first three all failed: one in eight.
    expect(backedOff).toBe(4);
  });
});

describe('binomialTail', () => {
  it('is the chance of at least that many failures', () => {
    expect(binomialTail(1, 1, 0.5)).toBeCloseTo(0.5, 10);
    expect(binomialTail(2, 1, 0.5)).toBeCloseTo(0.75, 10);
    expect(binomialTail(20, 12, 0.5)).toBeCloseTo(0.2517223, 6);
    expect(binomialTail(10, 10, 0.6)).toBeCloseTo(0.6 ** 10, 10);
    expect(binomialTail(10, 0, 0.6)).toBe(1);
    expect(binomialTail(10, 11, 0.6)).toBe(0);
  });

  it('stays finite on a window of a thousand calls', () => {
    const tail = binomialTail(1000, 650, 0.6);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(0.001);
  });
});
