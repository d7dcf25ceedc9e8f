/**
 * Every route of the API (the OpenAPI spec must list exactly these, plus
 * health and metrics), with what it needs: an Action of
 * apps/api/src/access/permissions.ts (an API key or a signed-in member whose
 * role may do it), or
 * - 'member': any API key or member of the workspace, whatever the role;
 * - 'session': a signed-in person (the session cookie), no workspace;
 * - 'public': nothing (what it checks, it checks itself: a password, a token);
 * - 'admin-token': the operator's HERALD_ADMIN_TOKEN;
 * - 'flow-state': a connect flow's single-use state (the network's redirect);
 * - 'signed-link': a media link's signature.
 * The role matrix (test/role-matrix.medium-spec.ts, README "Roles") is read from this table.
 */
import type { Action } from '../../apps/api/src/access/permissions';

export type Needs = Action | 'member' | 'session' | 'public' | 'admin-token' | 'flow-state' | 'signed-link';
export type RouteRow = [method: string, path: string, needs: Needs];

export const ROUTES: RouteRow[] = [
  ['POST', '/v1/workspaces', 'admin-token'],
  ['GET', '/v1/workspace', 'member'],
  ['PATCH', '/v1/workspace', 'workspace.manage'],
  ['POST', '/v1/auth/sign-up', 'public'],
  ['POST', '/v1/auth/sign-in', 'public'],
  ['POST', '/v1/auth/sign-out', 'session'],
  ['POST', '/v1/auth/sign-out-everywhere', 'session'],
  ['GET', '/v1/auth/me', 'session'],
  ['POST', '/v1/auth/password', 'session'],
  ['POST', '/v1/auth/password-reset', 'public'],
  ['POST', '/v1/auth/password-reset/confirm', 'public'],
  ['GET', '/v1/members', 'members.read'],
  ['PATCH', '/v1/members/:userId', 'members.manage'],
  ['DELETE', '/v1/members/:userId', 'members.manage'],
  ['POST', '/v1/invitations', 'members.manage'],
  ['GET', '/v1/invitations', 'members.manage'],
  ['DELETE', '/v1/invitations/:id', 'members.manage'],
  ['POST', '/v1/invitations/accept', 'public'],
  ['GET', '/v1/invitations/preview/:token', 'public'],
  ['GET', '/v1/audit', 'audit.read'],
  ['POST', '/v1/api-keys', 'keys.manage'],
  ['GET', '/v1/api-keys', 'keys.manage'],
  ['DELETE', '/v1/api-keys/:id', 'keys.manage'],
  ['GET', '/v1/networks', 'member'],
  ['POST', '/v1/channels', 'channels.manage'],
  ['POST', '/v1/channels/connect', 'channels.manage'],
  ['GET', '/v1/channels/connect/callback', 'flow-state'],
  ['GET', '/v1/channels/connect/:state/accounts', 'channels.manage'],
  ['POST', '/v1/channels/connect/:state/choose', 'channels.manage'],
  ['GET', '/v1/channels', 'channels.read'],
  ['GET', '/v1/channels/:id', 'channels.read'],
  ['PATCH', '/v1/channels/:id', 'channels.manage'],
  ['DELETE', '/v1/channels/:id', 'channels.manage'],
  ['GET', '/v1/channels/:id/queue', 'channels.read'],
  ['POST', '/v1/channels/:id/queue/reorder', 'posts.write'],
  ['POST', '/v1/channels/:id/queue/shuffle', 'posts.write'],
  ['POST', '/v1/posts', 'posts.write'],
  ['POST', '/v1/posts/bulk', 'posts.write'],
  ['GET', '/v1/posts', 'posts.read'],
  ['GET', '/v1/posts/:id', 'posts.read'],
  ['PATCH', '/v1/posts/:id', 'posts.write'],
  ['DELETE', '/v1/posts/:id', 'posts.write'],
  ['POST', '/v1/posts/:id/retry', 'posts.write'],
  ['POST', '/v1/posts/:id/approve', 'posts.approve'],
  ['POST', '/v1/posts/:id/reject', 'posts.approve'],
  ['POST', '/v1/media', 'media.write'],
  ['GET', '/v1/media', 'media.read'],
  ['GET', '/v1/media/:id', 'media.read'],
  ['GET', '/v1/media/:id/file', 'media.read'],
  ['GET', '/v1/media/:id/thumbnail', 'media.read'],
  ['DELETE', '/v1/media/:id', 'media.write'],
  ['GET', '/public/media/:id/:file', 'signed-link'],
  ['POST', '/v1/webhooks', 'webhooks.manage'],
  ['GET', '/v1/webhooks', 'webhooks.manage'],
  ['GET', '/v1/webhooks/:id', 'webhooks.manage'],
  ['GET', '/v1/webhooks/:id/deliveries', 'webhooks.manage'],
  ['DELETE', '/v1/webhooks/:id', 'webhooks.manage'],
  ['GET', '/admin/queues', 'admin-token'],
  ['GET', '/admin/queues/:name/jobs', 'admin-token'],
  ['POST', '/admin/queues/:name/jobs/:id/retry', 'admin-token'],
  ['POST', '/admin/queues/:name/retry-failed', 'admin-token'],
  ['POST', '/admin/queues/:name/pause', 'admin-token'],
  ['POST', '/admin/queues/:name/resume', 'admin-token'],
];
