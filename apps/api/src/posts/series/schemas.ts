import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { SeriesPreview, SeriesView } from './series.service';

@ApiSchema({ name: 'SeriesPreview', description: 'What a rule means: in words, and its next occurrences' })
export class SeriesPreviewSchema implements SeriesPreview {
  @ApiProperty({ example: 'every week on Monday at 9 AM', description: "The rule in words (English, the rrule library's)" })
  summary!: string;

  @ApiProperty({ type: [String], format: 'date-time', description: 'The next (up to) 10 occurrences, as instants' })
  nextOccurrences!: string[];
}

@ApiSchema({ name: 'Series', description: 'A recurring post: an RRULE read in a zone; its occurrences are made ahead as ordinary posts (`GET /v1/posts?seriesId=`)' })
export class SeriesSchema extends SeriesPreviewSchema implements SeriesView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['active', 'paused', 'ended'], description: '`ended` once the rule has no occurrence left' })
  status!: 'active' | 'paused' | 'ended';

  @ApiProperty()
  text!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  variants!: Record<string, string>;

  @ApiProperty({ type: [String], format: 'uuid' })
  channelIds!: string[];

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty()
  evergreen!: boolean;

  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0' })
  rule!: string;

  @ApiProperty({ example: 'Europe/Berlin' })
  timezone!: string;

  @ApiProperty({ format: 'date-time' })
  startAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  until!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  count!: number | null;

  @ApiProperty({ format: 'date-time', description: 'Occurrences up to here are made as posts' })
  expandedUntil!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
