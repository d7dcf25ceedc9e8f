/**
 * The frame of every page: a skip link, one header row (the brand, the
 * navigation, the bell, the account menu), and the page in <main>. The
 * navigation keeps the daily pages in sight and folds content and settings
 * into a menu each; at phone width all of it folds into one menu beside the bell. The frame is drawn
 * at once, as a skeleton, while the session check runs.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { DropdownMenu } from 'radix-ui';
import { herald } from '../api/client';
import { call } from '../api/call';
import { chooseWorkspace, currentMembership, forget, sessionQuery, useCan } from '../features/auth/session';
import { NotificationsBell, usePendingApprovals } from '../features/notifications/bell';
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

type NavTarget =
  | '/'
  | '/compose'
  | '/calendar'
  | '/analytics'
  | '/channels'
  | '/approvals'
  | '/series'
  | '/feeds'
  | '/import'
  | '/settings/members'
  | '/settings/api-keys'
  | '/settings/webhooks'
  | '/settings/workspace'
  | '/settings/audit';

interface NavItem {
  to: NavTarget;
  label: string;
  count?: number;
}

/** The navigation in three groups: the daily pages (always in sight), content that keeps coming, and settings (each a menu at desktop width). */
interface NavGroups {
  daily: NavItem[];
  content: NavItem[];
  settings: NavItem[];
}

function useNavGroups(): NavGroups {
  const canWrite = useCan('posts.write');
  const canManageKeys = useCan('keys.manage');
  const canApprove = useCan('posts.approve');
  const canManageWebhooks = useCan('webhooks.manage');
  const canReadAudit = useCan('audit.read');
  const canManageWorkspace = useCan('workspace.manage');
  const pending = usePendingApprovals().data?.length ?? 0;
  return {
    daily: [
      { to: '/', label: 'Posts' },
      ...(canWrite ? [{ to: '/compose', label: 'Compose' } as const] : []),
      { to: '/calendar', label: 'Calendar' },
      ...(canApprove ? [{ to: '/approvals', label: 'Approvals', count: pending } as const] : []),
      { to: '/analytics', label: 'Analytics' },
      { to: '/channels', label: 'Channels' },
    ],
    content: [
      { to: '/series', label: 'Recurring series' },
      { to: '/feeds', label: 'Feeds' },
      ...(canWrite ? [{ to: '/import', label: 'Import CSV' } as const] : []),
    ],
    settings: [
      ...(canManageWorkspace ? [{ to: '/settings/workspace', label: 'Workspace' } as const] : []),
      { to: '/settings/members', label: 'Members' },
      ...(canManageKeys ? [{ to: '/settings/api-keys', label: 'API keys' } as const] : []),
      ...(canManageWebhooks ? [{ to: '/settings/webhooks', label: 'Webhooks' } as const] : []),
      ...(canReadAudit ? [{ to: '/settings/audit', label: 'Audit log' } as const] : []),
    ],
  };
}

function Count({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <>
      <span className="nav-count" aria-hidden="true">
        {count}
      </span>
      <span className="visually-hidden"> ({count} waiting)</span>
    </>
  );
}

export function AppShell() {
  const session = useQuery(sessionQuery).data;
  const membership = session ? currentMembership(session) : undefined;
  return (
    <>
      <header className="app-header">
        <Brand />
        {membership ? <MainNav /> : null}
        <div className="header-end">
          {membership ? <NotificationsBell /> : null}
          {membership ? <PhoneMenu /> : null}
          <AccountMenu />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session && !membership ? <NoWorkspace /> : <Outlet />}
      </main>
    </>
  );
}

function Brand() {
  return (
    <Link to="/" className="brand">
      <span className="brand-mark" aria-hidden="true">
        H
      </span>
      Herald
    </Link>
  );
}

function MainNav() {
  const { daily, content, settings } = useNavGroups();
  return (
    <nav aria-label="Main" className="main-nav">
      <ul>
        {daily.map((item) => (
          <li key={item.to}>
            <Link to={item.to} activeOptions={{ exact: item.to === '/' }}>
              {item.label}
              <Count count={item.count} />
            </Link>
          </li>
        ))}
        <li>
          <NavMenu label="Content" items={content} />
        </li>
        <li>
          <NavMenu label="Settings" items={settings} />
        </li>
      </ul>
    </nav>
  );
}

