import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '@herald/db';
import { Omittable } from '../common/validation';

export class CreateWebhookDto {
  @ApiProperty()
  @IsString()
  @MaxLength(2048)
  url!: string;

  /** Defaults to every event but the opt-in `post.metrics`. */
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Defaults to every event but `post.metrics` (one per metrics snapshot), sent only when named' })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: string[];
}
