/** The calendar's address: `?view=day|week|month&date=yyyy-MM-dd&channel=<id>&tag=<name>`, read by the router (kept out of the page's lazy chunk). */
export interface CalendarSearch {
  view?: 'day' | 'week' | 'month';
  date?: string;
  channel?: string;
  tag?: string;
}

export function calendarSearch(search: Record<string, unknown>): CalendarSearch {
  return {
    ...(search.view === 'day' || search.view === 'week' || search.view === 'month' ? { view: search.view } : {}),
    ...(typeof search.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(search.date) ? { date: search.date } : {}),
    ...(typeof search.channel === 'string' && /^[0-9a-f-]{36}$/i.test(search.channel) ? { channel: search.channel } : {}),
    ...(typeof search.tag === 'string' && search.tag.length > 0 && search.tag.length <= 50 ? { tag: search.tag } : {}),
  };
}
