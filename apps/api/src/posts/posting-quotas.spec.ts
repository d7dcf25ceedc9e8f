import { fullestWindow } from './posting-quotas';

const H = 3_600_000;

/** The same question answered by brute force: every window start in (t - W, t], in steps of 1 ms around each time. */
function bruteForce(existing: number[], added: number[], t: number, windowMs: number): number {
  const times = [...existing, ...added];
  const starts = new Set<number>([t]);
  for (const time of times) if (time <= t && time > t - windowMs) starts.add(time);
  let fullest = 0;
  for (const start of starts) fullest = Math.max(fullest, times.filter((time) => time >= start && time < start + windowMs).length);
  return fullest;
}

describe('fullestWindow', () => {
  it('counts the posts of the fullest window that holds the new time, not everything within a window either side', () => {
    // 5 posts 20 h before, 5 posts 20 h after: no 24 h window holds all ten and the new one at 0.
    const before = Array.from({ length: 5 }, (_, i) => -20 * H + i);
    const after = Array.from({ length: 5 }, (_, i) => 20 * H + i);
    expect(fullestWindow([...before, ...after], [], 0, 24 * H)).toBe(5);
    // Moved to 5 h after: the window starting at -20 h ends before them; the one starting at 0 holds them, not the earlier five.
    expect(fullestWindow([...before, ...after.map((time) => time - 15 * H)], [], 0, 24 * H)).toBe(5);
    // To 3 h after: the window starting at -20 h holds all ten (it ends at +4 h).
    expect(fullestWindow([...before, ...after.map((time) => time - 17 * H)], [], 0, 24 * H)).toBe(10);
    // Both sides within 24 h of one another: one window holds all ten.
    expect(fullestWindow([...before.map((time) => time + 10 * H), ...after.map((time) => time - 10 * H)], [], 0, 24 * H)).toBe(10);
  });

  it('counts the request\'s own earlier posts like stored ones, and a window end is exclusive', () => {
    expect(fullestWindow([-H], [H], 0, 24 * H)).toBe(2);
    expect(fullestWindow([-24 * H], [], 0, 24 * H)).toBe(0);
    expect(fullestWindow([24 * H], [], 0, 24 * H)).toBe(0);
    expect(fullestWindow([24 * H - 1], [], 0, 24 * H)).toBe(1);
  });

  it('agrees with brute force on random schedules', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run += 1) {
      const windowMs = (1 + Math.floor(random() * 24)) * H;
      const existing = Array.from({ length: Math.floor(random() * 40) }, () => Math.floor((random() - 0.5) * 4 * windowMs));
      const added = Array.from({ length: Math.floor(random() * 5) }, () => Math.floor((random() - 0.5) * 4 * windowMs));
      const t = Math.floor((random() - 0.5) * windowMs);
      expect(fullestWindow(existing, added, t, windowMs)).toBe(bruteForce(existing, added, t, windowMs));
    }
  });
});
