import { FigureSet, LatestFigures, bestTimes, byChannel, byPeriod, topOf, totalsOf } from './aggregate';
import { toCsv } from './csv';

const none: FigureSet = { impressions: null, likes: null, reposts: null, replies: null, quotes: null, bookmarks: null, clicks: null, saves: null, shares: null, videoViews: null };

function row(id: string, publishedAt: string, figures: Partial<FigureSet>, engagements: number, channel = 'c1', zone = 'UTC'): LatestFigures {
  return { deliveryId: id, postId: `p-${id}`, channelId: channel, network: 'x', channelTimezone: zone, publishedAt: new Date(publishedAt), figures: { ...none, ...figures }, engagements };
}

const rows = [
  row('a', '2026-12-01T09:00:00Z', { impressions: 1000, likes: 40, reposts: 10 }, 50),
  row('b', '2026-12-01T22:30:00Z', { likes: 5, replies: 1 }, 6, 'c2', 'America/New_York'),
  row('c', '2026-12-08T09:10:00Z', { impressions: 100, likes: 4 }, 4),
];

describe('analytics aggregates', () => {
  it('sums the latest figures and rates engagements only where impressions are given', () => {
    expect(totalsOf(rows)).toEqual({ posts: 3, deliveries: 3, impressions: 1100, engagements: 60, engagementRate: 0.0491, likes: 49, reposts: 10, replies: 1 });
    expect(totalsOf([rows[1]!]).engagementRate).toBeNull();
  });

  it('groups by day and by week in the zone asked for', () => {
    expect(byPeriod(rows, 'day', 'UTC').map((period) => [period.period, period.deliveries])).toEqual([['2026-12-01', 2], ['2026-12-08', 1]]);
    // 22:30 UTC on the 1st is the 2nd in Tokyo.
    expect(byPeriod(rows, 'day', 'Asia/Tokyo').map((period) => period.period)).toEqual(['2026-12-01', '2026-12-02', '2026-12-08']);
    expect(byPeriod(rows, 'week', 'UTC').map((period) => [period.period, period.engagements])).toEqual([['2026-11-30', 56], ['2026-12-07', 4]]);
    expect(byPeriod(rows, 'month', 'UTC')).toHaveLength(1);
  });

  it('totals per channel, most engaging first', () => {
    expect(byChannel(rows).map((channel) => [channel.channelId, channel.engagements])).toEqual([['c1', 54], ['c2', 6]]);
  });

  it('ranks by a figure, with the figure a network does not give last', () => {
    expect(topOf(rows, 'impressions', 3).map((entry) => entry.deliveryId)).toEqual(['a', 'c', 'b']);
    expect(topOf(rows, 'engagements', 1).map((entry) => entry.deliveryId)).toEqual(['a']);
  });

  it('places each post in its own channel\'s hour of the week and names the best slots', () => {
    const { cells, best } = bestTimes(rows);
    // Tuesday 1 Dec 2026 09:00 UTC twice (a, c on the 8th), and 17:30 in New York for b.
    expect(cells).toEqual([
      { weekday: 2, hour: 9, posts: 2, engagements: 54, average: 27 },
      { weekday: 2, hour: 17, posts: 1, engagements: 6, average: 6 },
    ]);
    expect(best[0]).toEqual({ weekday: 2, hour: 9, posts: 2, engagements: 54, average: 27, confidence: 'low' });
  });
});

describe('toCsv', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x, "y"', b: 3 }, { a: '=SUM(A1)', b: null }])).toBe('a,b\r\n"x, ""y""",3\r\n\'=SUM(A1),\r\n');
  });
});
