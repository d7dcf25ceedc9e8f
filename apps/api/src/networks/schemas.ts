/**
 * `GET /v1/networks` as the OpenAPI document describes it (see
 * common/api-docs.ts). The rules themselves live in libs/channels (shared
 * with the web app, so no decorators there); these classes implement them.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ImageLimits, NETWORKS, NetworkRules, VideoLimits } from '@herald/channels';

@ApiSchema({ name: 'AspectRatio' })
export class AspectRatioSchema {
  @ApiProperty({ example: 0.8, description: 'Width ÷ height, inclusive' })
  min!: number;

  @ApiProperty({ example: 1.91 })
  max!: number;

  @ApiProperty({ example: '4:5 to 1.91:1' })
  label!: string;
}

@ApiSchema({ name: 'ImageLimits', description: 'What a network takes of one image, and what Herald changes to make one fit rather than refusing it' })
export class ImageLimitsSchema implements ImageLimits {
  @ApiProperty({ type: [String], example: ['image/jpeg', 'image/png'], description: 'Types taken as they are' })
  types!: string[];

  @ApiProperty({ type: 'integer' })
  maxBytes!: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Animated GIFs may have their own cap' })
  maxGifBytes?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Total pixels (width × height)' })
  maxPixels?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Longest side, pixels' })
  maxDimension?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Shortest side, pixels' })
  minDimension?: number;

  @ApiPropertyOptional({ type: () => AspectRatioSchema })
  aspectRatio?: AspectRatioSchema;

  @ApiProperty({ enum: ['bytes', 'pixels', 'type'], isArray: true, description: 'Limits Herald meets by deriving a version of the image (the original is kept)' })
  fits!: Array<'bytes' | 'pixels' | 'type'>;

  @ApiPropertyOptional({ example: 'image/jpeg', description: 'The type a derived version takes' })
  convertTo?: string;
}

@ApiSchema({ name: 'VideoLimits' })
export class VideoLimitsSchema implements VideoLimits {
  @ApiProperty({ type: [String], example: ['video/mp4'] })
  types!: string[];

  @ApiProperty({ type: 'integer' })
  maxBytes!: number;

  @ApiPropertyOptional({ type: 'integer' })
  minDurationMs?: number;

  @ApiPropertyOptional({ type: 'integer' })
  maxDurationMs?: number;

  @ApiPropertyOptional({ type: 'integer' })
  maxDimension?: number;

  @ApiPropertyOptional({ type: () => AspectRatioSchema })
  aspectRatio?: AspectRatioSchema;
}

@ApiSchema({ name: 'TitleRule' })
export class TitleRuleSchema {
  @ApiProperty({ type: 'integer', example: 100 })
  maxLength!: number;

  @ApiProperty({ example: 'the first line of the text', description: 'Where Herald takes the title from' })
  from!: string;
}

@ApiSchema({ name: 'TextRules' })
export class TextRulesSchema {
  @ApiProperty({ type: 'integer', example: 280 })
  maxLength!: number;

  @ApiProperty({ example: 'graphemes (what a reader sees as one character), and at most 3000 bytes of UTF-8', description: 'How length is counted, in words' })
  counting!: string;

  @ApiPropertyOptional({ type: 'integer' })
  maxBytes?: number;

  @ApiPropertyOptional({ type: 'integer', example: 23, description: 'Weight of any URL, where the network counts URLs as a fixed length' })
  urlLength?: number;

  @ApiPropertyOptional({ type: () => TitleRuleSchema, description: 'Where the network wants a title, taken from the text (YouTube: its first line): required, and at most maxLength characters' })
  title?: TitleRuleSchema;

  @ApiPropertyOptional({ example: '<>', description: 'Characters the network refuses anywhere in the text (YouTube: < and >)' })
  forbiddenCharacters?: string;
}

@ApiSchema({ name: 'MediaRules' })
export class MediaRulesSchema {
  @ApiProperty({ type: 'integer' })
  maxImages!: number;

  @ApiProperty({ type: 'integer' })
  maxVideos!: number;

  @ApiProperty({ description: 'Whether images and videos may be mixed in one post' })
  mixed!: boolean;

  @ApiProperty({ type: 'integer', description: 'Instagram: 1 (no text-only posts)' })
  minItems!: number;

  @ApiPropertyOptional({ type: 'integer' })
  altTextMaxLength?: number;

  @ApiProperty({ type: () => ImageLimitsSchema })
  image!: ImageLimitsSchema;

  @ApiPropertyOptional({ type: () => VideoLimitsSchema, description: 'Absent where the network takes no video through Herald' })
  video?: VideoLimitsSchema;
}

@ApiSchema({ name: 'NetworkConnect', description: 'How an account of the network connects here' })
export class NetworkConnectSchema {
  @ApiProperty({ enum: ['oauth', 'app_password'], description: '`oauth`: POST /v1/channels/connect; `app_password`: POST /v1/channels with a handle and an app password' })
  method!: 'oauth' | 'app_password';

  @ApiProperty({ description: "Whether this installation can connect it now (its OAuth app's settings are set)" })
  connectable!: boolean;

  @ApiProperty({ type: [String], example: ['X_CLIENT_ID', 'X_CLIENT_SECRET'], description: 'The settings still to set for it to be connectable' })
  missingSettings!: string[];

  @ApiPropertyOptional({ enum: ['accessToken'], description: 'OAuth networks also take a token made elsewhere, in POST /v1/channels' })
  alsoAccepts?: 'accessToken';
}

@ApiSchema({ name: 'NetworkDeletion', description: 'Whether a published post can be taken down through the network\'s API (POST /v1/posts/{id}/unpublish)' })
export class NetworkDeletionSchema {
  @ApiProperty({ description: 'Whether unpublish deletes the post on this network; where not, it is reported as `unsupported` and must be deleted by hand' })
  supported!: boolean;

  @ApiProperty({ example: '`DELETE /2/tweets/:id` (scope tweet.write), each part of a thread', description: 'The call it makes, or why it cannot' })
  how!: string;
}

@ApiSchema({ name: 'Network', description: "A network's published content and media rules (what Herald checks a post against), and how it connects" })
export class NetworkSchema implements NetworkRules {
  @ApiProperty({ enum: NETWORKS })
  network!: string;

  @ApiProperty({ example: 'Bluesky' })
  displayName!: string;

  @ApiProperty({ type: () => TextRulesSchema })
  text!: TextRulesSchema;

  @ApiProperty({ type: () => MediaRulesSchema })
  media!: MediaRulesSchema;

  @ApiProperty({ description: 'Whether the network itself honours an idempotency key (so a retried publish cannot post twice there)' })
  honoursIdempotencyKey!: boolean;

  @ApiProperty({ type: () => NetworkDeletionSchema })
  deletion!: NetworkDeletionSchema;

  @ApiPropertyOptional({ description: 'The network refuses a text the account posted recently (X): an evergreen post is recycled there only with another text' })
  refusesDuplicates?: boolean;

  @ApiProperty({ type: () => NetworkConnectSchema })
  connect!: NetworkConnectSchema;
}
