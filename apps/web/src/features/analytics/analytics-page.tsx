/**
 * Analytics (docs/analytics.md): what published posts earned in a range,
 * overall or on one channel — totals, engagements per period as a chart, the
 * posts sortable by each figure, and the hours that did best (on one
 * channel, offered as its posting schedule). Loaded when first opened.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { problemOf } from '../../api/problem';
import { channelName, channelsQuery } from '../channels/api';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { accountsQuery, analyticsQuery, bestTimesQuery, topPostsQuery, type AccountChannel, type AnalyticsRange, type AnalyticsView } from './api';
import { BestTimes } from './best-times';
import { FollowersTable } from './followers-table';
import { PeriodChart } from './period-chart';
import { TopPostsTable } from './top-posts-table';
import './analytics.css';

const RANGES = [7, 30, 90] as const;

export function AnalyticsPage() {
  const [range, setRange] = useState<AnalyticsRange>({ days: 30, groupBy: 'day' });
  const report = useQuery(analyticsQuery(range));
  const top = useQuery(topPostsQuery(range.days, range.channelId));
  const best = useQuery(bestTimesQuery(range.days, range.channelId));
  const accounts = useQuery(accountsQuery(range.days, range.channelId));
  const channels = useQuery(channelsQuery);
  const rangeId = useId();
  const groupId = useId();
  const channelId = useId();
  const channel = channels.data?.find((entry) => entry.id === range.channelId);
  const problem = report.error ?? top.error ?? best.error ?? accounts.error;
  const nameOf = (entry: AccountChannel) => {
    const known = channels.data?.find((candidate) => candidate.id === entry.channelId);
    return known ? channelName(known) : `${entry.network} ${entry.handle}`;
  };
  return (
    <Page title="Analytics">
      <p>What your published posts earned on each network, measured 1 hour, 1 day, 7 days and 30 days after publishing, and each channel's followers, read once a day.</p>
      <div className="analytics-controls">
        <label htmlFor={channelId}>Channel</label>
        <select id={channelId} value={range.channelId ?? ''} onChange={(event) => setRange((current) => ({ ...current, channelId: event.target.value || undefined }))}>
          <option value="">All channels</option>
          {(channels.data ?? []).map((entry) => (
            <option key={entry.id} value={entry.id}>
              {channelName(entry)}
            </option>
          ))}
        </select>
        <label htmlFor={rangeId}>Published in the last</label>
        <select id={rangeId} value={range.days} onChange={(event) => setRange((current) => ({ ...current, days: Number(event.target.value) }))}>
          {RANGES.map((days) => (
            <option key={days} value={days}>
              {days} days
            </option>
          ))}
        </select>
        <label htmlFor={groupId}>Per</label>
        <select id={groupId} value={range.groupBy} onChange={(event) => setRange((current) => ({ ...current, groupBy: event.target.value as AnalyticsRange['groupBy'] }))}>
          <option value="day">day</option>
          <option value="week">week</option>
          <option value="month">month</option>
        </select>
      </div>
      {problem ? <ProblemAlert problem={problemOf(problem)} /> : null}
      {report.isPending ? <p role="status">Loading…</p> : null}
      {report.data ? <Totals totals={report.data.totals} /> : null}
      {report.data ? (
        <section aria-labelledby="over-time-heading">
          <h2 id="over-time-heading">Over time</h2>
          {report.data.periods.length === 0 ? <p className="muted">Nothing measured in this range yet.</p> : <PeriodChart periods={report.data.periods} />}
        </section>
      ) : null}
      <section aria-labelledby="followers-heading">
        <h2 id="followers-heading">Followers</h2>
        {accounts.data ? <FollowersTable channels={accounts.data.channels} nameOf={nameOf} /> : null}
      </section>
      <section aria-labelledby="posts-heading">
        <h2 id="posts-heading">Posts</h2>
        {top.data ? <TopPostsTable entries={top.data.data} /> : null}
      </section>
      {best.data ? <BestTimes cells={best.data.cells} best={best.data.best} timezone={best.data.timezone} channel={channel} /> : null}
    </Page>
  );
}

function Totals({ totals }: { totals: AnalyticsView['totals'] }) {
  const stats: [string, string][] = [
    ['Posts', totals.posts.toLocaleString()],
    ['Impressions', totals.impressions.toLocaleString()],
    ['Engagements', totals.engagements.toLocaleString()],
    ['Engagement rate', totals.engagementRate === null ? '—' : `${(totals.engagementRate * 100).toFixed(1)} %`],
  ];
  return (
    <dl className="analytics-totals">
      {stats.map(([label, value]) => (
        <div key={label} className="card analytics-stat">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
