/**
 * One post: its text and files, and per channel the delivery's status, time,
 * the network's link, why it waits, and every attempt with the network's own
 * words, what a person reads when a post failed; retry, cancel and unpublish
 * (taking a published post down, after a confirmation naming the networks
 * and saying which cannot delete through their API). Read again
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
import { Decided, askedWords } from '../approvals/asked';
import { ReviewPost } from '../approvals/review';
import { useCan } from '../auth/session';
import { NETWORK_NAMES, channelName, channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import { postQuery } from './api';
import { LIVE_INTERVAL_MS, refreshInterval } from './live';
import { NETWORK_RULES, isNetwork } from '@herald/channels/rules/catalog';
import { errorWords, outcomeWords, retryable, unpublishable, waitingWords } from './plain-words';
import { ConfirmButton } from '../../ui/confirm-button';
import { PieceStatuses } from './thread-status';
import { NetworkOptionsShown } from './network-options-shown';
import { PostMetrics } from '../analytics/post-metrics';

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
        {current.parts && current.parts.length > 1 ? (
          <ol className="post-parts" aria-label={`Thread of ${current.parts.length} parts`}>
            {current.parts.map((part, index) => (
              <li key={index} className="post-part" data-part={index}>
                <span className="thread-part-number" aria-hidden="true">
                  {index + 1}
                </span>
                <div>
                  <p className="visually-hidden">Part {index + 1}</p>
                  <p className="post-text">{part.text || <span className="muted">(no text)</span>}</p>
                  {Object.entries(part.variants ?? {}).map(([channelId, text]) => {
                    const channel = channels.data?.find((entry) => entry.id === channelId);
                    return (
                      <div key={channelId} className="part-variant">
                        <h3>
                          Part {index + 1} for {channel ? channelName(channel) : 'a channel'}
                        </h3>
                        <p className="part-variant-text">{text}</p>
                      </div>
                    );
                  })}
                  {part.media.length > 0 ? <PostMediaList media={part.media} /> : null}
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p className="post-text">{current.text || <span className="muted">(no text)</span>}</p>
        )}
        {Object.entries(current.variants).map(([channelId, text]) => {
          const channel = channels.data?.find((entry) => entry.id === channelId);
          return (
            <div key={channelId}>
              <h3>For {channel ? channelName(channel) : 'a channel'}</h3>
              <p className="post-text">{text}</p>
            </div>
          );
        })}
        {current.media.length > 0 && !(current.parts && current.parts.length > 1) ? <PostMediaList media={current.media} /> : null}
        <NetworkOptionsShown options={current.networkOptions} channels={channels.data ?? []} />
        {current.firstComment ? (
          <div className="first-comment">
            <h3>First comment</h3>
            <p className="post-text">{current.firstComment.text}</p>
          </div>
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
      {current.deliveries.some((delivery) => delivery.publishedAt) ? (
        <PostMetrics
          postId={current.id}
          canRefresh={canWrite}
          nameOf={(metrics) => {
            const channel = channels.data?.find((entry) => entry.id === metrics.channelId);
            return channel ? channelName(channel) : NETWORK_NAMES[metrics.network as DeliveryView['network']];
          }}
        />
      ) : null}
    </Page>
  );
}

function PostMediaList({ media }: { media: PostView['media'] }) {
  return (
    <ul className="post-media">
      {media.map((item, index) => (
        <li key={item.mediaId ?? item.url ?? index}>
          {item.mediaId ? <MediaThumbnail mediaId={item.mediaId} alt={item.alt ?? ''} /> : <span>{item.url}</span>}
          <p className="muted">{item.alt ? `Alt text: ${item.alt}` : 'No alt text'}</p>
        </li>
      ))}
    </ul>
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
        <h3>
          {channel ? (
            <Link to="/channels/$channelId" params={{ channelId: channel.id }} className="plain-link">
              <ChannelBadge channel={channel} />
            </Link>
          ) : (
            name
          )}
        </h3>
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
          {dueWords(delivery.status, delivery.scheduledAt)} <Time iso={delivery.scheduledAt} />
        </p>
      ) : delivery.status === 'draft' ? (
        <p className="muted">A draft: not scheduled.</p>
      ) : null}
      {delivery.deletedAt ? (
        <p>
          Unpublished <Time iso={delivery.deletedAt} />: taken down from {NETWORK_NAMES[delivery.network]}.
        </p>
      ) : null}
      {delivery.unpublish?.status === 'pending' ? <p className="alert alert-warn">Being unpublished: Herald is deleting it from {NETWORK_NAMES[delivery.network]}.</p> : null}
      {delivery.unpublish?.status === 'failed' ? (
        <div className="alert alert-error">
          <p>Herald could not unpublish it from {NETWORK_NAMES[delivery.network]}; it is still there. Unpublish again to retry.</p>
          {delivery.unpublish.lastError?.message ? (
            <p>
              The network said: “{delivery.unpublish.lastError.message}” <span className="muted">({delivery.unpublish.lastError.code})</span>
            </p>
          ) : null}
        </div>
      ) : null}
      <PieceStatuses delivery={delivery} name={name} />
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
          <table className="attempts stacked">
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
                  <td data-label="#">{attempt.number}</td>
                  <td data-label="When">
                    <Time iso={attempt.startedAt} />
                  </td>
                  <td data-label="What happened">{outcomeWords(attempt)}</td>
                  <td data-label="The network said">
                    {attempt.errorMessage ?? '—'}
                    {attempt.errorCode ? <span className="muted"> ({attempt.errorCode})</span> : null}
                  </td>
                  <td data-label="HTTP">{attempt.httpStatus ?? '—'}</td>
                  <td data-label="Took">{attempt.latencyMs} ms</td>
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
  const unpublish = useMutation({ mutationFn: () => call(herald.POST('/v1/posts/{id}/unpublish', { params: { path: { id: post.id } }, body: {} })), onSuccess: settle });
  const canRetry = post.deliveries.some(retryable);
  const canCancel = post.deliveries.some((delivery) => delivery.status === 'scheduled' || delivery.status === 'draft' || delivery.status === 'pending_approval');
  const out = post.deliveries.filter(unpublishable);
  if (!canRetry && !canCancel && out.length === 0) return null;
  const error = retry.error ?? cancel.error ?? unpublish.error;
  const deletable = (network: string) => !isNetwork(network) || NETWORK_RULES[network].deletion.supported;
  const names = (deliveries: DeliveryView[]) => new Intl.ListFormat('en', { type: 'conjunction' }).format([...new Set(deliveries.map((delivery) => NETWORK_NAMES[delivery.network]))]);
  const kept = out.filter((delivery) => !deletable(delivery.network));
  const taken = out.filter((delivery) => deletable(delivery.network));
  // What the last unpublish could not do on a channel (a network that cannot delete, a disconnected channel), with why.
  const notTaken = (unpublish.data?.unpublish ?? []).filter((result) => result.result === 'unsupported' || result.result === 'channel_unavailable');
  return (
    <div className="stack">
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      {notTaken.length > 0 ? (
        <div className="alert alert-warn" role="status">
          {notTaken.map((result) => (
            <p key={result.channelId}>
              Not unpublished from {NETWORK_NAMES[result.network]}: {result.reason}
            </p>
          ))}
        </div>
      ) : null}
      <div className="row">
        {canRetry ? (
          <button type="button" className="button primary" onClick={() => retry.mutate()} disabled={retry.isPending}>
            Retry the failed channels
          </button>
        ) : null}
        {canCancel ? (
          <ConfirmButton label="Cancel post" title="Cancel this post?" description="What is not yet published will not go out." disabled={cancel.isPending} onConfirm={() => cancel.mutate()} />
        ) : null}
        {out.length > 0 && taken.length === 0 ? <p className="muted">{names(kept)} cannot delete a post through its API: delete it there by hand.</p> : null}
        {taken.length > 0 ? (
          <ConfirmButton
            label="Unpublish"
            title="Unpublish this post?"
            description={
              <>
                {`It is deleted from ${names(taken)}: every part of a thread, and a first comment with it. This cannot be undone.`}
                {kept.length > 0 ? ` ${names(kept)} cannot delete a post through its API: delete it there by hand.` : ''}
              </>
            }
            disabled={unpublish.isPending}
            onConfirm={() => unpublish.mutate()}
          />
        ) : null}
      </div>
    </div>
  );
}

/** "Goes out" for what will go, "Would go out" for a future time that waits (approval, a paused channel), "Was due" only for a past one. */
export function dueWords(status: string, scheduledAt: string, now = Date.now()): string {
  if (status === 'scheduled' || status === 'publishing') return 'Goes out';
  return new Date(scheduledAt).getTime() > now ? 'Would go out' : 'Was due';
}
