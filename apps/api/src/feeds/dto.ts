import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Omittable } from '../common/validation';

export const FEED_MODES = ['queue', 'draft', 'now'] as const;

export class CreateFeedDto {
  @ApiProperty({ example: 'https://blog.example.com/feed.xml', description: 'An RSS 2.0, Atom or JSON Feed URL (http or https, under the URL policy)' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The channels each item is posted to' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each channelId must be a UUID' })
  channelIds!: string[];

  @ApiProperty({ enum: FEED_MODES, description: '`queue`: each item takes each channel\'s next slot; `draft`: kept as a draft; `now`: published at once' })
  @IsIn(FEED_MODES)
  mode!: (typeof FEED_MODES)[number];

  @ApiPropertyOptional({ example: '{{title}} {{link}}', description: 'The post\'s text: `{{title}}`, `{{link}}`, `{{summary}}`; the title is cut to fit each channel' })
  @Omittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  template?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1440, default: 15 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(1440)
  intervalMinutes?: number;

  @ApiPropertyOptional({ default: false, description: 'The items in the feed when it is added make no post' })
  @Omittable()
  @IsBoolean()
  skipExisting?: boolean;
}

export class UpdateFeedDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each channelId must be a UUID' })
  channelIds?: string[];

  @ApiPropertyOptional({ enum: FEED_MODES })
  @Omittable()
  @IsIn(FEED_MODES)
  mode?: (typeof FEED_MODES)[number];

  @ApiPropertyOptional({ example: '{{title}} {{link}}' })
  @Omittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  template?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1440 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(1440)
  intervalMinutes?: number;

  @ApiPropertyOptional({ enum: ['active', 'paused'], description: '`paused` stops polling; `active` polls again now (a broken feed too, its failures forgotten)' })
  @Omittable()
  @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';
}
