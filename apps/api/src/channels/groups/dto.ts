import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Omittable } from '../../common/validation';

export class CreateChannelGroupDto {
  @ApiProperty({ example: 'Client A', maxLength: 100, description: 'Unique in the workspace (any case)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: "The workspace's channels in the group, in this order" })
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  channelIds!: string[];
}

export class UpdateChannelGroupDto {
  @ApiPropertyOptional({ example: 'Client A', maxLength: 100 })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the channels in the group, in this order' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  channelIds?: string[];
}
