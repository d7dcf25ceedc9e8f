/**
 * Feeds (GET /v1/feeds): each followed feed with its channels, what it does
 * with a new item, how often it is read, when it was last read and last
 * changed, and, for one that keeps failing, the error that stopped it. Read
 * now, paused, resumed (a broken one too) and removed here; one is followed
 * with the form above the list.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { withoutIds } from '../../api/problem-words';
import { problemOf } from '../../api/problem';
import { ConfirmButton } from '../../ui/confirm-button';
import { Page } from '../../ui/page';
import { usePerson } from '../../ui/person';
import { ProblemAlert } from '../../ui/problem-alert';
import { relativeTime, Time } from '../../ui/time';
import { useCan } from '../auth/session';
import { channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import { AddFeedForm } from './add-feed-form';
import { EditFeedForm } from './edit-feed-form';
import { feedsQuery, intervalWords, modeWords, type FeedView } from './api';

const STATUS: Record<FeedView['status'], { words: string; tone: string }> = {
  active: { words: 'Active', tone: 'ok' },
  paused: { words: 'Paused', tone: 'muted' },
  broken: { words: 'Broken', tone: 'danger' },
};

export function FeedsPage() {
  const feeds = useQuery(feedsQuery);
  const canWrite = useCan('posts.write');
  const [added, setAdded] = useState<string | null>(null);
  return (
    <Page title="Feeds">
      <p className="page-intro muted">Follow a blog or a news site: each new item becomes a post to the channels you pick, read every few minutes and never twice.</p>
      {canWrite ? <AddFeedForm onAdded={(feed) => setAdded(feed.id)} /> : null}
      <h2 className="section-title">Followed feeds</h2>
      {feeds.isError ? <ProblemAlert problem={problemOf(feeds.error)} /> : null}
      {feeds.isPending ? <div className="skeleton skeleton-card" /> : null}
      {feeds.isSuccess && feeds.data.length === 0 ? (
        <div className="card empty-state">
          <p>No feeds yet. Add a feed’s address above and pick the channels its items go to.</p>
        </div>
      ) : null}
      <ul className="feed-list">
        {(feeds.data ?? []).map((feed) => (
          <FeedCard key={feed.id} feed={feed} canWrite={canWrite} fresh={feed.id === added} />
        ))}
      </ul>
    </Page>
  );
}

function FeedCard({ feed, canWrite, fresh }: { feed: FeedView; canWrite: boolean; fresh: boolean }) {
  const queryClient = useQueryClient();
  const person = usePerson();
  const channels = useQuery(channelsQuery).data ?? [];
  const [said, setSaid] = useState({ words: fresh ? 'Feed added: it is read now, then on its interval.' : '', failed: false });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['feeds'] });
    await queryClient.invalidateQueries({ queryKey: ['posts'] });
  };
  const poll = useMutation({
    mutationFn: () => call(herald.POST('/v1/feeds/{id}/poll', { params: { path: { id: feed.id } } })),
    onSuccess: async (result) => {
      const words =
        result.outcome === 'failed'
          ? 'Could not read the feed.'
          : result.outcome === 'not_modified'
            ? 'Nothing new since the last read.'
            : result.newItems === 0
              ? 'Read: nothing new.'
              : `${result.newItems} new ${result.newItems === 1 ? 'item' : 'items'}, ${result.postsCreated} ${result.postsCreated === 1 ? 'post' : 'posts'} made.`;
      setSaid({ words, failed: result.outcome === 'failed' });
      await refresh();
    },
  });
  const setStatus = useMutation({
    mutationFn: (status: 'active' | 'paused') => call(herald.PATCH('/v1/feeds/{id}', { params: { path: { id: feed.id } }, body: { status } })),
    onSuccess: async (updated) => {
      setSaid({ words: updated.status === 'paused' ? 'Paused: it is not read until resumed.' : 'Resumed: it is read again now.', failed: false });
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => call(herald.DELETE('/v1/feeds/{id}', { params: { path: { id: feed.id } } })),
    onSuccess: refresh,
  });
  const [editing, setEditing] = useState(false);
  const failure = poll.error ?? setStatus.error ?? remove.error;
  const status = STATUS[feed.status];
  const { host, path } = splitUrl(feed.url);
  return (
    <li className={`card feed-card status-${feed.status}`} aria-labelledby={`feed-${feed.id}`}>
      <div className="feed-head">
        <span className="feed-icon" aria-hidden="true">
          <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round">
            <path d="M5 11a8 8 0 0 1 8 8M5 5a14 14 0 0 1 14 14" />
            <circle cx="6" cy="18" r="1.6" fill="currentColor" stroke="none" />
          </svg>
        </span>
        <h3 id={`feed-${feed.id}`} className="feed-title">
          <span className="feed-host">{host}</span>
          <span className="feed-path">{path}</span>
        </h3>
        <span className={`badge badge-${status.tone}`}>{status.words}</span>
      </div>
      {feed.status === 'broken' || (feed.lastError && feed.failures > 0) ? (
        <div className={`alert ${feed.status === 'broken' ? 'alert-error' : 'alert-warn'}`}>
          <p className="alert-title">{feed.status === 'broken' ? `Stopped after ${feed.failures} failed reads in a row` : `The last read failed (${feed.failures} in a row)`}</p>
          <p>{withoutIds(feed.lastError ?? '')}</p>
          {feed.status === 'broken' && canWrite ? <p>Fix the feed’s address or server, then resume it.</p> : null}
        </div>
      ) : null}
      <dl className="feed-facts">
        <div>
          <dt>Posts to</dt>
          <dd className="channel-names">
            {feed.channelIds.map((id) => {
              const channel = channels.find((entry) => entry.id === id);
              return channel ? <ChannelBadge key={id} channel={channel} compact /> : null;
            })}
          </dd>
        </div>
        <div>
          <dt>Each new item</dt>
          <dd>
            {modeWords(feed.mode)} · <code>{feed.template}</code>
          </dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd>{intervalWords(feed.intervalMinutes).replace(/^E/, 'e')}</dd>
        </div>
        <div>
          <dt>Last read</dt>
          <dd>
            {feed.lastPolledAt ? (
              <>
                {relativeTime(feed.lastPolledAt, person.locale)} <span className="muted">(<Time iso={feed.lastPolledAt} />)</span>
              </>
            ) : (
              'Not yet'
            )}
          </dd>
        </div>
        <div>
          <dt>Last new content</dt>
          <dd>{feed.lastChangedAt ? relativeTime(feed.lastChangedAt, person.locale) : 'None yet'}</dd>
        </div>
        {feed.status === 'active' ? (
          <div>
            <dt>Next read</dt>
            <dd>{relativeTime(feed.nextPollAt, person.locale)}</dd>
          </div>
        ) : null}
      </dl>
      {editing ? (
        <EditFeedForm
          feed={feed}
          onSaved={() => {
            setEditing(false);
            setSaid({ words: 'Saved: new items follow the changes.', failed: false });
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      {failure ? <ProblemAlert problem={problemOf(failure)} /> : null}
      <p className={`feed-said${said.failed ? ' failed' : ''}`} role="status">
        {said.words}
      </p>
      {canWrite ? (
        <div className="row wrap feed-actions">
          {feed.status !== 'paused' ? (
            <button type="button" className="button small" onClick={() => poll.mutate()} disabled={poll.isPending}>
              {poll.isPending ? 'Reading…' : 'Read now'}
              <span className="visually-hidden"> {host}</span>
            </button>
          ) : null}
          {feed.status === 'active' ? (
            <button type="button" className="button small" onClick={() => setStatus.mutate('paused')} disabled={setStatus.isPending}>
              Pause<span className="visually-hidden"> {host}</span>
            </button>
          ) : (
            <button type="button" className="button small" onClick={() => setStatus.mutate('active')} disabled={setStatus.isPending}>
              Resume<span className="visually-hidden"> {host}</span>
            </button>
          )}
          {!editing ? (
            <button type="button" className="button small" onClick={() => setEditing(true)}>
              Edit<span className="visually-hidden"> {host}</span>
            </button>
          ) : null}
          <ConfirmButton
            small
            label="Remove"
            hiddenSuffix={host}
            title="Stop following this feed?"
            description="No new posts are made from it. The posts it made stay."
            confirmLabel="Remove feed"
            onConfirm={() => remove.mutate()}
            disabled={remove.isPending}
          />
        </div>
      ) : null}
    </li>
  );
}

function splitUrl(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: `${parsed.pathname}${parsed.search}` };
  } catch {
    return { host: url, path: '' };
  }
}
