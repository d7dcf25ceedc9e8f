/** Feeds as queries: the workspace's feeds (GET /v1/feeds, page by page), and the words for a feed's mode and interval. */
import { queryOptions } from '@tanstack/react-query';
import type { Schemas } from '@herald/api-client';
import { herald } from '../../api/client';
import { call } from '../../api/call';

export type FeedView = Schemas['Feed'];
export type FeedMode = FeedView['mode'];

export const feedsQuery = queryOptions({
  queryKey: ['feeds'],
  queryFn: async () => {
    const feeds: FeedView[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(herald.GET('/v1/feeds', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
      feeds.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && feeds.length < 1000);
    return feeds;
  },
  // A feed's last poll and status move on by themselves (the worker polls): read again now and then.
  refetchInterval: 60_000,
});

export const MODES: { mode: FeedMode; label: string; hint: string }[] = [
  { mode: 'queue', label: 'Add to queue', hint: "Each new item takes each channel's next free posting time." },
  { mode: 'draft', label: 'Save as drafts', hint: 'Each new item waits as a draft for you to edit and schedule.' },
  { mode: 'now', label: 'Publish at once', hint: 'Each new item is published as soon as it is read.' },
];

export const INTERVALS: { minutes: number; label: string }[] = [
  { minutes: 15, label: 'Every 15 minutes' },
  { minutes: 30, label: 'Every 30 minutes' },
  { minutes: 60, label: 'Every hour' },
  { minutes: 360, label: 'Every 6 hours' },
  { minutes: 1440, label: 'Once a day' },
];

export function intervalWords(minutes: number): string {
  return INTERVALS.find((entry) => entry.minutes === minutes)?.label ?? (minutes % 60 === 0 ? `Every ${minutes / 60} hours` : `Every ${minutes} minutes`);
}

export function modeWords(mode: FeedMode): string {
  return MODES.find((entry) => entry.mode === mode)?.label ?? mode;
}
