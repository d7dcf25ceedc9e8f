/**
 * A published post's metrics on its page (docs/analytics.md): per channel the
 * latest figures its network reported, when they were read and when they are
 * read next, every snapshot in a table (history, not only the latest), and
 * "Read the figures now" (at most once a minute, the API's 429 said in its words).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/problem-alert';
import { ScrollTable } from '../../ui/scroll-table';
import { Time } from '../../ui/time';
import { postMetricsQuery, type DeliveryMetrics, type MetricFigures } from './api';
import './analytics.css';

/** The shared figures in the order they are shown, with their names for people. */
const FIGURES: [keyof MetricFigures, string][] = [
  ['impressions', 'Impressions'],
  ['likes', 'Likes'],
  ['reposts', 'Reposts'],
  ['replies', 'Replies'],
  ['quotes', 'Quotes'],
  ['bookmarks', 'Bookmarks'],
  ['clicks', 'Clicks'],
  ['saves', 'Saves'],
  ['shares', 'Shares'],
  ['videoViews', 'Video views'],
];

export function PostMetrics({ postId, nameOf, canRefresh }: { postId: string; nameOf: (delivery: DeliveryMetrics) => string; canRefresh: boolean }) {
  const queryClient = useQueryClient();
  const metrics = useQuery(postMetricsQuery(postId));
  const refresh = useMutation({
    mutationFn: () => call(herald.POST('/v1/posts/{id}/metrics/refresh', { params: { path: { id: postId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['analytics', 'post', postId] }),
  });
  const deliveries = metrics.data?.deliveries ?? [];
  if (deliveries.length === 0) return null;
  const pending = deliveries.some((delivery) => delivery.refreshPending);
  return (
    <section className="stack" aria-labelledby="post-metrics-heading">
      <div className="row spread wrap">
        <h2 id="post-metrics-heading">Metrics</h2>
        {canRefresh ? (
          <button type="button" className="button small" onClick={() => refresh.mutate()} disabled={refresh.isPending || pending}>
            {pending ? 'Reading the figures…' : 'Read the figures now'}
          </button>
        ) : null}
      </div>
      {refresh.error ? <ProblemAlert problem={problemOf(refresh.error)} /> : null}
      {deliveries.map((delivery) => (
        <DeliveryFigures key={delivery.deliveryId} delivery={delivery} name={nameOf(delivery)} />
      ))}
    </section>
  );
}

function DeliveryFigures({ delivery, name }: { delivery: DeliveryMetrics; name: string }) {
  const latest = delivery.latest;
  // Only what the network reports: a figure it does not give is left out, never shown as 0.
  const shown = FIGURES.filter(([key]) => delivery.snapshots.some((snapshot) => snapshot.figures[key] !== null));
  return (
    <article className="card stack post-metrics" aria-label={`Metrics on ${name}`} data-delivery-id={delivery.deliveryId}>
      <h3>{name}</h3>
      {latest ? (
        <dl className="analytics-totals post-metrics-latest">
          {shown.map(([key, label]) => (
            <div key={key} className="analytics-stat">
              <dt>{label}</dt>
              <dd>{figure(latest.figures[key])}</dd>
            </div>
          ))}
          <div className="analytics-stat">
            <dt>Engagements</dt>
            <dd>{latest.engagements.toLocaleString()}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">Not measured yet.</p>
      )}
      <p className="muted">
        {latest ? (
          <>
            Read <Time iso={latest.takenAt} />.{' '}
          </>
        ) : null}
        {delivery.ended === 'deleted' ? `Deleted on the network: no more readings.` : delivery.ended === 'done' ? 'Every scheduled reading is taken.' : null}
        {delivery.nextSnapshotAt ? (
          <>
            Next reading <Time iso={delivery.nextSnapshotAt} />.
          </>
        ) : null}
      </p>
      {delivery.snapshots.length > 0 ? (
        <ScrollTable label={`Readings on ${name}`}>
          <table className="analytics-posts stacked">
            <caption>Readings ({delivery.snapshots.length})</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                {shown.map(([key, label]) => (
                  <th key={key} scope="col">
                    {label}
                  </th>
                ))}
                <th scope="col">Engagements</th>
              </tr>
            </thead>
            <tbody>
              {[...delivery.snapshots].reverse().map((snapshot) => (
                <tr key={snapshot.takenAt}>
                  <td data-label="When" className="analytics-wide">
                    <Time iso={snapshot.takenAt} />
                    {snapshot.kind === 'refresh' ? <span className="muted"> (on demand)</span> : null}
                  </td>
                  {shown.map(([key, label]) => (
                    <td key={key} data-label={label}>
                      {figure(snapshot.figures[key])}
                    </td>
                  ))}
                  <td data-label="Engagements">{snapshot.engagements.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </article>
  );
}

function figure(value: number | null): string {
  return value === null ? '—' : value.toLocaleString();
}
