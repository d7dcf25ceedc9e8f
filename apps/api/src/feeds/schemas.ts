import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { FEED_MODES } from './dto';

@ApiSchema({ name: 'FeedItem', description: 'An item of the feed seen by a poll: the post made of it, or why none was' })
export class FeedItemSchema {
  @ApiProperty()
  guid!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  link!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  postId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why no post was made (refused by a channel\'s rules; or `skipExisting`)' })
  problem!: string | null;

  @ApiProperty({ format: 'date-time' })
  seenAt!: string;
}

@ApiSchema({ name: 'Feed' })
export class FeedSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  channelIds!: string[];

  @ApiProperty({ enum: FEED_MODES })
  mode!: string;

  @ApiProperty({ example: '{{title}} {{link}}' })
  template!: string;

  @ApiProperty({ type: 'integer' })
  intervalMinutes!: number;

  @ApiProperty()
  skipExisting!: boolean;

  @ApiProperty({ enum: ['active', 'paused', 'broken'], description: '`broken`: it failed too many polls in a row (`lastError` says why) and is not polled until set `active`' })
  status!: string;

  @ApiProperty({ type: 'integer', description: 'Polls failed in a row' })
  failures!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPolledAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The last poll that read a new document (a 304 does not)' })
  lastChangedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  nextPollAt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ type: () => [FeedItemSchema], description: 'The latest items seen (GET of one feed, and a poll\'s answer)' })
  recentItems?: FeedItemSchema[];
}

@ApiSchema({ name: 'FeedPollResult', description: 'What a poll did' })
export class FeedPollResultSchema {
  @ApiProperty({ enum: ['changed', 'not_modified', 'failed'] })
  outcome!: string;

  @ApiProperty({ type: 'integer', description: 'Items new to the feed (posts made, or refused)' })
  newItems!: number;

  @ApiProperty({ type: 'integer' })
  postsCreated!: number;

  @ApiProperty({ type: () => FeedSchema })
  feed!: FeedSchema;
}
