import { PublishQuotas, postsInLastDay, repliesInLastDay } from './quotas';
import { MockPost } from './store';

const T = Date.parse('2025-03-01T12:00:00.000Z');
const postAt = (ms: number) => ({ receivedAt: new Date(ms).toISOString() }) as MockPost;

describe('posting quotas', () => {
  it('count the posts of the last 24 hours (a rolling window)', () => {
    const day = 86_400_000;
    const posts = [postAt(T - day - 1), postAt(T - day), postAt(T - day + 1), postAt(T - 1000), postAt(T)];
    expect(postsInLastDay(posts, T)).toBe(3);
    expect(postsInLastDay(posts, T + day - 1)).toBe(1);
    expect(postsInLastDay(posts, T + day)).toBe(0);
    expect(postsInLastDay([], T)).toBe(0);
  });

  it("count Threads' replies of the last 24 hours apart from its posts", () => {
    const day = 86_400_000;
    const replyAt = (ms: number) => ({ ...postAt(ms), kind: 'reply' }) as MockPost;
    const posts = [replyAt(T - day), { ...postAt(T - 10), kind: 'post' } as MockPost, replyAt(T - day + 1), replyAt(T)];
    expect(repliesInLastDay(posts, T)).toBe(2);
    expect(repliesInLastDay(posts, T + day)).toBe(0);
  });

  it("take the account's own total, else the network's, else the network's default (Threads 250, Instagram 100)", () => {
    const quotas = new PublishQuotas();
    expect(quotas.totalFor('threads', 'ann')).toBe(250);
    expect(quotas.totalFor('instagram', 'ann')).toBe(100);
    quotas.set({ network: 'instagram', quotaTotal: 50 });
    quotas.set({ network: 'instagram', handle: 'ann', quotaTotal: 3 });
    quotas.set({ network: 'instagram', handle: 'ann', quotaTotal: 2 });
    expect(quotas.totalFor('instagram', 'ann')).toBe(2);
    expect(quotas.totalFor('instagram', 'bob')).toBe(50);
    expect(quotas.list()).toHaveLength(2);
    quotas.clear();
    expect(quotas.totalFor('instagram', 'ann')).toBe(100);
  });
});
