/**
 * A channel as people tell channels apart: the account's avatar (from the
 * network, served by Herald) with the network's mark on it, its display name,
 * and its handle as the network writes it. Used wherever a channel is named:
 * the channels list, compose, the queue, posts and approvals.
 */
import { useState } from 'react';
import { inWorkspace } from '../../api/client';
import type { ChannelView } from '../../api/views';
import { NetworkIcon } from '../../ui/network-icon';
import { currentMembership, useSession } from '../auth/session';
import { NETWORK_NAMES } from './api';
import { shownHandle } from './handles';

export { shownHandle };

export type ChannelLike = Pick<ChannelView, 'id' | 'network' | 'handle'> & Partial<Pick<ChannelView, 'host' | 'displayName' | 'avatarUrl'>>;

/** The name a person knows the account by: the network's display name, else its handle. */
export function channelTitle(channel: ChannelLike): string {
  const name = channel.displayName?.trim();
  return name || shownHandle(channel);
}

/** Up to two letters for an account without an avatar. */
export function initials(title: string): string {
  const words = title.replace(/^@/, '').split(/[\s._@-]+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** A stable hue per channel, so two accounts without avatars still look different. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const character of id) hash = (hash * 31 + character.charCodeAt(0)) % 360;
  return hash;
}

export function ChannelAvatar({ channel, size = 'md' }: { channel: ChannelLike; size?: 'sm' | 'md' | 'lg' }) {
  const session = useSession();
  // An <img> cannot send X-Herald-Workspace: the avatar's URL names the workspace itself.
  const workspace = session ? (currentMembership(session)?.workspaceId ?? null) : null;
  const avatarUrl = channel.avatarUrl ? inWorkspace(channel.avatarUrl, workspace) : null;
  const [failed, setFailed] = useState<string | null>(null);
  const title = channelTitle(channel);
  return (
    <span className={`channel-avatar size-${size}`} aria-hidden="true">
      {avatarUrl && failed !== avatarUrl ? (
        <img src={avatarUrl} alt="" loading="lazy" onError={() => setFailed(avatarUrl)} />
      ) : (
        <span className="channel-initials" style={{ background: `hsl(${hueOf(channel.id)} 45% 30%)` }}>
          {initials(title)}
        </span>
      )}
      <span className="channel-avatar-network">
        <NetworkIcon network={channel.network} size={size === 'lg' ? 16 : 12} />
      </span>
    </span>
  );
}

/** Avatar, name and handle on the network; `compact` keeps to one line. */
export function ChannelBadge({ channel, compact = false }: { channel: ChannelLike; compact?: boolean }) {
  const title = channelTitle(channel);
  const handle = shownHandle(channel);
  const network = NETWORK_NAMES[channel.network] ?? channel.network;
  // A LinkedIn or Facebook "handle" is the person's or Page's name: shown once, as the title.
  const secondary = handle === title ? network : `${handle} · ${network}`;
  return (
    <span className={`channel-badge ${compact ? 'compact' : ''}`} data-channel-id={channel.id}>
      <ChannelAvatar channel={channel} size={compact ? 'sm' : 'md'} />
      <span className="channel-badge-text">
        <span className="channel-badge-name">{title}</span>
        {compact ? <span className="visually-hidden"> ({secondary})</span> : <span className="channel-badge-handle">{secondary}</span>}
      </span>
    </span>
  );
}
