/**
 * The one list of what each role may do (PRODUCT.md section 2). Services
 * check an action through the access module, never by comparing roles
 * themselves, so adding a role or moving an action is a change here alone.
 * The role matrix in docs/people.md ("Roles") and its test are generated from this
 * table and test/support/routes.ts.
 *
 * A request is an API key's or a signed-in person's. A person acts with
 * their role in the workspace (read from `members` on every request); an
 * API key with the role it was made with (`api_keys.role`: `editor` unless
 * its maker chose another, never above their own; a workspace's first key,
 * made by the operator, is `admin`).
 */
export const ROLES = ['owner', 'admin', 'editor', 'contributor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles an API key may have: an owner is a person, who answers for the workspace. */
export const API_KEY_ROLES = ['admin', 'editor', 'contributor', 'viewer'] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** What a key gets when its maker names no role (PRODUCT.md: "an API key acts as editor"). */
export const DEFAULT_API_KEY_ROLE: ApiKeyRole = 'editor';

export const ACTIONS = [
  'posts.read',
  'posts.write',
  /** A post written with it is scheduled as asked; without it (a contributor), it waits for approval (pending_approval). */
  'posts.publish',
  /** Approve or reject a post that awaits approval. */
  'posts.approve',
  'media.read',
  'media.write',
  'channels.read',
  'channels.manage',
  'webhooks.manage',
  'keys.manage',
  'members.read',
  /** Take oneself out of a workspace (a person, not an API key; never its last owner). */
  'members.leave',
  'members.manage',
  'audit.read',
  /** Change the workspace's settings (the origins a connect flow may send the browser back to). */
  'workspace.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

const EVERYTHING: readonly Action[] = ACTIONS;
const WRITER: readonly Action[] = ['posts.read', 'posts.write', 'media.read', 'media.write', 'channels.read', 'members.read', 'members.leave'];

export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  owner: EVERYTHING,
  admin: EVERYTHING,
  editor: [...WRITER, 'posts.publish', 'posts.approve'],
  contributor: WRITER,
  viewer: ['posts.read', 'media.read', 'channels.read', 'members.read', 'members.leave'],
};

/** The least of the roles that may do `action`, to say in a refusal which role it needs. */
export function leastRoleFor(action: Action): Role | undefined {
  return [...ROLES].reverse().find((role) => ROLE_ACTIONS[role].includes(action));
}

/** Whether `role` is above `other` (owner > admin > editor > contributor > viewer). */
export function outranks(role: Role, other: Role): boolean {
  return ROLES.indexOf(role) < ROLES.indexOf(other);
}

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** What a role may do; nothing for a role this list does not know. */
export function actionsOf(role: string): readonly Action[] {
  return (ROLES as readonly string[]).includes(role) ? ROLE_ACTIONS[role as Role] : [];
}
