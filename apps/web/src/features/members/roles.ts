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

/** Whether `role` is above `other`, by the order of ROLE_WORDS (owner first: the API's order, which a test holds it to). */
export function outranks(role: Role, other: Role): boolean {
  return rank(role) < rank(other);
}

function rank(role: Role): number {
  const index = ROLE_WORDS.findIndex((entry) => entry.role === role);
  return index < 0 ? ROLE_WORDS.length : index;
}

/** The roles a person with `own` may give (to an invitation, a member, a key): none above their own; none without a role. */
export function rolesUpTo<T extends { role: Role }>(own: Role | undefined, roles: readonly T[]): T[] {
  return own ? roles.filter((entry) => !outranks(entry.role, own)) : [];
}

/** `chosen` while it is offered, else the first role offered (the person's own role may have changed under the form). */
export function chosenOrFirst<R extends Role>(offered: readonly { role: R }[], chosen: R): R {
  return offered.some((entry) => entry.role === chosen) ? chosen : (offered[0]?.role ?? chosen);
}
