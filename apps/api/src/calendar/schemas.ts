/** The calendar's answer as the OpenAPI document describes it; the service answers these types. */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DELIVERY_STATUSES } from '@herald/db';
import type { CalendarEntryView, CalendarEntryDeliveryView, CalendarView } from './calendar-entries';

@ApiSchema({ name: 'CalendarDelivery', description: "One channel's delivery of a calendar entry (no attempts: GET /v1/posts/:id has them)" })
export class CalendarDeliverySchema implements CalendarEntryDeliveryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: CalendarEntryDeliveryView['status'];

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  publishedAt!: string | null;
}

@ApiSchema({ name: 'CalendarEntry', description: "A post's deliveries due at one instant: one chip on the calendar" })
export class CalendarEntrySchema implements CalendarEntryView {
  @ApiProperty({ format: 'uuid' })
  postId!: string;

  @ApiProperty({ format: 'date-time', description: 'The instant, UTC' })
  scheduledAt!: string;

  @ApiProperty({ description: "Its channels' zone (IANA; the first channel's when they differ)", example: 'America/New_York' })
  timezone!: string;

  @ApiProperty({ description: 'The wall time in that zone, yyyy-MM-ddTHH:mm', example: '2027-03-14T09:00' })
  localTime!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  channelIds!: string[];

  @ApiProperty({ type: [CalendarDeliverySchema] })
  deliveries!: CalendarDeliverySchema[];

  @ApiProperty({ description: "The post's text, at most 120 characters (cut ones end with …)" })
  excerpt!: string;

  @ApiProperty({ description: "Whether it holds a slot of its channels' queues (`queue` or `next`): moving it to a time takes it out" })
  queued!: boolean;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The first media item of the library, for a thumbnail (GET /v1/media/:id/thumbnail)' })
  mediaId!: string | null;

  @ApiProperty({ type: [String], description: "The post's tags" })
  tags!: string[];

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The recurring series the post is an occurrence of' })
  seriesId!: string | null;
}

@ApiSchema({ name: 'Calendar', description: 'Every entry scheduled in a range, in time order' })
export class CalendarSchema implements CalendarView {
  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [CalendarEntrySchema] })
  entries!: CalendarEntrySchema[];

  @ApiProperty({ description: 'More deliveries than one answer carries (5,000) fall in the range: ask for a shorter one' })
  truncated!: boolean;
}
