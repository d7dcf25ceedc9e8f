/** The roles as a person reads them (the API's role names, with what each may do in words). */
import type { Schemas } from '@herald/api-client';

export type Role = Schemas['Member']['role'];

export const ROLE_WORDS: { role: Role; words: string }[] = [
  { role: 'owner', words: 'Owner: everything, and answers for the workspace' },
  { role: 'admin', words: 'Admin: channels, members, keys and webhooks too' },
  { role: 'editor', words: 'Editor: schedules and publishes, approves others’ posts' },
  { role: 'contributor', words: 'Contributor: writes posts that wait for approval' },
  { role: 'viewer', words: 'Viewer: reads only' },
];
