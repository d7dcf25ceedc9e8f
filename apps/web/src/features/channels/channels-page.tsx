/** The workspace's channels with their status; a disconnected one says so and offers to connect it again. */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { problemOf } from '../../api/problem';
import type { ChannelView } from '../../api/views';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { StatusBadge } from '../../ui/status';
import { Time } from '../../ui/time';
import { useCan } from '../auth/session';
import { workspaceQuery } from '../settings/workspace-page';
import { zoneName } from '../../ui/time';
import { channelName, channelsQuery } from './api';
import { ChannelBadge } from './channel-badge';
import { slotSummary } from './slot-groups';
import { ConnectChannel } from './connect-channel';

export function ChannelsPage() {
  const channels = useQuery(channelsQuery);
  const canManage = useCan('channels.manage');
  const [reconnecting, setReconnecting] = useState<ChannelView | null>(null);
  const workspace = useQuery(workspaceQuery);
  const canManageWorkspace = useCan('workspace.manage');
  const zone = workspace.data?.timezone;
  return (
    <Page title="Channels">
      {zone ? (
        <p className="muted">
          New channels post in the workspace's time zone, {zoneName(zone)} time{canManageWorkspace ? <> (<Link to="/settings/workspace">change it</Link>)</> : null}; change a channel's on its Posting times tab.
        </p>
      ) : null}
      {channels.isError ? <ProblemAlert problem={problemOf(channels.error)} /> : null}
      {channels.data && channels.data.length === 0 ? <p>No channels yet. Connect the accounts Herald should post to.</p> : null}
      <ul className="channel-list">
        {(channels.data ?? []).map((channel) => (
          <li key={channel.id} className="card channel-item">
            <div className="channel-row">
              <Link to="/channels/$channelId" params={{ channelId: channel.id }}>
                <ChannelBadge channel={channel} />
              </Link>
              <StatusBadge status={channel.status} />
            </div>
            <p className="channel-facts">
              <span>{zoneName(channel.timezone)} time ·</span>
              <span>
                {channel.postingSchedule.slots.length === 0 ? (
                  <Link to="/channels/$channelId" params={{ channelId: channel.id }} search={{ tab: 'times' }}>
                    No posting times yet: set them<span className="visually-hidden"> for {channelName(channel)}</span>
                  </Link>
                ) : (
                  `${slotSummary(channel.postingSchedule.slots)}${channel.postingSchedule.isDefault ? ' (the default)' : ''}`
                )}
              </span>
            </p>
            {channel.status === 'disconnected' ? (
              <div className="alert alert-error">
                <p>Herald can no longer post to this account: the network refused its access. Its scheduled posts wait until you connect it again.</p>
                {canManage ? (
                  <button type="button" className="button" onClick={() => setReconnecting(channel)}>
                    Reconnect {channelName(channel)}
                  </button>
                ) : null}
              </div>
            ) : null}
            {channel.expiring ? (
              <p className="alert alert-warn">
                Its access ends <Time iso={channel.tokenExpiresAt} />: connect it again before then.
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? reconnecting ? <ConnectChannel key={reconnecting.id} reconnect={reconnecting} /> : <ConnectChannel /> : null}
    </Page>
  );
}
