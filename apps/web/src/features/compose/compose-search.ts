/**
 * Compose's address: `?at=yyyy-MM-ddTHH:mm&tz=<zone>` opens it on that wall time in that zone (the calendar's
 * empty slots link here); `?repeat=true` opens it on "Repeat" (the series page's "New series").
 */
export interface ComposeSearch {
  at?: string;
  tz?: string;
  repeat?: boolean;
}

export function composeSearch(search: Record<string, unknown>): ComposeSearch {
  const at = typeof search.at === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(search.at) ? search.at.slice(0, 16) : undefined;
  const tz = typeof search.tz === 'string' && /^[A-Za-z0-9_+\-/]{1,64}$/.test(search.tz) ? search.tz : undefined;
  const repeat = search.repeat === true || search.repeat === 'true';
  return { ...(at ? { at } : {}), ...(at && tz ? { tz } : {}), ...(repeat && !at ? { repeat: true } : {}) };
}
