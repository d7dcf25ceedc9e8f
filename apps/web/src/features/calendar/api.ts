/** The calendar's one read per visible range: GET /v1/calendar. */
import { queryOptions } from '@tanstack/react-query';
import { herald } from '../../api/client';
import { call } from '../../api/call';

export interface CalendarQuery {
  from: string;
  to: string;
  channelId?: string;
  /** Only entries whose post carries this tag (`?tag=`, any case). */
  tag?: string;
}

export const calendarQuery = ({ from, to, channelId, tag }: CalendarQuery) =>
  queryOptions({
    // Under 'posts': whatever changes a post (compose, an edit, a move) invalidates ['posts'] and the calendar with it.
    queryKey: ['posts', 'calendar', from, to, channelId ?? 'all', tag ?? 'any'],
    queryFn: () => call(herald.GET('/v1/calendar', { params: { query: { from, to, ...(channelId ? { channelId } : {}), ...(tag ? { tag } : {}) } } })),
    placeholderData: (previous) => previous,
  });
