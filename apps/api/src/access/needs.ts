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
