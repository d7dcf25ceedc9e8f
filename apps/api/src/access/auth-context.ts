/**
 * Who is asking, resolved once per request: the workspace (as a `Tenant`,
 * the first parameter of every repository call on its rows), the actor (an
 * API key, or a signed-in person), its role, the request id and the client's
 * address (for the audit log). Controllers pass it to services; services ask
 * the access module what it may do.
 */
import type { Tenant } from '@herald/db';
import type { Role } from './permissions';

export type Actor = { kind: 'api_key'; id: string } | { kind: 'user'; id: string };

export interface AuthContext {
  readonly tenant: Tenant;
  readonly actor: Actor;
  readonly role: Role;
  readonly requestId: string;
  /** The client's address as Express sees it (X-Forwarded-For trusted from loopback only). */
  readonly address?: string;
  /** The session behind a signed-in person's request (none for an API key's): what a connect flow they start is bound to. */
  readonly sessionId?: string;
}
