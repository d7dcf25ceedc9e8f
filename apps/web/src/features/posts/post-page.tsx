/**
 * One post: its text and files, and per channel the delivery's status, time,
 * the network's link, why it waits, and every attempt with the network's own
 * words, what a person reads when a post failed; retry and cancel. Read again
 * every 2 s while something is about to happen (live.ts), so a post is seen
 * going from scheduled to published without reloading.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { Suspense, lazy, useState } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import type { ChannelView, DeliveryView, PostView } from '../../api/views';
import { MediaThumbnail } from '../../ui/media-thumbnail';
import { Page } from '../../ui/page';
import { ScrollTable } from '../../ui/scroll-table';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge, statusWords } from '../../ui/status';
import { Time } from '../../ui/time';
import { Decided, askedWords } from '../approvals/approvals-page';
import { ReviewPost } from '../approvals/review';
import { useCan } from '../auth/session';
import { NETWORK_NAMES, channelName, channelsQuery } from '../channels/api';
import { postQuery } from './api';
import { LIVE_INTERVAL_MS, refreshInterval } from './live';
import { errorWords, outcomeWords, retryable, waitingWords } from './plain-words';

// The editor brings the content rules (and twitter-text) that Compose loads: loaded when a post that can be edited opens, not with the app.
const EditPost = lazy(() => import('./post-editor').then((module) => ({ default: module.EditPost })));

export function PostPage() {
  const { postId } = useParams({ from: '/app/posts/$postId' });
  const post = useQuery(postQuery(postId));
  const channels = useQuery(channelsQuery);
  const canWrite = useCan('posts.write');
  const canApprove = useCan('posts.approve');
  const announcement = statusAnnouncement(post.data, channels.data);
  const [decided, setDecided] = useState('');
  if (post.isError) {
    return (
      <Page title="Post">
        <ProblemAlert problem={problemOf(post.error)} />
      </Page>
    );
  }
  if (!post.data) return <p role="status">Loading…</p>;
  const current = post.data;
  const channelOf = (delivery: DeliveryView) => channels.data?.find((channel) => channel.id === delivery.channelId);
  const live = refreshInterval(current.deliveries) === LIVE_INTERVAL_MS;
  return (
    <Page title="Post" actions={<StatusBadge status={current.status} />}>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <section className="card stack" aria-labelledby="post-content-heading">
        <h2 id="post-content-heading">Content</h2>
        <p className="post-text">{current.text || <span className="muted">(no text)</span>}</p>
        {Object.entries(current.variants).map(([channelId, text]) => {
          const channel = channels.data?.find((entry) => entry.id === channelId);
          return (
            <div key={channelId}>
              <h3>For {channel ? channelName(channel) : 'a channel'}</h3>
              <p className="post-text">{text}</p>
            </div>
          );
        })}
        {current.media.length > 0 ? (
          <ul className="post-media">
            {current.media.map((item, index) => (
              <li key={item.mediaId ?? item.url ?? index}>
                {item.mediaId ? <MediaThumbnail mediaId={item.mediaId} alt={item.alt ?? ''} /> : <span>{item.url}</span>}
                <p className="muted">{item.alt ? `Alt text: ${item.alt}` : 'No alt text'}</p>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="muted">
          Created <Time iso={current.createdAt} />
          {live ? ' · updating every 2 seconds' : ''}
        </p>
      </section>
      {current.status === 'pending_approval' ? (
        <section className="card stack" aria-labelledby="approval-heading">
          <h2 id="approval-heading">Waiting for approval</h2>
          <p>
            {current.createdBy?.name ?? 'A contributor'} asked for it to go out {askedWords(current)}. Nothing is published until an owner, admin or editor approves it.
          </p>
          {canApprove ? <ReviewPost post={current} onDecided={setDecided} /> : null}
        </section>
      ) : null}
      <Decided words={decided} />
      {current.review?.state === 'rejected' ? (
        <div className="alert alert-warn">
          <p className="alert-title">Rejected by {current.review.by?.name ?? 'a reviewer'}</p>
          {current.review.note ? <p>“{current.review.note}”</p> : null}
          <p>It is a draft: edit it and schedule it again to submit it once more.</p>
        </div>
      ) : null}
      {current.review?.state === 'approved' && current.approvedBy ? (
        <p className="muted">
          Approved by {current.approvedBy.name ?? 'a reviewer'} <Time iso={current.approvedAt} />
        </p>
      ) : null}
      {canWrite ? (
        <Suspense fallback={null}>
          <EditPost key={current.id} post={current} />
        </Suspense>
      ) : null}
      {canWrite ? <PostActions post={current} /> : null}
      <section aria-labelledby="deliveries-heading" className="stack">
        <h2 id="deliveries-heading">Channels</h2>
        {current.deliveries.map((delivery) => (
          <DeliveryCard key={delivery.id} delivery={delivery} channel={channelOf(delivery)} />
        ))}
      </section>
    </Page>
  );
}

/** Each channel's status in words, in a live region: a screen reader says it when it changes (not when the page opens). */
function statusAnnouncement(post: PostView | undefined, channels: ChannelView[] | undefined): string {
  if (!post) return '';
  return post.deliveries
    .map((delivery) => {
      const channel = channels?.find((entry) => entry.id === delivery.channelId);
      return `${channel ? channelName(channel) : NETWORK_NAMES[delivery.network]}: ${statusWords(delivery.status)}`;
    })
    .join('; ');
}

