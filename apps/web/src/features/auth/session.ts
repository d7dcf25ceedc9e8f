/**
 * Who is signed in, in which workspace, and what their role there lets them do
 * (as GET /v1/auth/me says: the API's own list of permissions, never a copy).
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { actInWorkspace, herald, rememberCsrfToken } from '../../api/client';
import { call } from '../../api/call';
import type { Membership, SignedIn } from '../../api/views';

const WORKSPACE_KEY = 'herald.workspace';

export type Permission = Membership['permissions'][number];

export type Session = SignedIn;

export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async () => adopt(await call(herald.GET('/v1/auth/me'))),
  retry: false,
  staleTime: 60_000,
});

/** Takes a signed-in answer (sign-in, sign-up, me) as the app's session: its CSRF token and a workspace of the person's. */
export function adopt(session: Session): Session {
  rememberCsrfToken(session.csrfToken);
  actInWorkspace(currentMembership(session)?.workspaceId ?? null);
  return session;
}

export function forget(): void {
  rememberCsrfToken(null);
  actInWorkspace(null);
}

/** The workspace chosen in this browser if the person is still in it, else their first. */
export function currentMembership(session: Session): Session['memberships'][number] | undefined {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(WORKSPACE_KEY);
  } catch {
    // no storage: the first workspace
  }
  return session.memberships.find((membership) => membership.workspaceId === chosen) ?? session.memberships[0];
}

export function chooseWorkspace(workspaceId: string): void {
  try {
    localStorage.setItem(WORKSPACE_KEY, workspaceId);
  } catch {
    // kept for this page only
  }
  actInWorkspace(workspaceId);
}

export function useSession(): Session | undefined {
  return useQuery(sessionQuery).data;
}

/** The person's role in the current workspace (none while signed out or in no workspace). */
export function useOwnRole(): Membership['role'] | undefined {
  const session = useSession();
  return session ? currentMembership(session)?.role : undefined;
}

/** Whether the person's role in the current workspace may do `permission`. */
export function useCan(permission: Permission): boolean {
  const session = useSession();
  const membership = session ? currentMembership(session) : undefined;
  return membership?.permissions.includes(permission) ?? false;
}
