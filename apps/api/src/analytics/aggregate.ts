/**
 * Analytics' arithmetic (pure): each published delivery's latest figures,
 * summed per period (in a zone), per channel, and by hour of the week (in
 * each channel's own zone) for the best times to post. `engagements` is
 * what the network reports of likes, reposts, replies, quotes, bookmarks,
 * saves, shares and clicks; the engagement rate is engagements over
 * impressions, counted only where the network gives impressions.
 */
import { DateTime } from 'luxon';

export type GroupBy = 'day' | 'week' | 'month';

export const FIGURE_NAMES = ['impressions', 'likes', 'reposts', 'replies', 'quotes', 'bookmarks', 'clicks', 'saves', 'shares', 'videoViews'] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];
export type FigureSet = Record<FigureName, number | null>;

/** One delivery's latest snapshot, as the aggregates read it. */
export interface LatestFigures {
  deliveryId: string;
  postId: string;
  channelId: string;
  network: string;
  channelTimezone: string;
  publishedAt: Date;
  figures: FigureSet;
  engagements: number;
}

export interface Totals {
  posts: number;
  deliveries: number;
  impressions: number;
  engagements: number;
  /** Engagements over impressions, of the deliveries whose network gives impressions; null when none does. */
  engagementRate: number | null;
  likes: number;
  reposts: number;
  replies: number;
}

export interface PeriodTotals extends Totals {
  /** The period's first day (yyyy-MM-dd) in the zone. */
  period: string;
}

export interface ChannelTotals extends Totals {
  channelId: string;
  network: string;
}

export function totalsOf(rows: readonly LatestFigures[]): Totals {
  let impressions = 0;
  let engagementsWithImpressions = 0;
  let anyImpressions = false;
  const sum = (name: FigureName) => rows.reduce((total, row) => total + (row.figures[name] ?? 0), 0);
  for (const row of rows) {
    if (row.figures.impressions === null) continue;
    anyImpressions = true;
    impressions += row.figures.impressions;
    engagementsWithImpressions += row.engagements;
  }
  return {
    posts: new Set(rows.map((row) => row.postId)).size,
    deliveries: rows.length,
    impressions,
    engagements: rows.reduce((total, row) => total + row.engagements, 0),
    engagementRate: anyImpressions && impressions > 0 ? round(engagementsWithImpressions / impressions) : null,
    likes: sum('likes'),
    reposts: sum('reposts'),
    replies: sum('replies'),
  };
}

/** Totals per period of publishing (day, ISO week from Monday, month) in `zone`, oldest first. */
export function byPeriod(rows: readonly LatestFigures[], groupBy: GroupBy, zone: string): PeriodTotals[] {
  const groups = new Map<string, LatestFigures[]>();
  for (const row of rows) {
    const period = DateTime.fromJSDate(row.publishedAt, { zone }).startOf(groupBy).toISODate()!;
    groups.set(period, [...(groups.get(period) ?? []), row]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([period, group]) => ({ period, ...totalsOf(group) }));
}

export function byChannel(rows: readonly LatestFigures[]): ChannelTotals[] {
  const groups = new Map<string, LatestFigures[]>();
  for (const row of rows) groups.set(row.channelId, [...(groups.get(row.channelId) ?? []), row]);
  return [...groups.values()].map((group) => ({ channelId: group[0]!.channelId, network: group[0]!.network, ...totalsOf(group) })).sort((a, b) => b.engagements - a.engagements);
}

/** The deliveries with the most of `metric` (engagements or a figure), most first. */
export function topOf<T extends LatestFigures>(rows: readonly T[], metric: FigureName | 'engagements', limit: number): T[] {
  const value = (row: T) => (metric === 'engagements' ? row.engagements : (row.figures[metric] ?? -1));
  return [...rows].sort((a, b) => value(b) - value(a) || b.publishedAt.getTime() - a.publishedAt.getTime()).slice(0, limit);
}

export interface HourCell {
  /** ISO weekday: 1 Monday … 7 Sunday, in the channel's zone. */
  weekday: number;
  hour: number;
  posts: number;
  engagements: number;
  /** Engagements per post published in this hour. */
  average: number;
}

export interface BestSlot extends HourCell {
  /** How sure: `low` under 3 posts in the slot, `medium` under 10, else `high`. */
  confidence: 'low' | 'medium' | 'high';
}

/** Engagement by hour of the week, each delivery in its own channel's zone; and the slots that did best (at most `best`). */
export function bestTimes(rows: readonly LatestFigures[], best = 3): { cells: HourCell[]; best: BestSlot[] } {
  const cells = new Map<string, HourCell>();
  for (const row of rows) {
    const local = DateTime.fromJSDate(row.publishedAt, { zone: row.channelTimezone });
    const key = `${local.weekday}-${local.hour}`;
    const cell = cells.get(key) ?? { weekday: local.weekday, hour: local.hour, posts: 0, engagements: 0, average: 0 };
    cell.posts += 1;
    cell.engagements += row.engagements;
    cell.average = round(cell.engagements / cell.posts);
    cells.set(key, cell);
  }
  const all = [...cells.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
  const top = [...all]
    .sort((a, b) => b.average - a.average || b.posts - a.posts)
    .slice(0, best)
    .map((cell) => ({ ...cell, confidence: (cell.posts < 3 ? 'low' : cell.posts < 10 ? 'medium' : 'high') as BestSlot['confidence'] }));
  return { cells: all, best: top };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
