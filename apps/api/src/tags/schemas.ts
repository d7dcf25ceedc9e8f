import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { TagView } from './tags.service';

@ApiSchema({ name: 'Tag', description: 'A tag of the workspace; one only used on posts has no id and no colour' })
export class TagSchema implements TagView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id!: string | null;

  @ApiProperty({ example: 'launch' })
  name!: string;

  @ApiProperty({ type: String, example: '#2f6fde', nullable: true })
  colour!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  createdAt!: string | null;
}
