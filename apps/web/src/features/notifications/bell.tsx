/** The bell in the header: how many things wait for me, and a popover listing them with links to where to act. */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Popover } from 'radix-ui';
import { useCan } from '../auth/session';
import { channelName, channelsQuery } from '../channels/api';
import { postsQuery } from '../posts/api';
import { waitingFor, type WaitingItem } from './waiting';

/** Posts waiting for approval, read where the person may approve (the navigation counts them too). */
export function usePendingApprovals() {
  const canApprove = useCan('posts.approve');
  return useQuery({ ...postsQuery({ status: 'pending_approval' }), enabled: canApprove });
}

export function NotificationsBell() {
  const canApprove = useCan('posts.approve');
  const canRead = useCan('posts.read');
  const pending = usePendingApprovals();
  const failed = useQuery({ ...postsQuery({ status: 'failed' }), enabled: canRead });
  const channels = useQuery({ ...channelsQuery, enabled: canRead });
  const items = waitingFor({
    canApprove,
    pending: pending.data ?? [],
    failed: failed.data ?? [],
    channels: (channels.data ?? []).map((channel) => ({ id: channel.id, status: channel.status, name: channelName(channel) })),
  });
  const count = items.length;
  return (
    <Popover.Root>
      <Popover.Trigger className="icon-button" aria-label={count > 0 ? `Notifications: ${count} waiting` : 'Notifications: nothing waiting'}>
        <BellIcon />
        {count > 0 ? (
          <span className="nav-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="popover" align="end" sideOffset={8} aria-label="What waits for you">
          <h2>What waits for you</h2>
          {count === 0 ? <p className="muted">Nothing: no approvals, failures or disconnected channels.</p> : null}
          <ul className="notification-list">
            {items.map((item) => (
              <li key={item.id} data-kind={item.kind}>
                <Notification item={item} />
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function Notification({ item }: { item: WaitingItem }) {
  switch (item.kind) {
    case 'approval':
      return (
        <>
          <p>{item.words}</p>
          <Popover.Close asChild>
            <Link to="/approvals" hash={`approval-${item.postId}`}>
              Review it
            </Link>
          </Popover.Close>
        </>
      );
    case 'failed':
      return (
        <>
          <p>{item.words}</p>
          <Popover.Close asChild>
            <Link to="/posts/$postId" params={{ postId: item.postId }}>
              See what happened
            </Link>
          </Popover.Close>
        </>
      );
    case 'disconnected':
      return (
        <>
          <p>{item.words}</p>
          <Popover.Close asChild>
            <Link to="/channels">Reconnect</Link>
          </Popover.Close>
        </>
      );
  }
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
