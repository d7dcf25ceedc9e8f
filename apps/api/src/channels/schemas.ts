/**
 * The channels' answers as the OpenAPI document describes them (see
 * common/api-docs.ts); each implements the view it describes, and the
 * controllers answer these types.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { NETWORKS } from '@herald/channels';
import { CHANNEL_STATUSES } from '@herald/db';
import type { ChannelView } from './channel-view';
import { MASTODON_VISIBILITIES } from './dto';
import { LinksDto } from '../common/links.dto';
import type { SlotQueueEntry } from './slot-queue.service';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

@ApiSchema({ name: 'PostingSlot' })
export class PostingSlotSchema {
  @ApiProperty({ enum: DAYS, example: 'mon' })
  day!: string;

  @ApiProperty({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '09:00', description: "HH:mm in the channel's zone" })
  time!: string;
}

@ApiSchema({ name: 'PostingSchedule', description: 'The weekly slots the slot queue (`queue`, `next`) fills, in slot order' })
export class PostingScheduleSchema {
  @ApiProperty({ type: () => [PostingSlotSchema] })
  slots!: PostingSlotSchema[];

  @ApiProperty({ description: "Still the schedule Herald gave the new channel (Monday to Friday at 09:00, 12:30 and 17:00 in its zone): true until someone edits it" })
  isDefault!: boolean;
}

@ApiSchema({ name: 'PostDefaults', description: 'Mastodon: what every post to the channel gets; empty elsewhere' })
export class PostDefaultsSchema {
  @ApiPropertyOptional({ enum: MASTODON_VISIBILITIES })
  visibility?: string;

  @ApiPropertyOptional({ example: 'de', description: 'ISO 639 code' })
  language?: string;
}

@ApiSchema({ name: 'ChannelLimits', description: "The channel's own content limits where its host has some (a Mastodon instance's `/api/v2/instance`); empty where the network's published rules apply" })
export class ChannelLimitsSchema {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 500, description: 'Characters a post may have there' })
  maxCharacters?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 4, description: 'Files a post may carry there' })
  maxMediaAttachments?: number;
}

@ApiSchema({ name: 'Channel', description: 'A connected account (never its tokens)' })
export class ChannelSchema implements ChannelView {
  @ApiProperty({ format: 'uuid', example: '6f1c2b9e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' })
  id!: string;

  @ApiProperty({ enum: NETWORKS })
  network!: string;

  @ApiProperty({
    example: 'acme.bsky.social',
    description: "The account's handle as the network writes it: `@name@instance` on Mastodon, the person's or Page's name on LinkedIn and Facebook, the username on X, Threads and Instagram, the handle on Bluesky",
  })
  handle!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Acme Corp', description: "The account's or Page's name as the network gives it; null until read" })
  displayName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '/v1/channels/6f1c2b9e-3c4d-4e5f-8a9b-0c1d2e3f4a5b/avatar', description: "Herald's copy of the avatar (`GET /v1/channels/{id}/avatar`), never the network's URL; null when none is kept" })
  avatarUrl!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When name, handle and avatar were last read from the network' })
  profileRefreshedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://mastodon.social', description: 'Its own host: a Mastodon instance, a Bluesky PDS' })
  host!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When its access token lapses, where the network says' })
  tokenExpiresAt!: string | null;

  @ApiProperty({ description: 'Its token lapses within a week and cannot be renewed: connect it again before `tokenExpiresAt`' })
  expiring!: boolean;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA zone of its posting schedule' })
  timezone!: string;

  @ApiProperty({ type: () => PostingScheduleSchema })
  postingSchedule!: PostingScheduleSchema;

  @ApiProperty({ type: () => PostDefaultsSchema })
  postDefaults!: PostDefaultsSchema;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 2_592_000, description: 'How late a post may still go out (seconds); null: however late' })
  staleAfterSeconds!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 3650, description: 'Its queue recycles evergreen posts at least this many days apart; null: it does not' })
  evergreenMinRepeatDays!: number | null;

  @ApiProperty({ type: () => LinksDto, description: 'UTM parameters and short links for every post to it that does not say otherwise (a post\'s own `links` fields win); `{}`: neither' })
  links!: LinksDto;

  @ApiProperty({ type: () => ChannelLimitsSchema, description: 'What posts to it are checked against, besides its network\'s rules (GET /v1/networks)' })
  limits!: ChannelLimitsSchema;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What every post to it tells its network unless the post says otherwise (networkOptions.<network>): a Pinterest board, a TikTok privacy' })
  networkOptions!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "What its posts' network options choose among: Pinterest `boards` [{id, name}]; TikTok the creator's `privacyLevels` and `commentDisabled`, `duetDisabled`, `stitchDisabled`, `maxVideoSeconds`; {} elsewhere" })
  choices!: Record<string, unknown>;

  @ApiProperty({ enum: CHANNEL_STATUSES, description: '`disconnected`: the network refused its token; its posts wait until it is connected again' })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

@ApiSchema({ name: 'QueueEntry', description: "One queued delivery of a channel's slot queue" })
export class QueueEntrySchema implements SlotQueueEntry {
  @ApiProperty({ type: 'integer', minimum: 1, description: '1 for the next to go out' })
  position!: number;

  @ApiProperty({ format: 'uuid' })
  deliveryId!: string;

  @ApiProperty({ format: 'uuid' })
  postId!: string;

  @ApiProperty({ description: "The text this channel gets (its variant, or the post's text)" })
  text!: string;

  @ApiProperty({ format: 'date-time', description: 'The slot it takes' })
  scheduledAt!: string;
}

@ApiSchema({ name: 'ConnectStarted', description: "Send the person's browser to `authorizeUrl`; the network sends it back to Herald's callback" })
export class ConnectStartedSchema {
  @ApiProperty({ format: 'uri', example: 'https://x.com/i/oauth2/authorize?response_type=code&client_id=herald&state=Yk3sL0qP' })
  authorizeUrl!: string;

  @ApiProperty({ description: 'Single-use; names this flow in the callback and in `/v1/channels/connect/{state}/...`' })
  state!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

@ApiSchema({ name: 'PendingAccount', description: 'An account the connect flow reached (a Facebook Page, an Instagram account) to choose from' })
export class PendingAccountSchema {
  @ApiProperty({ example: '17841400000000000' })
  accountId!: string;

  @ApiProperty({ example: 'acme' })
  handle!: string;
}