/**
 * A group of the navigation as a menu (Radix: a button with aria-expanded and aria-haspopup, arrow keys
 * between the links, Escape closes and gives the focus back). The button is marked when one of its pages
 * is open; the link of that page is aria-current inside the menu.
 */
function NavMenu({ label, items }: { label: string; items: NavItem[] }) {
  const path = useRouterState({ select: (state) => state.location.pathname });
  const current = items.some((item) => path === item.to || path.startsWith(`${item.to}/`));
  // Not modal: the page stays in the accessibility tree (a modal menu would aria-hide it, its own button included).
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className={`nav-menu-button${current ? ' current' : ''}`}>
        {label}
        <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 9l6 6 6-6" />
        </svg>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={8}>
          {items.map((item) => (
            <DropdownMenu.Item key={item.to} asChild>
              <Link to={item.to} className="menu-item">
                {item.label}
              </Link>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** At phone width: every link in one menu, in its groups (Radix: arrow keys, Escape, focus returned). */
function PhoneMenu() {
  const { daily, content, settings } = useNavGroups();
  const waiting = daily.reduce((sum, item) => sum + (item.count ?? 0), 0);
  const link = (item: NavItem) => (
    <DropdownMenu.Item key={item.to} asChild>
      <Link to={item.to} className="menu-item" activeOptions={{ exact: item.to === '/' }}>
        {item.label}
        <Count count={item.count} />
      </Link>
    </DropdownMenu.Item>
  );
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="icon-button menu-button" aria-label={waiting ? `Menu (${waiting} waiting for approval)` : 'Menu'}>
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M4 6h16M4 12h16M4 18h16" />
        </svg>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu menu-tall" align="end" sideOffset={8}>
          {daily.map(link)}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Group>
            <DropdownMenu.Label className="menu-label">Content</DropdownMenu.Label>
            {content.map(link)}
          </DropdownMenu.Group>
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Group>
            <DropdownMenu.Label className="menu-label">Settings</DropdownMenu.Label>
            {settings.map(link)}
          </DropdownMenu.Group>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function AccountMenu() {
  const session = useQuery(sessionQuery).data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { timeZone } = usePerson();
  const signOut = useMutation({
    mutationFn: () => call(herald.POST('/v1/auth/sign-out')),
    onSettled: async () => {
      forget();
      queryClient.clear();
      await navigate({ to: '/sign-in' });
    },
  });
  if (!session) return null;
  const membership = currentMembership(session);
  const switchTo = async (workspaceId: string) => {
    chooseWorkspace(workspaceId);
    // Everything but the session belongs to the workspace left.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    await navigate({ to: '/' });
  };
  const who = session.user.name || session.user.email;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="account-button">
        <span className="account-initial" aria-hidden="true">
          {who.slice(0, 1).toUpperCase()}
        </span>
        <span className="account-text">{membership?.name ?? who}</span>
        <span className="visually-hidden"> Account of {who}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={8}>
          <DropdownMenu.Label className="menu-label">
            {session.user.email}
            <br />
            Times in {timeZone.replace(/_/g, ' ')}
          </DropdownMenu.Label>
          {session.memberships.length > 1 ? (
            <>
              <DropdownMenu.Separator className="menu-separator" />
              <DropdownMenu.Label className="menu-label">Workspace</DropdownMenu.Label>
              <DropdownMenu.RadioGroup value={membership?.workspaceId} onValueChange={(id) => void switchTo(id)}>
                {session.memberships.map((entry) => (
                  <DropdownMenu.RadioItem key={entry.workspaceId} value={entry.workspaceId} className="menu-item">
                    <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
                    {entry.name}
                  </DropdownMenu.RadioItem>
                ))}
              </DropdownMenu.RadioGroup>
            </>
          ) : null}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item className="menu-item" onSelect={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** The frame drawn before the session check answers: the header and grey blocks where the page will be, not a blank page. */
export function AppShellSkeleton() {
  return (
    <>
      <header className="app-header">
        <Brand />
      </header>
      <main id="main" tabIndex={-1} aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading…
        </p>
        <div className="skeleton skeleton-title" />
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-line" />
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
