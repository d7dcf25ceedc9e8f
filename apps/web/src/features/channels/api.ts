/** The channels of the workspace, each network's connect method, and one channel's queue, as queries keyed by resource. */
import { queryOptions } from '@tanstack/react-query';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import type { ChannelView } from '../../api/views';
import { shownHandle } from './handles';
import { NETWORKS, NETWORK_RULES } from '@herald/channels/rules/catalog';

export const channelsQuery = queryOptions({
  queryKey: ['channels'],
  queryFn: async () => {
    const channels: ChannelView[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(herald.GET('/v1/channels', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
      channels.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return channels;
  },
});

export const channelQuery = (id: string) =>
  queryOptions({
    queryKey: ['channels', id],
    queryFn: () => call(herald.GET('/v1/channels/{id}', { params: { path: { id } } })),
  });

export const networksQuery = queryOptions({
  queryKey: ['networks'],
  queryFn: async () => (await call(herald.GET('/v1/networks'))).data,
  staleTime: 10 * 60_000,
});

export const queueQuery = (channelId: string) =>
  queryOptions({
    queryKey: ['channels', channelId, 'queue'],
    queryFn: async () => (await call(herald.GET('/v1/channels/{id}/queue', { params: { path: { id: channelId } } }))).data,
  });

/** Where a network sends the browser back at the end of its connect flow: this app's own page. */
export function connectReturnUrl(): string {
  return `${window.location.origin}/channels/connected`;
}

/** Starts a network's OAuth flow and sends the browser to its consent page. */
export async function startOAuth(network: Exclude<ChannelView['network'], 'bluesky'>, instanceUrl?: string): Promise<void> {
  const started = await call(
    herald.POST('/v1/channels/connect', { body: { network, redirectUri: connectReturnUrl(), ...(instanceUrl ? { instanceUrl } : {}) } }),
  );
  window.location.assign(started.authorizeUrl);
}

/** Each network's name, from its rules (@herald/channels/rules): the server's list, never a second copy. */
export const NETWORK_NAMES = Object.fromEntries(NETWORKS.map((network) => [network, NETWORK_RULES[network].displayName])) as Record<ChannelView['network'], string>;

/** "X @acme", "Mastodon @acme@mastodon.social", "LinkedIn Ada Lovelace" (a LinkedIn handle is the person's name). */
export function channelName(channel: Pick<ChannelView, 'network' | 'handle' | 'host'> & Partial<Pick<ChannelView, 'displayName'>>): string {
  const displayName = channel.displayName?.trim();
  if (channel.network === 'linkedin' && displayName) return `LinkedIn ${displayName}`;
  return `${NETWORK_NAMES[channel.network] ?? channel.network} ${shownHandle(channel)}`;
}
