/**
 * The one place that decides what a request may do: services call
 * `tenant(auth, action)` before touching a workspace's rows, and get back
 * the `Tenant` their repository calls need. A role that may not do it is a
 * 403 naming the role it needs; another workspace's rows are never reached
 * at all (the repositories filter by the tenant), so they answer 404.
 */
import { Injectable } from '@nestjs/common';
import { Tenant, tenantOf } from '@herald/db';
import { Forbidden } from '../common/problems';
import type { AuthContext } from './auth-context';
import { Action, ROLE_ACTIONS, leastRoleFor } from './permissions';

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
}
