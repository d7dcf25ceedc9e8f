/**
 * TikTok wants what a creator may post read when a post is composed, not as
 * it was at connect (developers.tiktok.com/doc/content-sharing-guidelines):
 * each TikTok channel picked is read again once per visit
 * (`POST /v1/channels/{id}/profile/refresh`), and the channel list takes the
 * fresh channel, so the privacy levels and settings offered are the
 * creator's now. A reading that fails (a role that may not refresh channels,
 * TikTok not answering) leaves what was kept: the worker reads the creator
 * again before posting in any case.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import type { ChannelView } from '../../api/views';
import { channelsQuery } from '../channels/api';

export function useFreshTikTokCreators(targets: ChannelView[]): void {
  const queryClient = useQueryClient();
  const asked = useRef(new Set<string>());
  useEffect(() => {
    for (const channel of targets) {
      if (channel.network !== 'tiktok' || asked.current.has(channel.id)) continue;
      asked.current.add(channel.id);
      call(herald.POST('/v1/channels/{id}/profile/refresh', { params: { path: { id: channel.id } } })).then(
        (fresh) => queryClient.setQueryData(channelsQuery.queryKey, (kept: ChannelView[] | undefined) => kept?.map((one) => (one.id === fresh.id ? fresh : one))),
        () => undefined,
      );
    }
  }, [targets, queryClient]);
}
