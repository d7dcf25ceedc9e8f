/** Analytics' reads: GET /v1/analytics (sums per period and channel), /top (the posts that earned most), /best-times (the heat map), /accounts (followers per channel). */
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
export type DeliveryMetrics = components['schemas']['DeliveryMetrics'];
export type MetricFigures = components['schemas']['MetricFigures'];
export type PostMetricsView = components['schemas']['PostMetrics'];
export type AccountsView = components['schemas']['AnalyticsAccounts'];
export type AccountChannel = components['schemas']['AccountFigures'];

// The reads answer CSV too (`Accept: text/csv`); the app asks for JSON, which is what it gets.

export interface AnalyticsRange {
  /** Days back from now. */
  days: number;
  groupBy: 'day' | 'week' | 'month';
  /** One channel's figures (in its zone), else every channel's. */
  channelId?: string;
}

const fromOf = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const channelOf = (channelId: string | undefined) => (channelId ? { channelId } : {});

export const analyticsQuery = ({ days, groupBy, channelId }: AnalyticsRange) =>
  queryOptions({
    queryKey: ['analytics', 'report', days, groupBy, channelId ?? 'all'],
    queryFn: async () => (await call(herald.GET('/v1/analytics', { params: { query: { from: fromOf(days), groupBy, ...channelOf(channelId) } } }))) as AnalyticsView,
    placeholderData: (previous) => previous,
  });

export const topPostsQuery = (days: number, channelId?: string) =>
  queryOptions({
    queryKey: ['analytics', 'top', days, channelId ?? 'all'],
    queryFn: async () => (await call(herald.GET('/v1/analytics/top', { params: { query: { from: fromOf(days), limit: 100, ...channelOf(channelId) } } }))) as TopView,
    placeholderData: (previous) => previous,
  });

export const bestTimesQuery = (days: number, channelId?: string) =>
  queryOptions({
    queryKey: ['analytics', 'best-times', days, channelId ?? 'all'],
    queryFn: async () => (await call(herald.GET('/v1/analytics/best-times', { params: { query: { from: fromOf(Math.max(days, 90)), ...channelOf(channelId) } } }))) as BestTimesView,
    placeholderData: (previous) => previous,
  });

/** Each channel's followers, read once a day, over the range. */
export const accountsQuery = (days: number, channelId?: string) =>
  queryOptions({
    queryKey: ['analytics', 'accounts', days, channelId ?? 'all'],
    queryFn: async () => (await call(herald.GET('/v1/analytics/accounts', { params: { query: { from: fromOf(days), ...channelOf(channelId) } } }))) as AccountsView,
    placeholderData: (previous) => previous,
  });

/** A post's snapshots per delivery; read again every 2 s while a refresh is pending. */
export const postMetricsQuery = (postId: string) =>
  queryOptions({
    queryKey: ['analytics', 'post', postId],
    queryFn: async () => (await call(herald.GET('/v1/posts/{id}/metrics', { params: { path: { id: postId } } }))) as PostMetricsView,
    refetchInterval: (query) => (query.state.data?.deliveries.some((delivery) => delivery.refreshPending) ? 2000 : false),
  });
