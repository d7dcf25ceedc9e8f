import { AccountMetricsBook } from './account-metrics';

describe('AccountMetricsBook', () => {
  it('keeps figures set in the network\'s own names, per account, merged with earlier ones', () => {
    const book = new AccountMetricsBook();
    expect(book.put({ network: 'x', handle: 'Ada', metrics: { followers_count: 10, listed_count: 1 } })).toEqual({ network: 'x', handle: 'Ada', metrics: { followers_count: 10, listed_count: 1 } });
    expect(book.put({ network: 'x', handle: 'ada', metrics: { followers_count: 12 } })).toMatchObject({ metrics: { followers_count: 12, listed_count: 1 } });
    expect(book.of('x', 'ADA', 'followers_count')).toBe(12);
    expect(book.of('bluesky', 'ada', 'followersCount')).toBe(0);
    expect(book.of('x', 'ada', 'tweet_count', 4)).toBe(4);
    book.clear();
    expect(book.of('x', 'ada', 'followers_count')).toBe(0);
  });

  it('names each problem of a bad rule and keeps nothing of it', () => {
    const book = new AccountMetricsBook();
    expect(book.put([])).toEqual({ problems: ['body must be a JSON object'] });
    const answer = book.put({ network: 'x', handle: '', metrics: { followersCount: 1, followers_count: -1 } });
    expect('problems' in answer && answer.problems).toEqual([
      "handle must be the account's handle on the mock (a non-empty string)",
      "metrics.followersCount is not one of x's: followers_count, following_count, tweet_count, listed_count",
      'metrics.followers_count must be an integer from 0 to 1000000000000',
    ]);
    expect('problems' in book.put({ network: 'linkedin', handle: 'a', metrics: {} })).toBe(true);
    expect(book.of('x', '', 'followers_count')).toBe(0);
  });
});
