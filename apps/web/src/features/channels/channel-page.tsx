/** One channel: its status, time zone and posting times, its queue, and pausing, reconnecting or removing it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { Tabs } from 'radix-ui';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge } from '../../ui/status';
import { useCan } from '../auth/session';
import { slotSummary } from './slot-groups';
import { ZoneNote } from '../../ui/time';
import { channelName, channelQuery } from './api';
import { ChannelBadge } from './channel-badge';
import { ConnectChannel } from './connect-channel';
import { EvergreenSettings } from './evergreen-settings';
import { LinksSettings } from './links-settings';
import { NetworkDefaults } from './network-defaults';
import { PostingTimes } from './posting-times';
import { QueueList } from './queue-list';
import { ConfirmButton } from '../../ui/confirm-button';

export function ChannelPage() {
  const { channelId } = useParams({ from: '/app/channels/$channelId' });
  const channel = useQuery(channelQuery(channelId));
  const canManage = useCan('channels.manage');
  const canWrite = useCan('posts.write');
  const search = useSearch({ from: '/app/channels/$channelId' });
  const navigate = useNavigate();
  if (channel.isError) {
    return (
      <Page title="Channel">
        <ProblemAlert problem={problemOf(channel.error)} />
      </Page>
    );
  }
  if (!channel.data) return <p role="status">Loading…</p>;
  const current = channel.data;
  const tab = search.tab ?? 'queue';
  return (
    <Page title={channelName(current)} actions={<StatusBadge status={current.status} />}>
      <div className="card channel-row">
        <ChannelBadge channel={current} />
        <p className="muted" style={{ margin: 0 }}>
          {slotSummary(current.postingSchedule.slots)}
          <ZoneNote zone={current.timezone} />
        </p>
      </div>
      {current.status === 'disconnected' ? (
        <>
          <p className="alert alert-error">Herald can no longer post to this account: the network refused its access. Its scheduled posts wait until you connect it again.</p>
          {canManage ? <ConnectChannel reconnect={current} /> : null}
        </>
      ) : null}
      {/* The queue first: its settings are a tab away, not a long form above it. */}
      <Tabs.Root value={tab} onValueChange={(value) => void navigate({ to: '.', search: value === 'queue' ? {} : { tab: value as 'times' | 'settings' }, replace: true })}>
        <Tabs.List className="tabs-list" aria-label="Channel">
          <Tabs.Trigger value="queue" className="tab">
            Queue
          </Tabs.Trigger>
          <Tabs.Trigger value="times" className="tab">
            Posting times
          </Tabs.Trigger>
          {canManage ? (
            <Tabs.Trigger value="settings" className="tab">
              Settings
            </Tabs.Trigger>
          ) : null}
        </Tabs.List>
        <Tabs.Content value="queue">
          <QueueList channelId={current.id} canEdit={canWrite} timezone={current.timezone} />
        </Tabs.Content>
        <Tabs.Content value="times">
          <PostingTimes channel={current} canEdit={canManage} />
        </Tabs.Content>
        {canManage ? (
          <Tabs.Content value="settings">
            <NetworkDefaults channel={current} />
            <EvergreenSettings channel={current} />
            <LinksSettings channel={current} />
            <ChannelActions channel={current} />
          </Tabs.Content>
        ) : null}
      </Tabs.Root>
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
        <ConfirmButton label="Remove channel" title={`Remove ${channelName(channel)} from Herald?`} description="Its scheduled posts will not go out." disabled={remove.isPending} onConfirm={() => remove.mutate()} />
      </div>
    </section>
  );
}
