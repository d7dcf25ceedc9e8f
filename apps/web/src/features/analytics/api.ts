/** Analytics' reads: GET /v1/analytics (sums per period and channel), /top (the posts that earned most), /best-times (the heat map). */
import { queryOptions } from '@tanstack/react-query';
import type { components } from '@herald/api-client';
import { herald } from '../../api/client';
import { call } from '../../api/call';

export type AnalyticsView = components['schemas']['Analytics'];
export type TopEntry = components['schemas']['AnalyticsTopEntry'];
export type HourCell = components['schemas']['AnalyticsHourCell'];
export type BestSlot = components['schemas']['AnalyticsBestSlot'];
export type TopView = components['schemas']['AnalyticsTop'];
export type BestTimesView = components['schemas']['AnalyticsBestTimes'];

// The reads answer CSV too (`Accept: text/csv`); the app asks for JSON, which is what it gets.

export interface AnalyticsRange {
  /** Days back from now. */
  days: number;
  groupBy: 'day' | 'week' | 'month';
}

const fromOf = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

export const analyticsQuery = ({ days, groupBy }: AnalyticsRange) =>
  queryOptions({
    queryKey: ['analytics', 'report', days, groupBy],
    queryFn: async () => (await call(herald.GET('/v1/analytics', { params: { query: { from: fromOf(days), groupBy } } }))) as AnalyticsView,
    placeholderData: (previous) => previous,
  });

export const topPostsQuery = (days: number) =>
  queryOptions({
    queryKey: ['analytics', 'top', days],
    queryFn: async () => (await call(herald.GET('/v1/analytics/top', { params: { query: { from: fromOf(days), limit: 100 } } }))) as TopView,
    placeholderData: (previous) => previous,
  });

export const bestTimesQuery = (days: number) =>
  queryOptions({
    queryKey: ['analytics', 'best-times', days],
    queryFn: async () => (await call(herald.GET('/v1/analytics/best-times', { params: { query: { from: fromOf(Math.max(days, 90)) } } }))) as BestTimesView,
    placeholderData: (previous) => previous,
  });
