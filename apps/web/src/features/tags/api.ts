/** The workspace's tags (GET /v1/tags: the named ones with their colour, and names only used on posts). */
import { queryOptions } from '@tanstack/react-query';
import type { Schemas } from '@herald/api-client';
import { herald } from '../../api/client';
import { call } from '../../api/call';

export type TagView = Schemas['Tag'];

export const tagsQuery = queryOptions({
  queryKey: ['tags'],
  queryFn: async () => (await call(herald.GET('/v1/tags'))).data,
  staleTime: 30_000,
});

/** Colours a new tag takes in turn: the design system's accents, each readable as a dot beside text. */
export const TAG_COLOURS = ['#2f4ac0', '#1b6b35', '#a3231b', '#7a4f00', '#6b2fa3', '#0f6e7a', '#b0386b', '#4d5a6b'];

/** A tag's name as the API stores it: lower case, single spaces, trimmed. */
export function tagName(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The colour a tag is shown with: its own, else one picked from its name (steady across pages). */
export function tagColour(name: string, tags: readonly TagView[] | undefined): string {
  const own = tags?.find((tag) => tag.name === name)?.colour;
  if (own) return own;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return TAG_COLOURS[Math.abs(hash) % TAG_COLOURS.length]!;
}
