import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsObject, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { NETWORKS } from '@herald/channels';
import { Omittable } from '../common/validation';

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

export class CreateChannelDto {
  @ApiProperty({ enum: NETWORKS })
  @IsIn(NETWORKS)
  network!: string;

  @ApiProperty({ example: 'acme' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  // A handle names an account: no network's has spaces, control characters or invisible
  // formatting (a bidi override would make it read as another account's).
  @Matches(/^[^\s\p{Cc}\p{Cf}]+$/u, { message: 'handle must not contain whitespace, control or formatting characters' })
  handle!: string;

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

  /** A token obtained elsewhere; when absent Herald connects the account itself. */
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

export class ReorderQueueDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true, message: 'each deliveryId must be a UUID' })
  deliveryIds!: string[];
}
