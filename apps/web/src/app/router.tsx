/**
 * The pages and their paths: code-based TanStack Router routes (typed params
 * and search, no generator step). Every page but sign-in and sign-up is under
 * the `app` layout, which needs a session: without one, the browser goes to
 * sign-in and comes back after.
 */
import { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { ApiError } from '../api/problem';
import { sessionQuery } from '../features/auth/session';
import { ApprovalsPage } from '../features/approvals/approvals-page';
import { AuditPage } from '../features/audit/audit-page';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/password-reset-pages';
import { SignInPage } from '../features/auth/sign-in-page';
import { AcceptInvitationPage } from '../features/members/accept-invitation-page';
import { MembersPage } from '../features/members/members-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import type { CalendarSearch } from '../features/calendar/calendar-page';
import { ChannelsPage } from '../features/channels/channels-page';
import { ConnectedPage } from '../features/channels/connected-page';
import { isPostStatus, type PostStatus } from '../features/posts/api';
import { PostPage } from '../features/posts/post-page';
import { PostsPage } from '../features/posts/posts-page';
import { ApiKeysPage } from '../features/settings/api-keys-page';
import { WebhooksPage } from '../features/settings/webhooks-page';
import { AppShell, NotFound, RootLayout } from './layout';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: RootLayout, notFoundComponent: NotFound });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => (typeof search.redirect === 'string' ? { redirect: search.redirect } : {}),
  component: SignInPage,
});

const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: '/sign-up', component: SignUpPage });
const forgotPasswordRoute = createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password', component: ForgotPasswordPage });
// The pages the API's emailed and shared links open (HERALD_PUBLIC_URL/reset-password#token=, /accept-invitation#token=).
const resetPasswordRoute = createRoute({ getParentRoute: () => rootRoute, path: '/reset-password', component: ResetPasswordPage });
const acceptInvitationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/accept-invitation', component: AcceptInvitationPage });

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: AppShell,
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(sessionQuery);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
      throw error;
    }
  },
});

const postsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  validateSearch: (search: Record<string, unknown>): { status?: PostStatus } => (isPostStatus(search.status) ? { status: search.status } : {}),
  component: PostsPage,
});
// The pages that bring a library of their own load when first opened: compose (the content rules and
// twitter-text), the calendar (luxon, dnd-kit) and a channel (dnd-kit's sortable queue).
const composeRoute = createRoute({ getParentRoute: () => appRoute, path: '/compose', component: lazyRouteComponent(() => import('../features/compose/compose-page'), 'ComposePage') });
const postRoute = createRoute({ getParentRoute: () => appRoute, path: '/posts/$postId', component: PostPage });
const channelsRoute = createRoute({ getParentRoute: () => appRoute, path: '/channels', component: ChannelsPage });
const connectedRoute = createRoute({ getParentRoute: () => appRoute, path: '/channels/connected', component: ConnectedPage });
const channelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/channels/$channelId',
  component: lazyRouteComponent(() => import('../features/channels/channel-page'), 'ChannelPage'),
});

const calendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/calendar',
  validateSearch: (search: Record<string, unknown>): CalendarSearch => ({
    ...(search.view === 'week' || search.view === 'month' ? { view: search.view } : {}),
    ...(typeof search.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(search.date) ? { date: search.date } : {}),
  }),
  component: lazyRouteComponent(() => import('../features/calendar/calendar-page'), 'CalendarPage'),
});
const approvalsRoute = createRoute({ getParentRoute: () => appRoute, path: '/approvals', component: ApprovalsPage });
const membersRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/members', component: MembersPage });
const apiKeysRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/api-keys', component: ApiKeysPage });
const webhooksRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/webhooks', component: WebhooksPage });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/audit', component: AuditPage });

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  acceptInvitationRoute,
  appRoute.addChildren([postsRoute, composeRoute, postRoute, channelsRoute, connectedRoute, channelRoute, calendarRoute, approvalsRoute, membersRoute, apiKeysRoute, webhooksRoute, auditRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
