import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { DELIVERY_STATUSES } from '@herald/db';
import { Omittable } from '../common/validation';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** `GET /v1/calendar?from=&to=&timezone=&channelId=&status=&tag=`. */
export class CalendarQuery {
  @ApiProperty({ description: 'Start (inclusive): an instant with its offset, or a date (the start of that day in `timezone`)', example: '2027-03-01' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ description: 'End (exclusive), as `from`; at most 62 days after it', example: '2027-04-01' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({ description: 'The zone dates and offset-less times are read in (IANA name; UTC when left out)', example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ description: 'Only these channels: one id, or several separated by commas' })
  @Omittable()
  @Matches(new RegExp(`^${UUID}(,${UUID}){0,99}$`), { message: 'channelId must be channel ids separated by commas' })
  channelId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only deliveries in this status' })
  @Omittable()
  @IsIn(DELIVERY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Only posts with this tag (any case)', example: 'launch' })
  @Omittable()
  @IsString()
  @MaxLength(50)
  tag?: string;
}
