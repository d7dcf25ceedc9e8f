/** Server state in TanStack Query (one cache, keyed by resource), pages from the router; a lapsed session sends the person to sign in. */
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { ApiError } from '../api/problem';
import { forget } from '../features/auth/session';
import { PersonProvider } from '../ui/person';
import { createAppRouter } from './router';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'session') {
        forget();
        queryClient.clear();
        void router.navigate({ to: '/sign-in', search: { redirect: window.location.pathname + window.location.search } });
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: true,
      // A refusal is an answer: retried only when Herald did not answer at all.
      retry: (failures, error) => !(error instanceof ApiError) && failures < 2,
    },
  },
});
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
