import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Omittable } from '../common/validation';
import { FIGURE_NAMES } from './aggregate';

/** What every analytics read takes: a range of publishing times, a channel, a zone. */
export class AnalyticsRangeQuery {
  @ApiPropertyOptional({ description: 'Only posts published from this instant or date (in the zone); default 30 days ago', example: '2027-03-01' })
  @Omittable()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Only posts published before this instant or date (exclusive); default now', example: '2027-04-01' })
  @Omittable()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only this channel', format: 'uuid' })
  @Omittable()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ description: "The zone of dates and periods (IANA); default the channel's when one is named, else the workspace's", example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

/** `GET /v1/analytics`. */
export class AnalyticsQuery extends AnalyticsRangeQuery {
  @ApiPropertyOptional({ enum: ['day', 'week', 'month'], description: 'The periods summed (weeks from Monday); default day' })
  @Omittable()
  @IsIn(['day', 'week', 'month'])
  groupBy?: 'day' | 'week' | 'month';
}

export const TOP_METRICS = ['engagements', ...FIGURE_NAMES] as const;

/** `GET /v1/analytics/top`. */
export class TopQuery extends AnalyticsRangeQuery {
  @ApiPropertyOptional({ enum: TOP_METRICS, description: 'What to rank by; default engagements' })
  @Omittable()
  @IsIn(TOP_METRICS)
  metric?: (typeof TOP_METRICS)[number];

  @ApiPropertyOptional({ description: 'How many (1–100); default 10', minimum: 1, maximum: 100 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** `GET /v1/analytics/accounts`: readings taken within the range. */
export class AccountsQuery {
  @ApiPropertyOptional({ description: 'Only readings taken from this instant or date (in the zone); default 30 days ago', example: '2027-03-01' })
  @Omittable()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Only readings taken before this instant or date (exclusive); default now', example: '2027-04-01' })
  @Omittable()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only this channel', format: 'uuid' })
  @Omittable()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ description: "The zone of the dates (IANA); default the channel's when one is named, else the workspace's", example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}
