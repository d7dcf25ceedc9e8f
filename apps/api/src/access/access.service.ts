/**
 * The one place that decides what a request may do: AuthGuard calls
 * `tenant(auth, action)` with what the route says it needs (`@Needs`), before
 * the request is read, and services call it again, with what they are about
 * to do, before touching a workspace's rows, and get back the `Tenant` their
 * repository calls need. A role that may not do it is a
 * 403 naming the role it needs; another workspace's rows are never reached
 * at all (the repositories filter by the tenant), so they answer 404.
 */
import { Injectable } from '@nestjs/common';
import { Tenant, tenantOf } from '@herald/db';
import { Forbidden } from '../common/problems';
import type { AuthContext } from './auth-context';
import { Action, ROLE_ACTIONS, Role, isRole, leastRoleFor, outranks } from './permissions';

@Injectable()
export class AccessService {
  /** The workspace the request may act on for `action`; throws Forbidden when its role may not. */
  tenant(auth: AuthContext, action: Action): Tenant {
    if (!this.may(auth, action)) {
      const needed = leastRoleFor(action);
      throw new Forbidden(`Your role (${auth.role}) may not do this (${action})${needed ? `: it needs ${needed} or above` : ''}`);
    }
    return auth.tenant;
  }

  /**
   * Whether the request's role may do `action`, for a service whose path
   * depends on it rather than refusing (a post written without
   * `posts.publish` waits for approval).
   */
  may(auth: AuthContext, action: Action): boolean {
    return ROLE_ACTIONS[auth.role].includes(action);
  }

  /**
   * The workspace, for an action that gives, changes or takes away a role
   * (a member's, an invitation's, an API key's): the request may do
   * `action`, and no role involved is above its own (an admin may not make,
   * change or remove an owner; an editor's key may not make an admin key).
   * A workspace without an owner (one the operator made) may be given its
   * first by whoever may do `action` (its bootstrap key is an admin).
   */
  tenantGranting(auth: AuthContext, action: Action, roles: Role[], workspace: { hasOwner: boolean } = { hasOwner: true }): Tenant {
    const tenant = this.tenant(auth, action);
    const above = roles.find((role) => outranks(role, auth.role) && !(role === 'owner' && !workspace.hasOwner));
    if (above) throw new Forbidden(`Your role (${auth.role}) may not give, change or take away the role ${above}: that needs ${above}`);
    return tenant;
  }

  /** The scope of a workspace the operator just made, for writing its first rows (its first key). */
  newWorkspace(workspaceId: string): Tenant {
    return tenantOf(workspaceId);
  }

  /**
   * The workspace of a connect flow, at its callback (which carries no API
   * key): the state, issued to that workspace and used up by this request,
   * is what vouches for it.
   */
  flowTenant(workspaceId: string): Tenant {
    return tenantOf(workspaceId);
  }

  /**
   * The workspace of an invitation, as it is accepted (the request carries
   * no key for it, maybe no session): the invitation's single-use token,
   * used up by this request, is what vouches for it.
   */
  invitedTenant(workspaceId: string): Tenant {
    return tenantOf(workspaceId);
  }

  /**
   * The workspace of a feed, as its poll acts there (no request): the feed,
   * made in that workspace by someone who could write posts there, vouches.
   */
  feedTenant(workspaceId: string): Tenant {
    return tenantOf(workspaceId);
  }

  /** Who a feed's poll acts as: its maker, with the role they had when they made it (a contributor's items await approval). */
  feedAuth(feed: { workspaceId: string; maker: { kind: 'api_key' | 'user'; id: string; role: string } }, requestId: string): AuthContext {
    return { tenant: tenantOf(feed.workspaceId), actor: { kind: feed.maker.kind, id: feed.maker.id }, role: isRole(feed.maker.role) ? feed.maker.role : 'viewer', requestId };
  }
}
