/** Analytics' answers as the OpenAPI document describes them; the service answers these types. */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { BestSlot, ChannelTotals, FigureSet, HourCell, PeriodTotals, Totals } from './aggregate';
import type { AccountChannelView, AccountReadingView, AccountsView, AnalyticsView, BestTimesView, DeliveryMetricsView, PostMetricsView, SnapshotView, TopEntryView, TopView } from './analytics.service';
import type { RefreshView } from './usecases/refresh-metrics.usecase';

const FIGURE = { type: 'integer', nullable: true } as const;

@ApiSchema({ name: 'MetricFigures', description: 'The figures named alike across networks; null where the network does not report one' })
export class FiguresSchema implements FigureSet {
  @ApiProperty(FIGURE) impressions!: number | null;
  @ApiProperty(FIGURE) likes!: number | null;
  @ApiProperty(FIGURE) reposts!: number | null;
  @ApiProperty(FIGURE) replies!: number | null;
  @ApiProperty(FIGURE) quotes!: number | null;
  @ApiProperty(FIGURE) bookmarks!: number | null;
  @ApiProperty(FIGURE) clicks!: number | null;
  @ApiProperty(FIGURE) saves!: number | null;
  @ApiProperty(FIGURE) shares!: number | null;
  @ApiProperty(FIGURE) videoViews!: number | null;
}

@ApiSchema({ name: 'MetricsSnapshot', description: 'What a delivery had earned at one moment' })
export class SnapshotSchema implements SnapshotView {
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty({ enum: ['scheduled', 'refresh'] }) kind!: string;
  @ApiProperty({ type: FiguresSchema }) figures!: FiguresSchema;
  @ApiProperty({ description: 'likes + reposts + replies + quotes + bookmarks + saves + shares + clicks, of those the network reports' }) engagements!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: "The network's own figures, in its names" }) extra!: Record<string, number>;
}

@ApiSchema({ name: 'DeliveryMetrics', description: "One delivery's snapshots" })
export class DeliveryMetricsSchema implements DeliveryMetricsView {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() network!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ type: 'string', nullable: true }) externalId!: string | null;
  @ApiProperty({ type: SnapshotSchema, nullable: true }) latest!: SnapshotSchema | null;
  @ApiProperty({ type: [SnapshotSchema], description: 'Oldest first' }) snapshots!: SnapshotSchema[];
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) nextSnapshotAt!: string | null;
  @ApiProperty() refreshPending!: boolean;
  @ApiProperty({ type: 'string', nullable: true, enum: ['done', 'deleted'], description: 'Why snapshots ended (`deleted`: the network says the post is gone); null while they go on' })
  ended!: string | null;
}

@ApiSchema({ name: 'PostMetrics', description: "A post's metrics: each published delivery's snapshots" })
export class PostMetricsSchema implements PostMetricsView {
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty({ type: [DeliveryMetricsSchema] }) deliveries!: DeliveryMetricsSchema[];
}

@ApiSchema({ name: 'MetricsRefresh', description: 'A refresh asked for: the worker reads these deliveries shortly' })
export class RefreshSchema implements RefreshView {
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) deliveryIds!: string[];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
}

@ApiSchema({ name: 'AnalyticsTotals' })
export class TotalsSchema implements Totals {
  @ApiProperty() posts!: number;
  @ApiProperty() deliveries!: number;
  @ApiProperty() impressions!: number;
  @ApiProperty() engagements!: number;
  @ApiProperty({ type: 'number', nullable: true, description: 'Engagements over impressions, of the deliveries whose network gives impressions' }) engagementRate!: number | null;
  @ApiProperty() likes!: number;
  @ApiProperty() reposts!: number;
  @ApiProperty() replies!: number;
}

@ApiSchema({ name: 'AnalyticsPeriod' })
export class PeriodSchema extends TotalsSchema implements PeriodTotals {
  @ApiProperty({ description: "The period's first day in the zone", example: '2027-03-01' }) period!: string;
}

@ApiSchema({ name: 'AnalyticsChannel' })
export class ChannelTotalsSchema extends TotalsSchema implements ChannelTotals {
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() network!: string;
}

