/** Recurring series as queries: the list (GET /v1/series) and a rule's meaning (POST /v1/series/preview). */
import { queryOptions } from '@tanstack/react-query';
import type { Schemas } from '@herald/api-client';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import type { SeriesTiming } from './repeat-rule';

export type SeriesView = Schemas['Series'];

export const seriesListQuery = queryOptions({
  queryKey: ['series'],
  queryFn: async () => (await call(herald.GET('/v1/series'))).data,
});

export const seriesPreviewQuery = (timing: SeriesTiming | null) =>
  queryOptions({
    queryKey: ['series', 'preview', timing],
    queryFn: () => call(herald.POST('/v1/series/preview', { body: timing! })),
    enabled: timing !== null,
    retry: false,
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
