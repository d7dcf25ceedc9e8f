/**
 * The pages and their paths: code-based TanStack Router routes (typed params
 * and search, no generator step). Every page but sign-in and sign-up is under
 * the `app` layout, which needs a session: without one, the browser goes to
 * sign-in and comes back after.
 */
import { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect, type AnyRoute } from '@tanstack/react-router';
import { ApiError } from '../api/problem';
import { sessionQuery } from '../features/auth/session';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/password-reset-pages';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { calendarSearch } from '../features/calendar/search';
import { composeSearch } from '../features/compose/compose-search';
import { isPostStatus, type PostStatus } from '../features/posts/api';
import { PostsPage } from '../features/posts/posts-page';
import { AppShell, AppShellSkeleton, NotFound, RootLayout } from './layout';

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
const acceptInvitationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/accept-invitation', component: lazyRouteComponent(() => import('../features/members/accept-invitation-page'), 'AcceptInvitationPage') });

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: AppShell,
  // The frame is drawn at once while the session check runs, not a blank page.
  pendingComponent: AppShellSkeleton,
  // After 100 ms: a session check taking longer draws the frame; moving between pages (the session cached) never flashes it.
  pendingMs: 100,
  pendingMinMs: 0,
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
  validateSearch: (search: Record<string, unknown>): { status?: PostStatus; tag?: string; series?: string } => ({
    ...(isPostStatus(search.status) ? { status: search.status } : {}),
    ...(typeof search.tag === 'string' && search.tag.length > 0 && search.tag.length <= 50 ? { tag: search.tag } : {}),
    ...(typeof search.series === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(search.series) ? { series: search.series } : {}),
  }),
  component: PostsPage,
});
// The pages that bring a library of their own load when first opened: compose (the content rules and
// twitter-text), the calendar (luxon, dnd-kit) and a channel (dnd-kit's sortable queue).
const composeRoute = createRoute({ getParentRoute: () => appRoute, path: '/compose', validateSearch: composeSearch, component: lazyRouteComponent(() => import('../features/compose/compose-page'), 'ComposePage') });
const postRoute = createRoute({ getParentRoute: () => appRoute, path: '/posts/$postId', component: lazyRouteComponent(() => import('../features/posts/post-page'), 'PostPage') });
const channelsRoute = createRoute({ getParentRoute: () => appRoute, path: '/channels', component: lazyRouteComponent(() => import('../features/channels/channels-page'), 'ChannelsPage') });
const connectedRoute = createRoute({ getParentRoute: () => appRoute, path: '/channels/connected', component: lazyRouteComponent(() => import('../features/channels/connected-page'), 'ConnectedPage') });
const channelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/channels/$channelId',
  validateSearch: (search: Record<string, unknown>): { tab?: 'queue' | 'times' | 'settings' } =>
    search.tab === 'queue' || search.tab === 'times' || search.tab === 'settings' ? { tab: search.tab } : {},
  component: lazyRouteComponent(() => import('../features/channels/channel-page'), 'ChannelPage'),
});

const calendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/calendar',
  validateSearch: calendarSearch,
  // The month's one read starts before the page's first render (which takes longer than the read), not after it:
  // the loader waits for the page's code (loading since the app started) and, on the calendar's first visit, the answer.
  loaderDeps: ({ search }) => search,
  loader: async ({ context, deps }) => (await import('../features/calendar/calendar-page')).prefetchCalendar(context.queryClient, deps),
  component: lazyRouteComponent(() => import('../features/calendar/calendar-page'), 'CalendarPage'),
});
// Approvals show compose's previews (the content rules and twitter-text): loaded when first opened, as every page but the posts list and signing in.
const approvalsRoute = createRoute({ getParentRoute: () => appRoute, path: '/approvals', component: lazyRouteComponent(() => import('../features/approvals/approvals-page'), 'ApprovalsPage') });
const analyticsRoute = createRoute({ getParentRoute: () => appRoute, path: '/analytics', component: lazyRouteComponent(() => import('../features/analytics/analytics-page'), 'AnalyticsPage') });
// Content that keeps coming (PRODUCT.md section 13): recurring series, feeds, CSV import.
const seriesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/series',
  validateSearch: (search: Record<string, unknown>): { created?: string } => (typeof search.created === 'string' && /^[0-9a-f-]{36}$/i.test(search.created) ? { created: search.created } : {}),
  component: lazyRouteComponent(() => import('../features/series/series-page'), 'SeriesPage'),
});
const feedsRoute = createRoute({ getParentRoute: () => appRoute, path: '/feeds', component: lazyRouteComponent(() => import('../features/feeds/feeds-page'), 'FeedsPage') });
const importRoute = createRoute({ getParentRoute: () => appRoute, path: '/import', component: lazyRouteComponent(() => import('../features/imports/import-page'), 'ImportPage') });
const membersRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/members', component: lazyRouteComponent(() => import('../features/members/members-page'), 'MembersPage') });
const apiKeysRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/api-keys', component: lazyRouteComponent(() => import('../features/settings/api-keys-page'), 'ApiKeysPage') });
const webhooksRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/webhooks', component: lazyRouteComponent(() => import('../features/settings/webhooks-page'), 'WebhooksPage') });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/audit', component: lazyRouteComponent(() => import('../features/audit/audit-page'), 'AuditPage') });
const workspaceRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/workspace', component: lazyRouteComponent(() => import('../features/settings/workspace-page'), 'WorkspacePage') });

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  acceptInvitationRoute,
  appRoute.addChildren([postsRoute, composeRoute, postRoute, channelsRoute, connectedRoute, channelRoute, calendarRoute, analyticsRoute, approvalsRoute, seriesRoute, feedsRoute, importRoute, membersRoute, apiKeysRoute, webhooksRoute, workspaceRoute, auditRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  const router = createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });
  // The first page's own code (a lazy route's chunk) loads while the session is checked, not after it.
  const routes: Record<string, AnyRoute> = router.routesById;
  for (const match of router.matchRoutes(router.latestLocation)) void router.loadRouteChunk(routes[match.routeId as string]!)?.catch(() => undefined);
  return router;
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
