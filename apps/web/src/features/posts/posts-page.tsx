/** The workspace's posts, newest first, by status; each links to its detail. Read again as live.ts says. */
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { problemOf } from '../../api/problem';
import { SelectField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge } from '../../ui/status';
import { Time } from '../../ui/time';
import { useCan } from '../auth/session';
import { NETWORK_NAMES, channelName, channelsQuery } from '../channels/api';
import { postsQuery, type PostStatus } from './api';

const FILTERS: { value: PostStatus | ''; label: string }[] = [
  { value: '', label: 'All posts' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'pending_approval', label: 'Waiting for approval' },
  { value: 'draft', label: 'Drafts' },
  { value: 'published', label: 'Published' },
  { value: 'failed', label: 'Failed' },
  { value: 'partially_published', label: 'Partly published' },
  { value: 'cancelled', label: 'Cancelled' },
];

export function PostsPage() {
  const search = useSearch({ strict: false }) as { status?: PostStatus };
  const navigate = useNavigate();
  const posts = useQuery(postsQuery({ status: search.status }));
  const channels = useQuery(channelsQuery);
  const canWrite = useCan('posts.write');
  return (
    <Page
      title="Posts"
      actions={
        canWrite ? (
          <Link to="/compose" className="button primary">
            New post
          </Link>
        ) : null
      }
    >
      <SelectField
        label="Show"
        value={search.status ?? ''}
        onChange={(event) => void navigate({ to: '/', search: event.target.value ? { status: event.target.value as PostStatus } : {} })}
      >
        {FILTERS.map((filter) => (
          <option key={filter.value} value={filter.value}>
            {filter.label}
          </option>
        ))}
      </SelectField>
      {posts.isError ? <ProblemAlert problem={problemOf(posts.error)} /> : null}
      {posts.isSuccess && posts.data.length === 0 ? <p className="muted">No posts here yet.</p> : null}
      <ul className="post-list">
        {(posts.data ?? []).map((post) => {
          const next = post.deliveries
            .map((delivery) => delivery.publishedAt ?? delivery.scheduledAt)
            .filter((time): time is string => time !== null)
            .sort()[0];
          return (
            <li key={post.id} className="card post-item">
              <div className="row spread">
                <Link to="/posts/$postId" params={{ postId: post.id }} className="post-item-text">
                  {post.text ? (post.text.length > 140 ? `${post.text.slice(0, 140)}…` : post.text) : '(no text)'}
                </Link>
                <StatusBadge status={post.status} />
              </div>
              <p className="muted">
                {post.deliveries
                  .map((delivery) => {
                    const channel = channels.data?.find((entry) => entry.id === delivery.channelId);
                    return channel ? channelName(channel) : NETWORK_NAMES[delivery.network];
                  })
                  .join(', ')}
                {next ? (
                  <>
                    {' · '}
                    <Time iso={next} />
                  </>
                ) : null}
              </p>
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
