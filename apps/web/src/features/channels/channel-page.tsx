/** One channel: its status, time zone and posting times, its queue, and pausing, reconnecting or removing it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge } from '../../ui/status';
import { useCan } from '../auth/session';
import { channelName, channelQuery } from './api';
import { ConnectChannel } from './connect-channel';
import { PostingTimes } from './posting-times';
import { QueueList } from './queue-list';

export function ChannelPage() {
  const { channelId } = useParams({ from: '/app/channels/$channelId' });
  const channel = useQuery(channelQuery(channelId));
  const canManage = useCan('channels.manage');
  const canWrite = useCan('posts.write');
  if (channel.isError) {
    return (
      <Page title="Channel">
        <ProblemAlert problem={problemOf(channel.error)} />
      </Page>
    );
  }
  if (!channel.data) return <p role="status">Loading…</p>;
  const current = channel.data;
  return (
    <Page title={channelName(current)} actions={<StatusBadge status={current.status} />}>
      {current.host ? <p className="muted">On {current.host}</p> : null}
      {current.status === 'disconnected' ? (
        <>
          <p className="alert alert-error">Herald can no longer post to this account: the network refused its access. Its scheduled posts wait until you connect it again.</p>
          {canManage ? <ConnectChannel reconnect={current} /> : null}
        </>
      ) : null}
      <div className="columns">
        <PostingTimes channel={current} canEdit={canManage} />
        <QueueList channelId={current.id} canEdit={canWrite} />
      </div>
      {canManage ? <ChannelActions channel={current} /> : null}
    </Page>
  );
}

function ChannelActions({ channel }: { channel: ChannelView }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pause = useMutation({
    mutationFn: (status: 'active' | 'paused') => call(herald.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { status } })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['channels', channel.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => call(herald.DELETE('/v1/channels/{id}', { params: { path: { id: channel.id } } })),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['channels', channel.id] });
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
      await navigate({ to: '/channels' });
    },
  });
  const error = pause.error ?? remove.error;
  return (
    <section className="card stack" aria-labelledby="channel-actions-heading">
      <h2 id="channel-actions-heading">Manage</h2>
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      <div className="row">
        {channel.status === 'active' ? (
          <button type="button" className="button" onClick={() => pause.mutate('paused')} disabled={pause.isPending}>
            Pause posting
          </button>
        ) : channel.status === 'paused' ? (
          <button type="button" className="button" onClick={() => pause.mutate('active')} disabled={pause.isPending}>
            Resume posting
          </button>
        ) : null}
        <button
          type="button"
          className="button danger"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Remove ${channelName(channel)} from Herald? Its scheduled posts will not go out.`)) remove.mutate();
          }}
        >
          Remove channel
        </button>
      </div>
    </section>
  );
}
