import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { API_KEY_ROLES, ApiKeyRole } from '../access';
import { Omittable } from '../common/validation';

export class CreateWorkspaceDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class CreateApiKeyDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: API_KEY_ROLES, default: 'editor', description: 'What the key may do; never above the role of whoever makes it (an owner is a person: no key is one)' })
  @Omittable()
  @IsIn(API_KEY_ROLES, { message: `role must be one of ${API_KEY_ROLES.join(', ')}` })
  role?: ApiKeyRole;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      'Limits the key to these channels of the workspace (left out: the whole workspace). Such a key lists only them, posts only to them, sees only the posts that go to them alone, reads analytics of one of them at a time, and is refused (403) on whatever reaches the whole workspace: members, keys, webhooks, feeds, series, settings.',
  })
  @Omittable()
  @IsArray({ message: 'channelIds must be an array of channel ids' })
  @ArrayMinSize(1, { message: 'channelIds must name at least one channel (leave it out for the whole workspace)' })
  @ArrayMaxSize(200)
  @ArrayUnique({ message: 'channelIds must not name a channel twice' })
  @IsUUID('all', { each: true, message: 'each channelId must be a UUID' })
  channelIds?: string[];
}

export class UpdateWorkspaceDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['https://app.example.com'],
    description: "Origins (scheme, host and port) a connect flow may send the browser back to, besides the web app's own; replaces the list",
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  allowedRedirectOrigins?: string[];

  @ApiPropertyOptional({ example: 'America/New_York', maxLength: 64, description: 'IANA zone new channels take (channels already connected keep theirs)' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}
