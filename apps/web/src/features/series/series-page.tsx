/**
 * Recurring series (GET /v1/series): each with its rule in words, its zone,
 * channels, tags and next occurrences; paused, resumed and deleted here
 * (deleting withdraws the occurrences not yet published; published ones stay
 * as posts). A new one is made from compose's "Repeat".
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import { ConfirmButton } from '../../ui/confirm-button';
import { Page } from '../../ui/page';
import { usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { formatDateTime, zoneName } from '../../ui/time';
import { useCan } from '../auth/session';
import { channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import { TagChips } from '../tags/tag-chips';
import { seriesListQuery, type SeriesView } from './api';
import { EditSeriesForm } from './edit-series-form';

const STATUS: Record<SeriesView['status'], { words: string; tone: string }> = {
  active: { words: 'Active', tone: 'ok' },
  paused: { words: 'Paused', tone: 'warn' },
  ended: { words: 'Ended', tone: 'muted' },
};

export function SeriesPage() {
  const series = useQuery(seriesListQuery);
  const canWrite = useCan('posts.publish');
  const { created } = useSearch({ strict: false }) as { created?: string };
  return (
    <Page
      title="Recurring series"
      actions={
        canWrite ? (
          <Link to="/compose" search={{ repeat: true }} className="button primary">
            New series
          </Link>
        ) : null
      }
    >
      <p className="page-intro muted">A post that goes out again and again on a rule, in its channel’s time zone. Its next posts are made two weeks ahead and show in the calendar and the posts list like any other.</p>
      {series.isError ? <ProblemAlert problem={problemOf(series.error)} /> : null}
      {series.isPending ? <div className="skeleton skeleton-card" /> : null}
      {series.isSuccess && series.data.length === 0 ? (
        <div className="card empty-state">
          <p>No recurring series yet. Pick “Repeat” under “When” in compose: a weekly tip, a monthly digest, a daily reminder.</p>
          {canWrite ? (
            <Link to="/compose" search={{ repeat: true }} className="button primary">
              Write a repeating post
            </Link>
          ) : null}
        </div>
      ) : null}
      <ul className="series-list">
        {(series.data ?? []).map((entry) => (
          <SeriesCard key={entry.id} series={entry} canWrite={canWrite} fresh={entry.id === created} />
        ))}
      </ul>
    </Page>
  );
}

function SeriesCard({ series, canWrite, fresh }: { series: SeriesView; canWrite: boolean; fresh: boolean }) {
  const queryClient = useQueryClient();
  const person = usePerson();
  const channels = useQuery(channelsQuery).data ?? [];
  const [said, setSaid] = useState('');
  const [editing, setEditing] = useState(false);
  const excerpt = series.text.length > 160 ? `${series.text.slice(0, 160)}…` : series.text;
  const act = useMutation({
    mutationFn: async (action: 'pause' | 'resume' | 'delete') => {
      if (action === 'delete') await call(herald.DELETE('/v1/series/{id}', { params: { path: { id: series.id } } }));
      else if (action === 'pause') await call(herald.POST('/v1/series/{id}/pause', { params: { path: { id: series.id } } }));
      else await call(herald.POST('/v1/series/{id}/resume', { params: { path: { id: series.id } } }));
      return action;
    },
    onSuccess: async (action) => {
      setSaid(action === 'pause' ? 'Paused: its coming posts are withdrawn.' : action === 'resume' ? 'Resumed from now.' : 'Deleted.');
      await queryClient.invalidateQueries({ queryKey: ['series'] });
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
    },
  });
  const status = STATUS[series.status];
  const zone = series.timezone;
  return (
    <li className={`card series-card${fresh ? ' fresh' : ''}`} aria-labelledby={`series-${series.id}`}>
      <div className="series-head">
        <div className="series-title">
          <span className="series-icon" aria-hidden="true">
            ↻
          </span>
          <h2 id={`series-${series.id}`} className="series-text">
            {excerpt || '(no text)'}
          </h2>
        </div>
        <span className={`badge badge-${status.tone}`}>{status.words}</span>
      </div>
      {fresh ? (
        <p className="alert alert-ok" role="status">
          Series created. Its first posts are made now, up to two weeks ahead.
        </p>
      ) : null}
      <p className="series-rule">
        <strong>{capitalised(series.summary)}</strong> <span className="muted">({zoneName(zone)} time)</span>
        {series.evergreen ? <span className="badge badge-info">Evergreen</span> : null}
      </p>
      <div className="series-meta">
        <span className="channel-names">
          {series.channelIds.map((id) => {
            const channel = channels.find((entry) => entry.id === id);
            return channel ? <ChannelBadge key={id} channel={channel} compact /> : null;
          })}
        </span>
        <TagChips tags={series.tags} />
      </div>
      {series.status !== 'ended' && series.nextOccurrences.length > 0 ? (
        <div className="series-next">
          <h3>{series.status === 'paused' ? 'Would go out next (when resumed)' : 'Next'}</h3>
          <ol>
            {series.nextOccurrences.slice(0, 3).map((at) => (
              <li key={at}>
                <time dateTime={at}>{formatDateTime(at, zone, person.locale)}</time>
                {zone !== person.timeZone ? <span className="muted"> · {formatDateTime(at, person.timeZone, person.locale, 'short')} your time</span> : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <p className="series-ends muted">
        {endWords(series, person.locale)}{' '}
        <Link to="/" search={{ series: series.id }}>
          Its posts<span className="visually-hidden"> (“{excerpt.slice(0, 40)}”)</span>
        </Link>
      </p>
      {editing ? (
        <EditSeriesForm
          series={series}
          onSaved={() => {
            setEditing(false);
            setSaid('Saved: its next posts follow the change.');
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      {act.error ? <ProblemAlert problem={problemOf(act.error)} /> : null}
      <p className={said.startsWith('Saved') ? 'muted' : 'visually-hidden'} role="status">
        {said}
      </p>
      {canWrite ? (
        <div className="row wrap series-actions">
          {series.status !== 'ended' && !editing ? (
            <button type="button" className="button small" onClick={() => setEditing(true)}>
              Edit<span className="visually-hidden"> “{excerpt.slice(0, 40)}”</span>
            </button>
          ) : null}
          {series.status === 'active' ? (
            <button type="button" className="button small" onClick={() => act.mutate('pause')} disabled={act.isPending}>
              Pause<span className="visually-hidden"> “{excerpt.slice(0, 40)}”</span>
            </button>
          ) : null}
          {series.status === 'paused' ? (
            <button type="button" className="button small" onClick={() => act.mutate('resume')} disabled={act.isPending}>
              Resume<span className="visually-hidden"> “{excerpt.slice(0, 40)}”</span>
            </button>
          ) : null}
          <ConfirmButton
            small
            label="Delete"
            hiddenSuffix={`“${excerpt.slice(0, 40)}”`}
            title="Delete this series?"
            description="Its coming posts are withdrawn; those already published stay."
            confirmLabel="Delete series"
            onConfirm={() => act.mutate('delete')}
            disabled={act.isPending}
          />
        </div>
      ) : null}
    </li>
  );
}

function capitalised(words: string): string {
  return words ? `${words[0]!.toUpperCase()}${words.slice(1)}` : words;
}

function endWords(series: SeriesView, locale: string): string {
  const started = new Date(series.startAt).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: series.timezone });
  if (series.count) return `Since ${started}, ${series.count} times in all.`;
  if (series.until) return `Since ${started}, until ${new Date(series.until).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: series.timezone })}.`;
  return `Since ${started}, with no end date.`;
}
