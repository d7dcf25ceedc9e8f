/**
 * The media library's answers as the OpenAPI document describes them (see
 * common/api-docs.ts); the schema implements the view, and the controllers
 * answer it.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { MediaView } from './media-view';

@ApiSchema({ name: 'MediaFit', description: 'What one network makes of the file: taken as it is, taken once Herald resized it, or refused and why' })
export class MediaFitSchema {
  @ApiProperty()
  accepted!: boolean;

  @ApiProperty({ description: 'Herald sends a version it derived (scaled down, re-encoded or converted); the original is kept' })
  resized!: boolean;

  @ApiProperty({ type: [String], example: ['Instagram takes JPEG images only (got image/png)'] })
  problems!: string[];
}

@ApiSchema({ name: 'Media', description: "A file of the workspace's media library" })
@ApiExtraModels(MediaFitSchema)
export class MediaSchema implements MediaView {
  @ApiProperty({ format: 'uuid', example: '0b6f3a52-4a0e-4d7e-9c1a-2f5d8e7c9a10' })
  id!: string;

  @ApiProperty({ enum: ['image', 'video'] })
  type!: 'image' | 'video';

  @ApiProperty({ example: 'image/jpeg' })
  mimeType!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Bytes' })
  size!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'As displayed (after its EXIF orientation)' })
  width!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  height!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Video only' })
  durationMs!: number | null;

  @ApiProperty()
  animated!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 8, description: 'EXIF orientation of the original' })
  orientation!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'launch.jpg' })
  filename!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Where it was imported from' })
  sourceUrl!: string | null;

  @ApiProperty({ example: '/v1/media/0b6f3a52-4a0e-4d7e-9c1a-2f5d8e7c9a10/file', description: "The original's bytes (authenticated like every API route)" })
  fileUrl!: string;

  @ApiProperty({ type: String, nullable: true, description: 'A WebP of at most 320 px a side; null for video' })
  thumbnailUrl!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(MediaFitSchema) },
    description: 'Per network (on one media, not in lists)',
  })
  networks?: Record<string, MediaFitSchema>;
}
