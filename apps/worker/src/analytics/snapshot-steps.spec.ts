import { kindOf, stepAfter, tooLittleLeft } from './snapshot-steps';

const HOUR = 3_600_000;
const published = new Date('2026-12-01T10:00:00Z');
const intervals = [HOUR, 24 * HOUR, 7 * 24 * HOUR];
const at = (ms: number) => published.getTime() + ms;

describe('stepAfter', () => {
  it('moves to the next scheduled snapshot once one is taken on time', () => {
    expect(stepAfter(published, intervals, 0, at(HOUR + 5))).toEqual({ step: 1, nextAt: new Date(at(24 * HOUR)), ended: null });
  });

  it('serves every scheduled time that has come with one snapshot (a worker that was down takes one, not several)', () => {
    expect(stepAfter(published, intervals, 0, at(30 * HOUR))).toEqual({ step: 2, nextAt: new Date(at(7 * 24 * HOUR)), ended: null });
  });

  it('keeps the schedule as it was after a refresh taken before the next time', () => {
    expect(stepAfter(published, intervals, 1, at(2 * HOUR))).toEqual({ step: 1, nextAt: new Date(at(24 * HOUR)), ended: null });
  });

  it('ends the schedule after the last snapshot', () => {
    expect(stepAfter(published, intervals, 2, at(8 * 24 * HOUR))).toEqual({ step: 3, nextAt: null, ended: 'done' });
    expect(stepAfter(published, [], 0, at(0))).toEqual({ step: 0, nextAt: null, ended: 'done' });
  });
});

describe('kindOf', () => {
  it('is scheduled when the next time has come, else a refresh', () => {
    expect(kindOf(new Date(at(HOUR)), at(HOUR))).toBe('scheduled');
    expect(kindOf(new Date(at(HOUR)), at(HOUR - 1))).toBe('refresh');
    expect(kindOf(null, at(HOUR))).toBe('refresh');
  });
});

describe('tooLittleLeft', () => {
  it('leaves a fifth of a budget to publishing', () => {
    expect(tooLittleLeft({ remaining: 60, limit: 300 })).toBe(false);
    expect(tooLittleLeft({ remaining: 59, limit: 300 })).toBe(true);
    expect(tooLittleLeft({ remaining: 0 })).toBe(true);
    expect(tooLittleLeft({ remaining: 1 })).toBe(false);
  });
});
