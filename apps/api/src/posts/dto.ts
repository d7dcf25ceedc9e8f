import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsObject,
  IsString,
  IsUrl,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  ValidationArguments,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { Omittable } from '../common/validation';

export const SCHEDULE_MODE_NAMES = ['at', 'queue', 'next', 'now', 'draft'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODE_NAMES)[number];

export class ScheduleDto {
  @ApiProperty({ enum: SCHEDULE_MODE_NAMES, example: 'at' })
  @IsIn(SCHEDULE_MODE_NAMES)
  mode!: ScheduleMode;

  /** An instant with offset or Z (mode `at`). */
  @ApiPropertyOptional({ example: '2026-12-01T09:00:00+01:00', description: 'mode at: an instant with offset or Z' })
  @Omittable()
  @IsString()
  @MaxLength(40)
  at?: string;

  /** A wall-clock time `YYYY-MM-DDTHH:mm` (mode `at`, with `timezone`). */
  @ApiPropertyOptional({ example: '2026-12-01T09:00', description: 'mode at: a wall-clock time, with timezone' })
  @Omittable()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'localTime must be YYYY-MM-DDTHH:mm' })
  localTime?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

@ValidatorConstraint({ name: 'notBothSources' })
class NotBothSources implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as { mediaId?: unknown }).mediaId === undefined;
  }

  defaultMessage(): string {
    return 'a media item names a mediaId or a url, not both';
  }
}

/** A file of the media library (`mediaId`), or a URL Herald imports into it when the post is scheduled; never both. */
export class MediaDto {
  @ApiPropertyOptional({ format: 'uuid', example: '0b6f3a52-4a0e-4d7e-9c1a-2f5d8e7c9a10', description: 'A file of the media library (POST /v1/media)' })
  @ValidateIf((item: MediaDto) => item.url === undefined || item.mediaId !== undefined)
  @IsUUID('all', { message: 'each media item needs a mediaId (a UUID) or a url' })
  mediaId?: string;

  @ApiPropertyOptional({ example: 'https://cdn.example.com/launch.png', description: 'Imported into the media library when the post is scheduled' })
  @ValidateIf((item: MediaDto) => item.url !== undefined)
  @IsString({ message: 'url must be a string' })
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @Validate(NotBothSources)
  url?: string;

  @ApiPropertyOptional({ example: 'The team on launch day' })
  @Omittable()
  @IsString()
  @MaxLength(2000)
  alt?: string;

  @ApiPropertyOptional({ enum: ['image', 'video'] })
  @Omittable()
  @IsIn(['image', 'video'])
  type?: 'image' | 'video';
}

export class CreatePostDto {
  @ApiProperty({ example: 'We are live!' })
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

  @ApiPropertyOptional({ type: () => [MediaDto] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true, message: 'each item must be an object' })
  @ValidateNested({ each: true })
  @Type(() => MediaDto)
  media?: MediaDto[];

  /** Per-channel text, keyed by channel id. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Per-channel text, keyed by channel id' })
  @Omittable()
  @IsObject()
  variants?: Record<string, unknown>;

  @ApiProperty({ type: () => ScheduleDto })
  @IsDefined({ message: 'schedule is required (use {"mode": "draft"} to store only)' })
  @IsObject({ message: 'schedule must be an object such as {"mode": "now"}' })
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule!: ScheduleDto;
}

export class UpdatePostDto {
  @ApiPropertyOptional({ example: 'We are live!' })
  @Omittable()
  @IsString()
  @MaxLength(100_000)
  text?: string;

  @ApiPropertyOptional({ type: () => [MediaDto] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true, message: 'each item must be an object' })
  @ValidateNested({ each: true })
  @Type(() => MediaDto)
  media?: MediaDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Per-channel text, keyed by channel id' })
  @Omittable()
  @IsObject()
  variants?: Record<string, unknown>;

  @ApiPropertyOptional({ type: () => ScheduleDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;
}

export const POST_STATUS_NAMES = ['draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'partially_published'] as const;

export class ListPostsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: POST_STATUS_NAMES })
  @Omittable()
  @IsIn(POST_STATUS_NAMES)
  status?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsUUID('all')
  channelId?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsISO8601({ strict: true })
  to?: string;
}

export class BulkCreatePostsDto {
  /** Each item is a `POST /v1/posts` body, validated on its own. */
  @ApiProperty({ type: () => [CreatePostDto], minItems: 1, maxItems: 1000, description: 'Up to 1,000 POST /v1/posts bodies, each checked on its own' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  posts!: unknown[];
}

export class RejectPostDto {
  /** Why, for the writer: kept and shown on the post (`review.note`) until it is submitted again. */
  @ApiProperty({ example: 'The launch date moved: say December, not November.', minLength: 1, maxLength: 2000 })
  @IsDefined({ message: 'note is required: say why, for the writer' })
  @IsString()
  @MaxLength(2000)
  @Matches(/\S/, { message: 'note must not be empty or blank' })
  note!: string;
}
