/**
 * The one list of what each role may do (PRODUCT.md section 2). Services
 * check an action through the access module, never by comparing roles
 * themselves, so adding a role or moving an action is a change here alone.
 *
 * A request is an API key's or a signed-in person's. A person acts with
 * their role in the workspace (read from `members` on every request); an
 * API key, for now, with API_KEY_ROLE, so it may do everything the API
 * offers (PRODUCT.md says a key acts as `editor`: moving it is a change of
 * API_KEY_ROLE alone, left for when members and keys are managed by role).
 */
export const ROLES = ['owner', 'admin', 'editor', 'contributor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

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
] as const;
export type Action = (typeof ACTIONS)[number];

const EVERYTHING: readonly Action[] = ACTIONS;

export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  owner: EVERYTHING,
  admin: EVERYTHING,
  editor: ['posts.read', 'posts.write', 'posts.publish', 'posts.approve', 'media.read', 'media.write', 'channels.read'],
  contributor: ['posts.read', 'posts.write', 'media.read', 'media.write', 'channels.read'],
  viewer: ['posts.read', 'media.read', 'channels.read'],
};

/** The role an API key acts with. */
export const API_KEY_ROLE: Role = 'admin';

/** The least of the roles that may do `action`, to say in a refusal which role it needs. */
export function leastRoleFor(action: Action): Role | undefined {
  return [...ROLES].reverse().find((role) => ROLE_ACTIONS[role].includes(action));
}
