/**
 * `POST /v1/posts/validate`'s answer (a dry run of `POST /v1/posts`), as the
 * OpenAPI document describes it; each class implements the view it
 * describes (see validate-post.usecase.ts).
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { NETWORKS } from '@herald/channels';
import { DELIVERY_STATUSES } from '@herald/db';
import { ProblemSchema } from '../common/api-docs';
import type { ChannelValidationView, MediaFitView, PostValidationView, QuotaRoomView, TextCountView } from './usecases/validate-post.usecase';

@ApiSchema({ name: 'TextCount', description: 'A text as its network counts it, against the limit (the channel\'s own where it has one)' })
export class TextCountSchema implements TextCountView {
  @ApiProperty({ example: 'text', description: '`text`, `variants.<channelId>` (the channel\'s own text, standing for the first part), `parts[i]` (each part of a thread) or `firstComment`' })
  path!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 312 })
  length!: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 280 })
  limit!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'UTF-8 bytes, where the network also limits those (Bluesky)' })
  bytes?: number;
}

@ApiSchema({ name: 'ChannelMediaFit', description: 'One media item on one channel: whether Herald would make a resized or converted version for its network' })
export class ChannelMediaFitSchema implements MediaFitView {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'The part of a thread it is in (absent for a post of one part)' })
  part?: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Its index in `media` (in `parts[part].media` for a thread)' })
  index!: number;

  @ApiProperty({ description: 'Herald makes a version within the network\'s limits (bytes, pixels, type) when the post is created' })
  resized!: boolean;
}

@ApiSchema({ name: 'QuotaRoom', description: 'A posting cap of the channel: how many more posts fit in its fullest window around this delivery, counting it' })
export class QuotaRoomSchema implements QuotaRoomView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 100 })
  posts!: number;

  @ApiProperty({ example: '15 minutes' })
  window!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 900000 })
  windowMs!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 99 })
  left!: number;
}

@ApiSchema({ name: 'ChannelValidation', description: 'What creating the post would do on one channel' })
export class ChannelValidationSchema implements ChannelValidationView {
  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ enum: NETWORKS, type: String, nullable: true, description: 'Null when the channel is not found' })
  network!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'acme' })
  handle!: string | null;

  @ApiProperty({ description: 'The create would accept the post on this channel' })
  ok!: boolean;

  @ApiProperty({ enum: DELIVERY_STATUSES, type: String, nullable: true, description: 'The delivery\'s status once created: `scheduled`, `pending_approval` or `draft`' })
  status!: string | null;

  @ApiProperty({ description: 'The delivery would wait for an approval (the caller\'s role schedules for approval)' })
  needsApproval!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The time the delivery would get: the one asked, or its slot queue\'s (null for a draft, or awaiting approval in a queue mode)' })
  scheduledAt!: string | null;

  @ApiProperty({ type: () => [TextCountSchema] })
  text!: TextCountSchema[];

  @ApiProperty({ type: () => [ChannelMediaFitSchema] })
  media!: ChannelMediaFitSchema[];

  @ApiProperty({ type: () => [QuotaRoomSchema], description: 'Each posting cap of the channel (none: no cap, or no time yet)' })
  quota!: QuotaRoomSchema[];

  @ApiProperty({ type: () => ProblemSchema, nullable: true, description: 'The problem `POST /v1/posts` would answer for this channel' })
  problem!: ProblemSchema | null;
}

@ApiSchema({ name: 'PostValidation', description: 'A dry run of `POST /v1/posts`: what would happen, nothing written' })
export class PostValidationSchema implements PostValidationView {
  @ApiProperty({ description: '`POST /v1/posts` with this body would be accepted (as things stand now)' })
  ok!: boolean;

  @ApiProperty({ type: () => ProblemSchema, nullable: true, description: 'A problem of the whole post (its time, its shape, its media), answered before its channels' })
  problem!: ProblemSchema | null;

  @ApiProperty({ type: () => [ChannelValidationSchema], description: 'One per channel, in the order given' })
  channels!: ChannelValidationSchema[];
}
