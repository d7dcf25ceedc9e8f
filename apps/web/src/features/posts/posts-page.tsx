/** The workspace's posts, what goes out next first, by status and tag (or those of one recurring series, `?series=`); each links to its detail with its tags. Read again as live.ts says. */
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { problemOf } from '../../api/problem';
import { SelectField } from '../../ui/field';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge } from '../../ui/status';
import { Time } from '../../ui/time';
import { useCan } from '../auth/session';
import { NETWORK_NAMES, channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import { OnboardingChecklist } from '../onboarding/checklist';
import { TagChips } from '../tags/tag-chips';
import { TagFilter } from '../tags/tag-filter';
import { postsQuery, type PostStatus } from './api';
import { byWhenTheyGo } from './post-order';

const FILTERS: { value: PostStatus | ''; label: string }[] = [
  { value: '', label: 'All posts' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'pending_approval', label: 'Waiting for approval' },
  { value: 'draft', label: 'Drafts' },
  { value: 'published', label: 'Published' },
  { value: 'failed', label: 'Failed' },
  { value: 'partially_published', label: 'Partly published' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'deleted', label: 'Unpublished' },
];

export function PostsPage() {
  const search = useSearch({ strict: false }) as { status?: PostStatus; tag?: string; series?: string };
  const navigate = useNavigate();
  const posts = useQuery(postsQuery({ status: search.status, tag: search.tag, ...(search.series ? { seriesId: search.series } : {}) }));
  const filtered = Boolean(search.status || search.tag || search.series);
  // Each filter changed keeps the others.
  const kept = (change: { status?: PostStatus; tag?: string; series?: string }) => {
    const next = { status: search.status, tag: search.tag, series: search.series, ...change };
    return Object.fromEntries(Object.entries(next).filter(([, value]) => value)) as { status?: PostStatus; tag?: string; series?: string };
  };
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
      <OnboardingChecklist />
      <div className="list-filters">
        <SelectField
          label="Show"
          value={search.status ?? ''}
          onChange={(event) => void navigate({ to: '/', search: kept({ status: (event.target.value || undefined) as PostStatus | undefined }) })}
        >
          {FILTERS.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </SelectField>
        <TagFilter value={search.tag} onChange={(tag) => void navigate({ to: '/', search: kept({ tag: tag || undefined }) })} />
      </div>
      {search.series ? (
        <p className="row wrap series-filter">
          <span>
            <span aria-hidden="true">↻ </span>The posts of one recurring series, each occurrence as it was made.
          </span>
          <Link to="/" search={kept({ series: undefined })} className="button small">
            Show every post
          </Link>
          <Link to="/series" className="button small">
            All series
          </Link>
        </p>
      ) : null}
      {posts.isError ? <ProblemAlert problem={problemOf(posts.error)} /> : null}
      {posts.isSuccess && posts.data.length === 0 ? (
        <div className="card empty-state">
          <p>{search.series ? 'No posts of this series with these filters yet: its occurrences are made ahead as their times come near.' : search.tag && search.status ? 'No posts with this status and tag.' : search.tag ? 'No posts with this tag.' : search.status ? 'No posts with this status.' : 'Nothing here yet: what you schedule shows up here, what goes out next first.'}</p>
          {canWrite && !filtered ? (
            <Link to="/compose" className="button primary">
              Write your first post
            </Link>
          ) : null}
        </div>
      ) : null}
      <ul className="post-list">
        {byWhenTheyGo(posts.data ?? []).map((post) => {
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
              <TagChips tags={post.tags} />
              <p className="post-item-meta">
                <span className="channel-names">
                  {post.deliveries.map((delivery) => {
                    const channel = channels.data?.find((entry) => entry.id === delivery.channelId);
                    return channel ? <ChannelBadge key={delivery.id} channel={channel} compact /> : <span key={delivery.id}>{NETWORK_NAMES[delivery.network]}</span>;
                  })}
                </span>
                {next ? (
                  <span className="muted">
                    <Time iso={next} />
                  </span>
                ) : null}
              </p>
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
