import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsISO8601, IsObject, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Omittable } from '../../common/validation';
import { TagList } from '../dto';

class SeriesFields {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Per-channel text, keyed by channel id' })
  @Omittable()
  @IsObject()
  variants?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: ['weekly-tip'], maxItems: 20, description: 'Tags every occurrence carries' })
  @TagList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'Every occurrence is marked evergreen' })
  @Omittable()
  @IsBoolean()
  evergreen?: boolean;

  @ApiPropertyOptional({ example: '2027-12-31T23:00:00Z', description: 'No occurrence after this instant (with an offset or Z)' })
  @Omittable()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'At most this many occurrences in all, counted from startAt' })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(10000)
  count?: number;
}

export class CreateSeriesDto extends SeriesFields {
  @ApiProperty({ example: 'Tip of the week: ...' })
  @IsString()
  @MaxLength(100_000)
  text!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each channelId must be a UUID' })
  channelIds!: string[];

  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0', description: 'An RFC 5545 RRULE (HOURLY at most; no DTSTART or TZID: give startAt and timezone)' })
  @IsString()
  @MaxLength(500)
  rule!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'The IANA zone the rule is read in: 09:00 stays 09:00 there across DST' })
  @IsString()
  @MaxLength(64)
  timezone!: string;

  @ApiPropertyOptional({ example: '2027-01-04T00:00:00+01:00', description: 'The series starts here (default: now); its wall time gives the time of day when the rule names none' })
  @Omittable()
  @IsISO8601({ strict: true })
  startAt?: string;
}

/** An edit applies from the next occurrence on: the occurrences made ahead are made again. */
export class UpdateSeriesDto extends SeriesFields {
  @ApiPropertyOptional({ example: 'Tip of the week: ...' })
  @Omittable()
  @IsString()
  @MaxLength(100_000)
  text?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each channelId must be a UUID' })
  channelIds?: string[];

  @ApiPropertyOptional({ example: 'FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0' })
  @Omittable()
  @IsString()
  @MaxLength(500)
  rule?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class PreviewSeriesDto {
  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0' })
  @IsString()
  @MaxLength(500)
  rule!: string;

  @ApiProperty({ example: 'Europe/Berlin' })
  @IsString()
  @MaxLength(64)
  timezone!: string;

  @ApiPropertyOptional({ example: '2027-01-04T00:00:00+01:00' })
  @Omittable()
  @IsISO8601({ strict: true })
  startAt?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(10000)
  count?: number;
}
