/**
 * The posts' answers as the OpenAPI document describes them (see
 * common/api-docs.ts). Each class implements the view it describes, and the
 * controller's methods answer these types, so what the document says and
 * what the services return are checked by the compiler.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { NETWORKS } from '@herald/channels';
import { DELIVERY_STATUSES } from '@herald/db';
import { FieldErrorSchema } from '../common/api-docs';
import type { ApprovedPostView } from './usecases/approve-post.usecase';
import type { ShortLinksReport } from './link-shortener';
import { NETWORK_OPTIONS_SCHEMA } from '../common/network-options';
import type { UnpublishChannelView, UnpublishedPostView } from './usecases/unpublish-post.usecase';
import { POST_STATUS_NAMES, ScheduleDto } from './dto';
import type { ActorView, AttemptView, DeliveryPartView, DeliveryStepView, DeliveryView, PostPartView, PostView, ReviewView, UnpublishStateView } from './post-view';

const ATTEMPT_OUTCOMES = ['missed', 'published', 'transient', 'rate_limited', 'rejected', 'auth_revoked', 'auth_expired', 'lookup_found', 'lookup_not_found', 'unconfirmed', 'deleted', 'delete_failed'];

@ApiSchema({ name: 'PostMedia', description: 'One media item of a post: a file of the media library (`mediaId`), or a URL imported into it' })
export class PostMediaSchema {
  @ApiPropertyOptional({ format: 'uuid', example: '0b6f3a52-4a0e-4d7e-9c1a-2f5d8e7c9a10' })
  mediaId?: string;

  @ApiPropertyOptional({ example: 'https://cdn.example.com/launch.png', description: 'Where it was imported from (posts from before the library: what is sent)' })
  url?: string;

  @ApiPropertyOptional({ example: 'The team on launch day' })
  alt?: string;

  @ApiPropertyOptional({ enum: ['image', 'video'] })
  type?: 'image' | 'video';
}

@ApiSchema({ name: 'Attempt', description: 'One call to the network for a delivery: what a person reads when a post failed' })
export class AttemptSchema implements AttemptView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  number!: number;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;

  @ApiProperty({ enum: ATTEMPT_OUTCOMES, description: '`lookup_*`: the checks made after an interrupted publish; `missed`: later than the channel lets a post go out' })
  outcome!: string;

  @ApiProperty({ type: String, nullable: true, example: 'rate_limited', description: "The error's class in Herald's taxonomy" })
  errorCode!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'X answered 429: Too Many Requests' })
  errorMessage!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 429 })
  httpStatus!: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, example: 412 })
  latencyMs!: number;
}

@ApiSchema({ name: 'DeliveryError' })
export class DeliveryErrorSchema {
  @ApiProperty({ example: 'rejected' })
  code!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Text is 312 weighted characters; X allows 280' })
  message!: string | null;
}

@ApiSchema({ name: 'WaitingForNetwork', description: "The network's host is down (its circuit breaker is open): the delivery goes when it recovers" })
export class WaitingForNetworkSchema {
  @ApiProperty({ enum: ['network_unavailable'] })
  reason!: 'network_unavailable';

  @ApiProperty({ type: String, nullable: true, example: 'mastodon.social' })
  host!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  since!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it is tried next' })
  until!: string | null;
}

@ApiSchema({ name: 'WaitingForDegradedNetwork', description: "The network's host is failing some of its calls, not down: the delivery is tried again within seconds, its host's calls paced" })
export class WaitingForDegradedNetworkSchema {
  @ApiProperty({ enum: ['network_degraded'] })
  reason!: 'network_degraded';

  @ApiProperty({ type: String, nullable: true, example: 'mastodon.social' })
  host!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  since!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it is tried next' })
  until!: string | null;
}

@ApiSchema({ name: 'WaitingForRateLimit', description: 'The network asked Herald to slow down: the delivery goes once the limit resets' })
export class WaitingForRateLimitSchema {
  @ApiProperty({ enum: ['rate_limited'] })
  reason!: 'rate_limited';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  until!: string | null;
}

@ApiSchema({ name: 'WaitingForChannel', description: 'The channel is disconnected (the network refused its token): connect it again' })
export class WaitingForChannelSchema {
  @ApiProperty({ enum: ['channel_disconnected'] })
  reason!: 'channel_disconnected';
}

const STEP_STATUSES = ['pending', ...DELIVERY_STATUSES];

@ApiSchema({ name: 'DeliveryComment', description: "A post's first comment on one channel: published (with its link), failed (with why), pending (a retry sends it), or its delivery's status" })
export class DeliveryCommentSchema implements DeliveryStepView {
  @ApiProperty({ enum: STEP_STATUSES, description: '`published` or `failed` on its own; `pending`: its delivery failed before it (a retry sends it); else its delivery\'s status' })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: "Its id on the network (a reply's, or a comment's)" })
  externalId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://www.linkedin.com/feed/update/urn:li:share:7/?commentUrn=urn%3Ali%3Acomment%3A(urn%3Ali%3Ashare%3A7%2C1)' })
  externalUrl!: string | null;

  @ApiProperty({ type: () => DeliveryErrorSchema, nullable: true, description: 'Why the network refused it' })
  lastError!: DeliveryErrorSchema | null;
}

@ApiSchema({ name: 'DeliveryPart', description: "One part of a post on one channel: for a thread, each published as a reply to the one before" })
export class DeliveryPartSchema extends DeliveryCommentSchema implements DeliveryPartView {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Its place in the thread, from 0' })
  index!: number;
}

@ApiSchema({ name: 'PostPart', description: 'One part of a post as written: its text and media' })
export class PostPartSchema implements PostPartView {
  @ApiProperty({ example: 'We are live! 🧵 1/3' })
  text!: string;

  @ApiProperty({ type: () => [PostMediaSchema] })
  media!: PostMediaSchema[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Its own text on some channels, by channel id (parts after the first)' })
  variants?: Record<string, string>;
}

@ApiSchema({ name: 'PostFirstComment', description: 'A comment published right after the post by the same account' })
export class PostFirstCommentSchema {
  @ApiProperty({ example: 'Sign up at https://example.com' })
  text!: string;
}

@ApiSchema({ name: 'DeliveryUnpublish', description: 'An unpublish of a published delivery: under way (`pending`, retried with backoff) or given up (`failed`, with the network\'s reason; unpublish again to retry)' })
export class DeliveryUnpublishSchema implements UnpublishStateView {
  @ApiProperty({ enum: ['pending', 'failed'] })
  status!: 'pending' | 'failed';

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Tries of the delete so far' })
  attempts!: number;

  @ApiProperty({ type: () => DeliveryErrorSchema, nullable: true, description: 'Why the last try failed' })
  lastError!: DeliveryErrorSchema | null;
}

@ApiSchema({ name: 'Delivery', description: "A post's delivery to one channel" })
@ApiExtraModels(WaitingForNetworkSchema, WaitingForDegradedNetworkSchema, WaitingForRateLimitSchema, WaitingForChannelSchema)
export class DeliverySchema implements DeliveryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ enum: NETWORKS })
  network!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES, description: '`missed`: it came later than the channel lets a post go out (`staleAfterSeconds`); `deleted`: published, then taken down by unpublish' })
  status!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null for a draft' })
  scheduledAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The post's id on the network" })
  externalId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://x.com/acme/status/1860000000000000000' })
  externalUrl!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attemptCount!: number;

  @ApiProperty({ type: () => DeliveryErrorSchema, nullable: true, description: 'Why the last attempt failed' })
  lastError!: DeliveryErrorSchema | null;

  @ApiProperty({
    nullable: true,
    oneOf: [
      { $ref: getSchemaPath(WaitingForNetworkSchema) },
      { $ref: getSchemaPath(WaitingForDegradedNetworkSchema) },
      { $ref: getSchemaPath(WaitingForRateLimitSchema) },
      { $ref: getSchemaPath(WaitingForChannelSchema) },
    ],
    description: 'Why a scheduled delivery waits past its time, while it does; null otherwise',
  })
  waitingFor!: WaitingForNetworkSchema | WaitingForDegradedNetworkSchema | WaitingForRateLimitSchema | WaitingForChannelSchema | null;

  @ApiProperty({ type: () => [DeliveryPartSchema], description: 'Each part on this channel, in order, with its own status, id and link (a post of one part: one, the delivery itself)' })
  parts!: DeliveryPartSchema[];

  @ApiProperty({ type: () => DeliveryCommentSchema, nullable: true, description: 'The first comment on this channel; null when the post has none' })
  firstComment!: DeliveryCommentSchema | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When unpublish took it off its network' })
  deletedAt!: string | null;

  @ApiProperty({ type: () => DeliveryUnpublishSchema, nullable: true, description: 'An unpublish under way or given up; null otherwise' })
  unpublish!: DeliveryUnpublishSchema | null;

  @ApiPropertyOptional({ type: () => [AttemptSchema], description: 'Every attempt, oldest first (on one post; lists leave it out)' })
  attempts?: AttemptSchema[];
}

@ApiSchema({ name: 'Actor', description: 'Who acted: a signed-in person (`user`) or an API key' })
export class ActorSchema implements ActorView {
  @ApiProperty({ enum: ['user', 'api_key'] })
  kind!: 'user' | 'api_key';

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada', description: "A person's name (else their email), or a key's name; null when it is gone" })
  name!: string | null;
}

@ApiSchema({ name: 'Review', description: 'The last approval decision on a post: approved, or rejected with the reviewer\'s note' })
export class ReviewSchema implements ReviewView {
  @ApiProperty({ enum: ['approved', 'rejected'] })
  state!: 'approved' | 'rejected';

  @ApiProperty({ type: String, nullable: true, example: 'Not on brand: use the new logo' })
  note!: string | null;

  @ApiProperty({ type: () => ActorSchema, nullable: true })
  by!: ActorSchema | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

@ApiSchema({ name: 'EvergreenSkip', description: 'Why an evergreen post is not recycled on a channel' })
export class EvergreenSkipSchema {
  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ example: 'duplicate_text' })
  reason!: string;
}

@ApiSchema({ name: 'PostSeries', description: 'The recurring series a post is an occurrence of' })
export class PostSeriesSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The occurrence it stands for; null once withdrawn (the series was edited, paused or ended)' })
  occurrenceAt!: string | null;
}

@ApiSchema({ name: 'Post', description: 'A post and its delivery to each channel; its status is derived from theirs' })
export class PostSchema implements PostView {
  @ApiProperty({ format: 'uuid', example: '5d2f7a1c-9b3e-4f60-a8d1-2c4b6e8f0a13' })
  id!: string;

  @ApiProperty({ enum: POST_STATUS_NAMES, description: '`publishing` while a delivery is being published or the post is out on some channels and still scheduled on others; `partially_published` once settled with some deliveries failed (or missed) and some published; `deleted` once unpublished from every channel it was out on' })
  status!: string;

  @ApiProperty({ example: 'We are live!' })
  text!: string;

  @ApiProperty({ type: () => [PostMediaSchema] })
  media!: PostMediaSchema[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Per-channel text, keyed by channel id' })
  variants!: Record<string, string>;

  @ApiProperty({ type: () => ScheduleDto, nullable: true, description: 'The schedule last asked for, as given (an approval honours it); null for posts from before it was kept' })
  schedule!: ScheduleDto | null;

  @ApiProperty({ type: () => [PostPartSchema], description: 'Its parts in order: one for a post (its text and media), two or more for a thread' })
  parts!: PostPartSchema[];

  @ApiProperty({ type: () => PostFirstCommentSchema, nullable: true })
  firstComment!: PostFirstCommentSchema | null;

  @ApiProperty({ ...NETWORK_OPTIONS_SCHEMA, properties: { ...NETWORK_OPTIONS_SCHEMA.properties } })
  networkOptions!: Record<string, Record<string, unknown>>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: () => ActorSchema, nullable: true, description: 'Who created it (null for posts from before it was kept)' })
  createdBy!: ActorSchema | null;

  @ApiProperty({ type: () => ActorSchema, nullable: true, description: 'Who last edited it' })
  updatedBy!: ActorSchema | null;

  @ApiProperty({ type: () => ActorSchema, nullable: true, description: 'Who approved it, when it was approved' })
  approvedBy!: ActorSchema | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt!: string | null;

  @ApiProperty({ type: () => ReviewSchema, nullable: true, description: 'The last approval or rejection, until the post is submitted again' })
  review!: ReviewSchema | null;

  @ApiProperty({ type: [String], example: ['launch'], description: 'Its tags (lower case)' })
  tags!: string[];

  @ApiProperty({ description: 'A channel that recycles its queue may put it back at the end once published' })
  evergreen!: boolean;

  @ApiProperty({ type: () => PostSeriesSchema, nullable: true, description: 'The recurring series it is an occurrence of; null for other posts' })
  series!: PostSeriesSchema | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "A recycled evergreen post's original" })
  recycledFrom!: string | null;

  @ApiProperty({ type: () => [EvergreenSkipSchema], description: 'Channels where the evergreen post is not recycled, and why (X refuses a text it was just sent)' })
  evergreenSkips!: EvergreenSkipSchema[];

  @ApiProperty({ type: () => [DeliverySchema] })
  deliveries!: DeliverySchema[];
}

@ApiSchema({ name: 'ApprovedPost', description: 'The approved post, and what happened to its asked schedule' })
export class ApprovedPostSchema extends PostSchema implements ApprovedPostView {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'The asked time 2026-12-01T09:00:00.000Z has passed: scheduled at the next free slot of x acme, 2026-12-02T09:00:00.000Z.',
    description: 'Null when everything went as asked',
  })
  notice!: string | null;
}

@ApiSchema({ name: 'ShortenedLink', description: 'A link replaced by its short link' })
export class ShortenedLinkSchema {
  @ApiProperty({ example: 'https://example.com/launch?utm_source=x&utm_medium=social' })
  url!: string;

  @ApiProperty({ example: 'https://s.example.com/a1B2c' })
  shortUrl!: string;
}

@ApiSchema({ name: 'UnshortenedLink', description: 'A link left long, and why' })
export class UnshortenedLinkSchema {
  @ApiProperty({ example: 'https://example.com/launch' })
  url!: string;

  @ApiProperty({ example: 'the shortener answered HTTP 503' })
  reason!: string;
}

@ApiSchema({ name: 'ShortLinks', description: 'What `links.shorten` did: each link shortened, and each left long with the reason' })
export class ShortLinksSchema implements ShortLinksReport {
  @ApiProperty({ type: () => [ShortenedLinkSchema] })
  shortened!: ShortenedLinkSchema[];

  @ApiProperty({ type: () => [UnshortenedLinkSchema] })
  failed!: UnshortenedLinkSchema[];
}

@ApiSchema({ name: 'CreatedPost', description: 'The post as created; with `shortLinks` when it asked for short links' })
export class CreatedPostSchema extends PostSchema {
  @ApiPropertyOptional({ type: () => ShortLinksSchema, description: 'Only when the post asked for `links.shorten`' })
  shortLinks?: ShortLinksSchema;
}

@ApiSchema({ name: 'UnpublishChannel', description: 'What unpublish does on one channel' })
export class UnpublishChannelSchema implements UnpublishChannelView {
  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ enum: NETWORKS })
  network!: string;

  @ApiProperty({
    enum: ['deleting', 'deleted', 'unsupported', 'channel_unavailable'],
    description:
      '`deleting`: the delete is under way (the delivery becomes `deleted`, and `post.deleted` fires, once the network has taken every part down; retried with backoff); `deleted`: it was already; `unsupported`: the network\'s API cannot delete a post (Instagram): delete it by hand; `channel_unavailable`: the channel is disconnected or removed: connect it again, then unpublish',
  })
  result!: 'deleting' | 'deleted' | 'unsupported' | 'channel_unavailable';

  @ApiProperty({ type: String, nullable: true, example: 'The Instagram Graph API cannot delete published media: delete it in the Instagram app', description: 'Why it is not deleted; null when it is or will be' })
  reason!: string | null;
}

@ApiSchema({ name: 'UnpublishedPost', description: 'The post, and what unpublish does on each channel it names' })
export class UnpublishedPostSchema extends PostSchema implements UnpublishedPostView {
  @ApiProperty({ type: () => [UnpublishChannelSchema] })
  unpublish!: UnpublishChannelSchema[];
}

@ApiSchema({ name: 'BulkItemProblem', description: 'Why one item of a bulk create was refused (the problem the single create would answer)' })
export class BulkItemProblemSchema {
  @ApiProperty({ example: 'Unprocessable request' })
  title!: string;

  @ApiProperty()
  detail!: string;

  @ApiPropertyOptional({ type: () => [FieldErrorSchema] })
  errors?: FieldErrorSchema[];
}

@ApiSchema({ name: 'BulkItemResult', description: 'One item: created (`status` 201 and its `id`: GET it for the details), or refused (`status` 4xx and its `problem`)' })
export class BulkItemResultSchema {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Its position in `posts`' })
  index!: number;

  @ApiProperty({ type: 'integer', example: 201, description: '201 created, or the status the single create would have answered' })
  status!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The new post (created items)' })
  id?: string;

  @ApiPropertyOptional({ type: () => BulkItemProblemSchema, description: 'Why it was refused (refused items)' })
  problem?: BulkItemProblemSchema;

  @ApiPropertyOptional({ type: () => ShortLinksSchema, description: 'What `links.shorten` did (created items that asked for it)' })
  shortLinks?: ShortLinksSchema;
}

@ApiSchema({ name: 'BulkCreateResult' })
export class BulkCreateResultSchema {
  @ApiProperty({ type: () => [BulkItemResultSchema], description: 'One result per item, in their order' })
  data!: BulkItemResultSchema[];

  @ApiProperty({ type: 'integer', minimum: 0 })
  created!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed!: number;
}

@ApiSchema({ name: 'ImportRowDelivery', description: 'A delivery the row makes: its channel and, for a fixed time, when' })
export class ImportRowDeliverySchema {
  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ example: 'x' })
  network!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null for a draft, or a queue slot taken when committed' })
  at!: string | null;
}

@ApiSchema({ name: 'ImportRow', description: 'One data row of the file: whether it goes in, and why not' })
export class ImportRowSchema {
  @ApiProperty({ type: 'integer', minimum: 1, description: '1 for the first row after the header' })
  row!: number;

  @ApiProperty({ description: 'The row passes every check a create makes (false for a row already imported)' })
  ok!: boolean;

  @ApiProperty({ enum: ['new', 'duplicate', 'created', 'refused'], description: '`duplicate`: this row (the same cells) was imported before, or appears earlier in the file; nothing is made of it' })
  status!: 'new' | 'duplicate' | 'created' | 'refused';

  @ApiProperty({ type: [String], example: ['channel 3f2c… (x launch): text is 290 characters; x allows 280'] })
  problems!: string[];

  @ApiProperty({ type: () => [ImportRowDeliverySchema] })
  deliveries!: ImportRowDeliverySchema[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The post made (committed rows)' })
  postId?: string;
}

@ApiSchema({ name: 'ImportSummary' })
export class ImportSummarySchema {
  @ApiProperty({ type: 'integer' })
  rows!: number;

  @ApiProperty({ type: 'integer', description: 'Rows that pass (new ones)' })
  ok!: number;

  @ApiProperty({ type: 'integer', description: 'Rows refused' })
  failed!: number;

  @ApiProperty({ type: 'integer', description: 'Rows imported before (or repeated in the file)' })
  duplicates!: number;

  @ApiProperty({ type: 'integer', description: 'Posts made (0 on a dry run)' })
  created!: number;

  @ApiProperty({ description: 'Whether the good rows were created (`?commit=true`)' })
  committed!: boolean;
}

@ApiSchema({ name: 'ImportResult' })
export class ImportResultSchema {
  @ApiProperty({ type: () => [ImportRowSchema] })
  rows!: ImportRowSchema[];

  @ApiProperty({ type: () => ImportSummarySchema })
  summary!: ImportSummarySchema;
}
