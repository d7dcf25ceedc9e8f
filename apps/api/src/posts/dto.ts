import { applyDecorators } from '@nestjs/common';
import { NETWORK_OPTIONS_SCHEMA } from '../common/network-options';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { Omittable } from '../common/validation';
import { LinksDto } from '../common/links.dto';

/** A tag: letters, digits, spaces, - and _, starting with a letter or digit (stored lower-cased, trimmed). */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;

/** A post's or a series' tags, as each is checked: at most 20, each a name of up to 50 letters, digits, spaces, - or _. */
export function TagList(): PropertyDecorator {
  return applyDecorators(
    Omittable(),
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    MaxLength(50, { each: true }),
    Matches(TAG_PATTERN, { each: true, message: 'each tag must be letters, digits, spaces, - or _ (starting with a letter or digit)' }),
  );
}

/** Tags as stored: trimmed, lower case, each once. */
export function normaliseTags(tags: string[] | undefined): string[] | undefined {
  return tags && [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
}

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


/** Parts of a thread at most (each is a publish; no network's thread is longer in practice). */
export const MAX_THREAD_PARTS = 25;

/** One part of a thread: its text and its media (a part of one is today's post). */
export class PostPartDto {
  @ApiProperty({ example: 'We are live! A thread 🧵 1/3' })
  @IsDefined({ message: 'each part needs a text' })
  @IsString()
  @MaxLength(100_000)
  text!: string;

  @ApiPropertyOptional({ type: () => [MediaDto] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true, message: 'each item must be an object' })
  @ValidateNested({ each: true })
  @Type(() => MediaDto)
  media?: MediaDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { '6f1c2a9e-0000-4000-8000-000000000000': 'The same reply, shorter for X' },
    description: 'This part\'s own text on some of the post\'s channels, by channel id (parts after the first; the first part\'s are the post\'s `variants`)',
  })
  @Omittable()
  @IsObject({ message: 'a part\'s variants must be an object of texts by channel id' })
  variants?: Record<string, unknown>;
}

/** A comment published right after the post by the same account (a reply after the last part where the network has threads). */
export class FirstCommentDto {
  @ApiProperty({ example: 'Sign up at https://example.com', minLength: 1 })
  @IsDefined({ message: 'firstComment needs a text' })
  @IsString()
  @MaxLength(100_000)
  @Matches(/\S/, { message: 'firstComment.text must not be empty or blank' })
  text!: string;
}

/** `parts`, where the body takes it: 1 to 25 parts, each an object. */
function PartsField(): PropertyDecorator {
  const decorators = [
    ApiPropertyOptional({
      type: () => [PostPartDto],
      minItems: 1,
      maxItems: MAX_THREAD_PARTS,
      description: 'A thread: each part published as a reply to the one before (X, Bluesky, Mastodon, Threads). Instead of text and media; one part is a post as with text.',
    }),
    Omittable(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_THREAD_PARTS),
    IsObject({ each: true, message: 'each part must be an object' }),
    ValidateNested({ each: true }),
    Type(() => PostPartDto),
  ];
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
}

/** `networkOptions`: its schema is each network's own (see network-options.ts), and so is its check (400 naming the field). */
function NetworkOptionsField(): PropertyDecorator {
  const decorators = [
    ApiPropertyOptional({ ...NETWORK_OPTIONS_SCHEMA, properties: { ...NETWORK_OPTIONS_SCHEMA.properties } }),
    Omittable(),
    IsObject({ message: 'networkOptions must be an object keyed by network, such as {"youtube": {"privacy": "unlisted"}}' }),
  ];
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
}

export class CreatePostDto {
  /** The post's text; with `parts`, left out (the first part's text is the post's). */
  @ApiPropertyOptional({ example: 'We are live!', description: 'Required unless `parts` is given' })
  @ValidateIf((post: CreatePostDto) => post.parts === undefined || post.text !== undefined)
  @IsDefined({ message: 'text is required (or parts, for a thread)' })
  @IsString()
  @MaxLength(100_000)
  text!: string;

