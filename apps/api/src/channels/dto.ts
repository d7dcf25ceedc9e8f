import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNEL_OPTIONS_SCHEMA } from '../common/network-options';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { DESCRIBED_NETWORKS, NETWORKS } from '@herald/channels';
import { Omittable } from '../common/validation';
import { LinksDto } from '../common/links.dto';

export const MASTODON_VISIBILITIES = ['public', 'unlisted', 'private', 'direct'] as const;

export class PostingSlotDto {
  @ApiProperty({ enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] })
  @IsIn(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
  day!: string;

  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'time must be HH:mm (00:00 to 23:59)' })
  time!: string;
}

export class PostingScheduleDto {
  @ApiProperty({ type: () => [PostingSlotDto] })
  @IsArray()
  @ArrayMaxSize(672)
  @IsObject({ each: true, message: 'each item must be an object' })
  @ValidateNested({ each: true })
  @Type(() => PostingSlotDto)
  slots!: PostingSlotDto[];
}

/** What every post to a channel gets unless it says otherwise. Mastodon only. */
export class PostDefaultsDto {
  @ApiPropertyOptional({ enum: MASTODON_VISIBILITIES })
  @Omittable()
  @IsIn(MASTODON_VISIBILITIES)
  visibility?: (typeof MASTODON_VISIBILITIES)[number];

  /** ISO 639-1 (or 639-3) code of the posts' language, e.g. `de`. */
  @ApiPropertyOptional({ example: 'de' })
  @Omittable()
  @IsString()
  @Matches(/^[a-z]{2,3}$/, { message: 'language must be an ISO 639 code: two or three lowercase letters' })
  language?: string;
}

export class CreateChannelDto {
  @ApiProperty({ enum: NETWORKS })
  @IsIn(NETWORKS)
  network!: string;

  /** Bluesky: the account's handle (with `appPassword`). Elsewhere the network says who a token is for. */
  @ApiPropertyOptional({ example: 'acme.bsky.social' })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  // A handle names an account: no network's has spaces, control characters or invisible
  // formatting (a bidi override would make it read as another account's).
  @Matches(/^[^\s\p{Cc}\p{Cf}]+$/u, { message: 'handle must not contain whitespace, control or formatting characters' })
  handle?: string;

  /** Bluesky: an app password (Settings → App passwords), used once to open a session and never stored. */
  @ApiPropertyOptional({ example: 'abcd-efgh-ijkl-mnop' })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  appPassword?: string;

  /** Bluesky: the PDS (or entryway) to log in at, instead of the one the handle's DID document names. */
  @ApiPropertyOptional({ example: 'https://bsky.social' })
  @Omittable()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'service must be an http(s) URL' })
  service?: string;

  /** Mastodon: the instance the account is on (with `accessToken`, made in the instance's settings). */
  @ApiPropertyOptional({ example: 'https://mastodon.social' })
  @Omittable()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'instanceUrl must be an http(s) URL' })
  instanceUrl?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: () => PostingScheduleDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PostingScheduleDto)
  postingSchedule?: PostingScheduleDto;

  /** Mastodon: the visibility and language every post to the channel gets. */
  @ApiPropertyOptional({ type: () => PostDefaultsDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PostDefaultsDto)
  postDefaults?: PostDefaultsDto;

  /** A token the person made elsewhere (a Mastodon instance's settings, an X or Meta app of their own); Herald asks the network whose it is. */
  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  accessToken?: string;
}

export class UpdateChannelDto {
  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: () => PostingScheduleDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PostingScheduleDto)
  postingSchedule?: PostingScheduleDto;

  /** Mastodon: the visibility and language every post to the channel gets. */
  @ApiPropertyOptional({ type: () => PostDefaultsDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PostDefaultsDto)
  postDefaults?: PostDefaultsDto;

  /**
   * How late a post may still go out, in seconds past its time (after an
   * outage, a paused channel, a stopped worker); later, its delivery is
   * `missed` instead. `null` (the default): published however late.
   */
  @ApiPropertyOptional({ type: Number, nullable: true, example: 3600, minimum: 1, maximum: 2_592_000 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(2_592_000)
  staleAfterSeconds?: number | null;

  /** What every post to it tells its network unless the post says otherwise, all of them (`{}` clears): the options its network lets a channel default (a Pinterest board, a TikTok privacy). */
  @ApiPropertyOptional({ ...CHANNEL_OPTIONS_SCHEMA, example: { boardId: '549755885175' } })
  @Omittable()
  @IsObject({ message: 'networkOptions must be an object, such as {"boardId": "549755885175"}' })
  networkOptions?: Record<string, unknown>;

  /** Its queue recycles published evergreen posts, never one within this many days of its last time here; `null`: it does not. */
  @ApiPropertyOptional({ type: Number, nullable: true, example: 30, minimum: 1, maximum: 3650, description: 'Recycle evergreen posts into the queue, at least this many days apart; null: off' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(3650)
  evergreenMinRepeatDays?: number | null;

  /**
   * Tracked and short links for every post to it that does not say otherwise
   * (a post's own `links` fields win): all of them, replacing what it had
   * (`{}` clears).
   */
  @ApiPropertyOptional({
    type: () => LinksDto,
    example: { utm: { campaign: 'always-on' }, shorten: true },
    description:
      "UTM parameters and short links for every post to this channel that does not say otherwise: each field a post's `links` gives wins (`utm: false` turns UTM off for that post). All of it, replacing what it had; `{}` clears. `shorten: true` is a 422 when this Herald has no link shortener (LINK_SHORTENER).",
  })
  @Omittable()
  @IsObject({ message: 'links must be an object, such as {"utm": true, "shorten": false}' })
  @ValidateNested()
  @Type(() => LinksDto)
  links?: LinksDto;

  /** `paused` holds its deliveries; `active` resumes them (and reconnects a disconnected channel). */
  @ApiPropertyOptional({ enum: ['active', 'paused'] })
  @Omittable()
  @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  accessToken?: string;
}

export const OAUTH_NETWORKS = ['x', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook', ...DESCRIBED_NETWORKS.map((descriptor) => descriptor.network)];

export class StartConnectDto {
  @ApiProperty({ enum: OAUTH_NETWORKS })
  @IsIn(OAUTH_NETWORKS, { message: `network must be one of ${OAUTH_NETWORKS.join(', ')} (Bluesky connects with POST /v1/channels and an app password)` })
  network!: string;

  /** Mastodon: the instance the account is on. */
  @ApiPropertyOptional({ example: 'https://mastodon.social' })
  @Omittable()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'instanceUrl must be an http(s) URL' })
  instanceUrl?: string;

  /** Where the person's browser goes once the network sent it back: with `channelId=` on success, `error=` otherwise. */
  @ApiProperty({ example: 'https://app.example.com/channels' })
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'redirectUri must be an http(s) URL' })
  redirectUri!: string;
}

export class ConnectCallbackQuery {
  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @MaxLength(4096)
  code?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @MaxLength(128)
  state?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @MaxLength(200)
  error?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @MaxLength(2000)
  error_description?: string;
}

export class ChooseAccountDto {
  @ApiProperty({ example: '17841400000000000' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  accountId!: string;
}

export class ReorderQueueDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true, message: 'each deliveryId must be a UUID' })
  deliveryIds!: string[];
}
