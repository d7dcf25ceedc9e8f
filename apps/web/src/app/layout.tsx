/** The frame of every page: a skip link, the header with the navigation and the workspace, and the page in <main>. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { herald } from '../api/client';
import { call } from '../api/call';
import { chooseWorkspace, currentMembership, forget, sessionQuery, useCan } from '../features/auth/session';
import { Page } from '../ui/page';
import { usePerson } from '../ui/person';

export function RootLayout() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Outlet />
    </>
  );
}

export function AppShell() {
  const session = useQuery(sessionQuery).data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { timeZone } = usePerson();
  const canWrite = useCan('posts.write');
  const canManageKeys = useCan('keys.manage');
  const canApprove = useCan('posts.approve');
  const canManageWebhooks = useCan('webhooks.manage');
  const canReadAudit = useCan('audit.read');
  const signOut = useMutation({
    mutationFn: () => call(herald.POST('/v1/auth/sign-out')),
    onSettled: async () => {
      forget();
      queryClient.clear();
      await navigate({ to: '/sign-in' });
    },
  });
  const membership = session ? currentMembership(session) : undefined;
  const switchTo = async (workspaceId: string) => {
    chooseWorkspace(workspaceId);
    // Everything but the session belongs to the workspace left.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    await navigate({ to: '/' });
  };
  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand">
          Herald
        </Link>
        {membership ? (
          <nav aria-label="Main">
            <ul>
              <li>
                <Link to="/" activeOptions={{ exact: true }}>
                  Posts
                </Link>
              </li>
              {canWrite ? (
                <li>
                  <Link to="/compose">Compose</Link>
                </li>
              ) : null}
              <li>
                <Link to="/calendar">Calendar</Link>
              </li>
              <li>
                <Link to="/channels">Channels</Link>
              </li>
              {canApprove ? (
                <li>
                  <Link to="/approvals">Approvals</Link>
                </li>
              ) : null}
              <li>
                <Link to="/settings/members">Members</Link>
              </li>
              {canManageKeys ? (
                <li>
                  <Link to="/settings/api-keys">API keys</Link>
                </li>
              ) : null}
              {canManageWebhooks ? (
                <li>
                  <Link to="/settings/webhooks">Webhooks</Link>
                </li>
              ) : null}
              {canReadAudit ? (
                <li>
                  <Link to="/settings/audit">Audit log</Link>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
        <div className="header-end">
          {session && session.memberships.length > 1 ? (
            <label className="workspace-switch">
              <span className="visually-hidden">Workspace</span>
              <select value={membership?.workspaceId} onChange={(event) => void switchTo(event.target.value)}>
                {session.memberships.map((entry) => (
                  <option key={entry.workspaceId} value={entry.workspaceId}>
                    {entry.name}
                  </option>
                ))}
              </select>
            </label>
          ) : membership ? (
            <span className="muted workspace-name">{membership.name}</span>
          ) : null}
          <span className="muted zone" title="Times are shown in this zone">
            {timeZone.replace(/_/g, ' ')}
          </span>
          <button type="button" className="button small" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out<span className="visually-hidden"> {session?.user.email}</span>
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session && !membership ? <NoWorkspace /> : <Outlet />}
      </main>
    </>
  );
}

/** A person signed in who belongs to no workspace (they left it, or were removed): nothing to show but how to get back. */
function NoWorkspace() {
  return (
    <Page title="No workspace">
      <p>You are not a member of any workspace. Ask an owner or admin of one for an invitation, and open its link.</p>
    </Page>
  );
}

export function NotFound() {
  return (
    <main id="main" tabIndex={-1}>
      <Page title="Page not found">
        <p>
          Nothing is at this address. <Link to="/">Go to your posts</Link>.
        </p>
      </Page>
    </main>
  );
}
