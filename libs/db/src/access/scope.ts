/**
 * Who a repository method acts for, as its first parameter. A `Tenant` is one
 * workspace whose rows the caller may read and write: a query made with it
 * filters by its workspace, so another workspace's ids find nothing and
 * change nothing. It is branded, so a bare string cannot stand in for one:
 * the API's access module makes it from the request's auth context, and the
 * worker from the row it is working on. `System` is the worker's and the
 * operator's reach across every workspace (claims by id, sweeps, queue
 * counts), named so that such a call says so.
 */
declare const tenantBrand: unique symbol;
declare const systemBrand: unique symbol;

export interface Tenant {
  readonly workspaceId: string;
  /**
   * The channels a request is limited to (an API key made for some
   * channels); absent: the whole workspace. The services that name channels
   * or read posts by id answer for it (see `inScope`).
   */
  readonly channelIds?: readonly string[];
  readonly [tenantBrand]: true;
}

export interface SystemScope {
  readonly kind: 'system';
  readonly [systemBrand]: true;
}

/** The scope of work that is not any one workspace's. */
export const SYSTEM = Object.freeze({ kind: 'system' }) as SystemScope;

/**
 * Vouches for a workspace id. Only the API's access module (from an
 * authenticated request) and the worker (from a row it read) call this; the
 * lint keeps it out of the rest of the API.
 */
export function tenantOf(workspaceId: string, channelIds?: readonly string[] | null): Tenant {
  return Object.freeze(channelIds ? { workspaceId, channelIds: Object.freeze([...channelIds]) } : { workspaceId }) as Tenant;
}

/** Whether a tenant may reach a channel: any of its workspace's, unless it is limited to some. */
export function inScope(tenant: Tenant, channelId: string): boolean {
  return tenant.channelIds === undefined || tenant.channelIds.includes(channelId.toLowerCase());
}