  @PartsField()
  parts?: PostPartDto[];

  @ApiPropertyOptional({ type: () => FirstCommentDto })
  @Omittable()
  @IsObject({ message: 'firstComment must be an object such as {"text": "..."}' })
  @ValidateNested()
  @Type(() => FirstCommentDto)
  firstComment?: FirstCommentDto;

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

  /** What only one network takes (a YouTube title, a Pinterest board, a Business Profile event), by network. */
  @NetworkOptionsField()
  networkOptions?: Record<string, unknown>;

  @ApiPropertyOptional({ type: () => LinksDto, description: 'Tracked links: UTM parameters added to each link, in each channel\'s text (its variant), and short links, when the post is placed' })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => LinksDto)
  links?: LinksDto;

  @ApiProperty({ type: () => ScheduleDto })
  @IsDefined({ message: 'schedule is required (use {"mode": "draft"} to store only)' })
  @IsObject({ message: 'schedule must be an object such as {"mode": "now"}' })
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule!: ScheduleDto;

  @ApiPropertyOptional({ type: [String], example: ['launch'], maxItems: 20, description: 'Tags (lower-cased; letters, digits, spaces, - and _; up to 50 characters each)' })
  @TagList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A channel that recycles its queue (evergreen) may put the post back at the end of its queue once published' })
  @Omittable()
  @IsBoolean()
  evergreen?: boolean;
}

export class UpdatePostDto {
  @ApiPropertyOptional({ example: 'We are live!' })
  @Omittable()
  @IsString()
  @MaxLength(100_000)
  text?: string;

  /** The thread's parts, all of them (replacing the ones it had); parts already published stay as they went out. */
  @PartsField()
  parts?: PostPartDto[];

  /** A new first comment; `null` removes it. */
  @ApiPropertyOptional({ type: () => FirstCommentDto, nullable: true, description: 'A new first comment; null removes it' })
  @ValidateIf((_post: object, value: unknown) => value !== undefined && value !== null)
  @IsObject({ message: 'firstComment must be an object such as {"text": "..."}, or null' })
  @ValidateNested()
  @Type(() => FirstCommentDto)
  firstComment?: FirstCommentDto | null;

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

  /** All of the post's network options (replacing the ones it had; `{}` removes them). */
  @NetworkOptionsField()
  networkOptions?: Record<string, unknown>;

  @ApiPropertyOptional({ type: () => ScheduleDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiPropertyOptional({ type: [String], example: ['launch'], maxItems: 20, description: 'Tags (lower-cased; letters, digits, spaces, - and _; up to 50 characters each)' })
  @TagList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A channel that recycles its queue (evergreen) may put the post back at the end of its queue once published' })
  @Omittable()
  @IsBoolean()
  evergreen?: boolean;
}

export const POST_STATUS_NAMES = ['draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'partially_published', 'deleted'] as const;

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

  @ApiPropertyOptional({ example: 'launch', description: 'Only posts with this tag (any case)' })
  @Omittable()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the occurrences of this recurring series' })
  @Omittable()
  @IsUUID('all')
  seriesId?: string;
}

export class BulkCreatePostsDto {
  /** Each item is a `POST /v1/posts` body, validated on its own. */
  @ApiProperty({ type: () => [CreatePostDto], minItems: 1, maxItems: 1000, description: 'Up to 1,000 POST /v1/posts bodies, each checked on its own' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  posts!: unknown[];
}

export class UnpublishPostDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'The channels to take it down from; every channel it is published on when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each channelId must be a UUID' })
  channelIds?: string[];
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

export class ImportPostsQuery {
  /** `true` creates the good rows; otherwise the answer is a dry run. */
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '`true` creates the good rows; without it, a dry run' })
  @Omittable()
  @IsIn(['true', 'false'])
  commit?: string;
}