function DeliveryCard({ delivery, channel }: { delivery: DeliveryView; channel: ChannelView | undefined }) {
  const name = channel ? channelName(channel) : NETWORK_NAMES[delivery.network];
  return (
    <article className="card delivery" aria-label={`${name}: ${statusWords(delivery.status)}`} data-delivery-id={delivery.id} data-status={delivery.status}>
      <div className="row spread">
        <h3>{channel ? <Link to="/channels/$channelId" params={{ channelId: channel.id }}>{name}</Link> : name}</h3>
        <StatusBadge status={delivery.status} />
      </div>
      {delivery.publishedAt ? (
        <p>
          Published <Time iso={delivery.publishedAt} />
          {delivery.externalUrl ? (
            <>
              {' · '}
              <a href={delivery.externalUrl} target="_blank" rel="noreferrer noopener">
                View on {NETWORK_NAMES[delivery.network]}
              </a>
            </>
          ) : null}
        </p>
      ) : delivery.scheduledAt ? (
        <p>
          {delivery.status === 'scheduled' || delivery.status === 'publishing' ? 'Goes out' : 'Was due'} <Time iso={delivery.scheduledAt} />
        </p>
      ) : delivery.status === 'draft' ? (
        <p className="muted">A draft: not scheduled.</p>
      ) : null}
      {delivery.waitingFor ? <p className="alert alert-warn">{waitingWords(delivery.waitingFor)}</p> : null}
      {delivery.lastError && delivery.status !== 'published' ? (
        <div className={`alert ${delivery.status === 'failed' ? 'alert-error' : 'alert-warn'}`}>
          <p>{errorWords(delivery.lastError.code) ?? 'The network refused the post.'}</p>
          {delivery.lastError.message ? (
            <p>
              The network said: “{delivery.lastError.message}” <span className="muted">({delivery.lastError.code})</span>
            </p>
          ) : (
            <p className="muted">Code: {delivery.lastError.code}</p>
          )}
        </div>
      ) : null}
      {delivery.attempts && delivery.attempts.length > 0 ? (
        <ScrollTable label={`Attempts on ${name}`}>
          <table className="attempts">
            <caption>Attempts ({delivery.attempts.length})</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">The network said</th>
                <th scope="col">HTTP</th>
                <th scope="col">Took</th>
              </tr>
            </thead>
            <tbody>
              {delivery.attempts.map((attempt) => (
                <tr key={attempt.number}>
                  <td>{attempt.number}</td>
                  <td>
                    <Time iso={attempt.startedAt} />
                  </td>
                  <td>{outcomeWords(attempt)}</td>
                  <td>
                    {attempt.errorMessage ?? '—'}
                    {attempt.errorCode ? <span className="muted"> ({attempt.errorCode})</span> : null}
                  </td>
                  <td>{attempt.httpStatus ?? '—'}</td>
                  <td>{attempt.latencyMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </article>
  );
}

function PostActions({ post }: { post: PostView }) {
  const queryClient = useQueryClient();
  const settle = async (saved: PostView | undefined) => {
    if (saved) queryClient.setQueryData(['posts', post.id], saved);
    await queryClient.invalidateQueries({ queryKey: ['posts'] });
  };
  const retry = useMutation({ mutationFn: () => call(herald.POST('/v1/posts/{id}/retry', { params: { path: { id: post.id } } })), onSuccess: settle });
  const cancel = useMutation({ mutationFn: () => call(herald.DELETE('/v1/posts/{id}', { params: { path: { id: post.id } } })), onSuccess: settle });
  const canRetry = post.deliveries.some(retryable);
  const canCancel = post.deliveries.some((delivery) => delivery.status === 'scheduled' || delivery.status === 'draft' || delivery.status === 'pending_approval');
  if (!canRetry && !canCancel) return null;
  const error = retry.error ?? cancel.error;
  return (
    <div className="stack">
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      <div className="row">
        {canRetry ? (
          <button type="button" className="button primary" onClick={() => retry.mutate()} disabled={retry.isPending}>
            Retry the failed channels
          </button>
        ) : null}
        {canCancel ? (
          <button
            type="button"
            className="button danger"
            disabled={cancel.isPending}
            onClick={() => {
              if (window.confirm('Cancel this post? What is not yet published will not go out.')) cancel.mutate();
            }}
          >
            Cancel post
          </button>
        ) : null}
      </div>
    </div>
  );
}
