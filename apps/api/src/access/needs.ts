/**
 * What a workspace route needs, said on the route: `@Needs('posts.write')`.
 * AuthGuard checks it, through the access module, as soon as it knows who is
 * asking, so a role that may not use a route is refused (403 naming the role
 * it needs) before its body or query is even read. It is the least the route
 * needs: a service that does more on some paths asks the access module for
 * that (a contributor's post waits for approval; removing someone else needs
 * `members.manage`, leaving only `members.leave`). A route behind AuthGuard
 * that says nothing is refused to everyone: a new route must say.
 */
import { SetMetadata } from '@nestjs/common';
import type { Action } from './permissions';

/** An action of the permission table, or 'member': any API key or member of the workspace, whatever the role. */
export type RouteNeeds = Action | 'member';

export const NEEDS_KEY = 'herald:needs';

export const Needs = (needs: RouteNeeds) => SetMetadata(NEEDS_KEY, needs);

/**
 * What a route does for an API key limited to some channels (docs/security.md,
 * "Keys limited to channels"). A route that says nothing refuses such a key
 * (403): it reaches the whole workspace. `inside`: the route's service keeps
 * to the key's channels itself (its lists show only them and the posts that go
 * only to them; a post or channel outside is not found). `{ param }` or
 * `{ query }`: the route acts on the one channel that path parameter or query
 * parameter names, which AuthGuard finds in the key's channels (404 otherwise;
 * the query parameter is then required).
 */
export type ChannelKeyScope = 'inside' | { param: string } | { query: string };

export const CHANNEL_KEYS_KEY = 'herald:channel-keys';

export const ForChannelKeys = (scope: ChannelKeyScope) => SetMetadata(CHANNEL_KEYS_KEY, scope);