@ApiSchema({ name: 'Analytics', description: "Each published delivery's latest figures, summed per period and per channel" })
export class AnalyticsSchema implements AnalyticsView {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ description: 'More deliveries than one answer reads: narrow the range' }) truncated!: boolean;
  @ApiProperty({ enum: ['day', 'week', 'month'] }) groupBy!: string;
  @ApiProperty({ type: TotalsSchema }) totals!: TotalsSchema;
  @ApiProperty({ type: [PeriodSchema] }) periods!: PeriodSchema[];
  @ApiProperty({ type: [ChannelTotalsSchema] }) channels!: ChannelTotalsSchema[];
}

@ApiSchema({ name: 'AnalyticsTopEntry' })
export class TopEntrySchema implements TopEntryView {
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() network!: string;
  @ApiProperty() handle!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: 'string', nullable: true }) externalUrl!: string | null;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty({ type: FiguresSchema }) figures!: FiguresSchema;
  @ApiProperty() engagements!: number;
  @ApiProperty({ description: 'The network says the post is gone' }) deleted!: boolean;
}

@ApiSchema({ name: 'AnalyticsTop', description: 'The deliveries with the most of a metric' })
export class TopSchema implements TopView {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty() truncated!: boolean;
  @ApiProperty() metric!: string;
  @ApiProperty({ type: [TopEntrySchema] }) data!: TopEntrySchema[];
}

@ApiSchema({ name: 'AnalyticsHourCell', description: 'One hour of the week, in the channel\'s zone' })
export class HourCellSchema implements HourCell {
  @ApiProperty({ description: 'ISO weekday: 1 Monday … 7 Sunday' }) weekday!: number;
  @ApiProperty({ minimum: 0, maximum: 23 }) hour!: number;
  @ApiProperty() posts!: number;
  @ApiProperty() engagements!: number;
  @ApiProperty({ description: 'Engagements per post' }) average!: number;
}

@ApiSchema({ name: 'AnalyticsBestSlot' })
export class BestSlotSchema extends HourCellSchema implements BestSlot {
  @ApiProperty({ enum: ['low', 'medium', 'high'], description: 'low under 3 posts in the slot, medium under 10, else high' }) confidence!: BestSlot['confidence'];
}

@ApiSchema({ name: 'AnalyticsBestTimes', description: 'Engagement by hour of the week, from the channel\'s own history, and the slots that did best' })
export class BestTimesSchema implements BestTimesView {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty() truncated!: boolean;
  @ApiProperty({ type: [HourCellSchema] }) cells!: HourCellSchema[];
  @ApiProperty({ type: [BestSlotSchema] }) best!: BestSlotSchema[];
  @ApiProperty() sample!: number;
}

const COUNT = { type: 'integer', nullable: true } as const;

@ApiSchema({ name: 'AccountReading', description: "A channel's own figures at one daily reading; null where its network does not give one" })
export class AccountReadingSchema implements AccountReadingView {
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty(COUNT) followers!: number | null;
  @ApiProperty({ ...COUNT, description: 'Accounts it follows' }) following!: number | null;
  @ApiProperty({ ...COUNT, description: 'Posts on the account, as the network counts them' }) posts!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: "The network's own figures, in its names (X's listed_count, Facebook's fan_count)" }) extra!: Record<string, number>;
}

@ApiSchema({ name: 'AccountFigures', description: "One channel's readings in the range" })
export class AccountChannelSchema implements AccountChannelView {
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() network!: string;
  @ApiProperty() handle!: string;
  @ApiProperty({ type: AccountReadingSchema, description: 'The last reading in the range' }) latest!: AccountReadingSchema;
  @ApiProperty({ type: 'integer', nullable: true, description: "Followers at the last reading less at the first (null when either has none)" }) followersChange!: number | null;
  @ApiProperty({ type: [AccountReadingSchema], description: 'Oldest first' }) readings!: AccountReadingSchema[];
}

@ApiSchema({ name: 'AnalyticsAccounts', description: "Each channel's followers (and what else its network gives), read once a day" })
export class AccountsSchema implements AccountsView {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty() truncated!: boolean;
  @ApiProperty({ type: [AccountChannelSchema] }) channels!: AccountChannelSchema[];
}
