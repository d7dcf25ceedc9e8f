/** What contributors wrote and waits for approval, oldest first: each with what it asks, to approve or reject here. */
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from '@tanstack/react-router';
import { problemOf } from '../../api/problem';
import type { PostView } from '../../api/views';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { Time } from '../../ui/time';
import { useCan } from '../auth/session';
import { NETWORK_NAMES, channelName, channelsQuery } from '../channels/api';
import { postsQuery } from '../posts/api';
import { ReviewPost } from './review';

/** What the post asks for, in words: "at 2 Dec 2026, 09:00", "the next free slot", … */
export function askedWords(post: PostView): ReactNode {
  const schedule = post.schedule;
  if (!schedule) return 'no time yet';
  switch (schedule.mode) {
    case 'at': {
      const at = post.deliveries.find((delivery) => delivery.scheduledAt)?.scheduledAt;
      return at ? (
        <>
          at <Time iso={at} />
          {schedule.timezone ? ` (${schedule.timezone.replace(/_/g, ' ')})` : ''}
        </>
      ) : (
        `at ${schedule.localTime ?? schedule.at ?? ''}`
      );
    }
    case 'queue':
      return "each channel's next free posting time";
    case 'next':
      return "the front of each channel's queue";
    case 'now':
      return 'right away';
    case 'draft':
      return 'kept as a draft';
  }
}

export function ApprovalsPage() {
  const waiting = useQuery(postsQuery({ status: 'pending_approval' }));
  const channels = useQuery(channelsQuery);
  const canApprove = useCan('posts.approve');
  const posts = [...(waiting.data ?? [])].reverse();
  const [decided, setDecided] = useState('');
  return (
    <Page title="Approvals">
      <Decided words={decided} />
      {waiting.isError ? <ProblemAlert problem={problemOf(waiting.error)} /> : null}
      {waiting.isSuccess && posts.length === 0 ? <p className="muted">Nothing waits for approval.</p> : null}
      <ul className="plain">
        {posts.map((post) => (
          <li key={post.id} className="card stack approval" data-post-id={post.id}>
            <p className="post-text">
              <Link to="/posts/$postId" params={{ postId: post.id }}>
                {post.text || '(no text)'}
              </Link>
            </p>
            <p className="muted">
              By {post.createdBy?.name ?? 'someone'} · to{' '}
              {post.deliveries
                .map((delivery) => {
                  const channel = channels.data?.find((entry) => entry.id === delivery.channelId);
                  return channel ? channelName(channel) : NETWORK_NAMES[delivery.network];
                })
                .join(', ')}{' '}
              · asks {askedWords(post)}
            </p>
            {canApprove ? <ReviewPost post={post} onDecided={setDecided} /> : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}

/** What was just decided, said where it stays (the post leaves the list it was decided in). */
export function Decided({ words }: { words: string }) {
  return (
    <p className={words ? 'alert alert-ok' : 'visually-hidden'} role="status">
      {words}
    </p>
  );
}
