/** Server state in TanStack Query (one cache, keyed by resource), pages from the router; a lapsed session sends the person to sign in. */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { ApiError } from '../api/problem';
import { forget, sessionQuery } from '../features/auth/session';
import { PersonProvider } from '../ui/person';
import { createAppRouter } from './router';

/** A session that lapsed while the page was open: sign in again, and come back here. */
function signInAgain(error: unknown): void {
  if (!(error instanceof ApiError) || error.status !== 401) return;
  forget();
  queryClient.clear();
  void router.navigate({ to: '/sign-in', search: { redirect: window.location.pathname + window.location.search } });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => query.queryKey[0] !== 'session' && signInAgain(error) }),
  // Sign-in's own 401 (a wrong password) is the form's to say.
  mutationCache: new MutationCache({ onError: (error, _variables, _context, mutation) => mutation.meta?.signIn !== true && signInAgain(error) }),
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: true,
      // A refusal is an answer: retried only when Herald did not answer at all.
      retry: (failures, error) => !(error instanceof ApiError) && failures < 2,
    },
  },
});
// Asked now, while React and the router start (the router's session check waits for this same request).
void queryClient.prefetchQuery(sessionQuery);
const router = createAppRouter(queryClient);

export function App() {
  return (
    <PersonProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </PersonProvider>
  );
}
