import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { TAG_PATTERN } from '../posts/dto';

const COLOUR = /^#[0-9a-fA-F]{6}$/;

export class CreateTagDto {
  @ApiProperty({ example: 'launch', maxLength: 50, description: 'Stored lower-cased; unique in the workspace' })
  @IsString()
  @MaxLength(50)
  @Matches(TAG_PATTERN, { message: 'name must be letters, digits, spaces, - or _ (starting with a letter or digit)' })
  name!: string;

  @ApiProperty({ example: '#2f6fde', description: 'A colour #rrggbb' })
  @IsString()
  @Matches(COLOUR, { message: 'colour must be #rrggbb' })
  colour!: string;
}

export class UpdateTagDto {
  @ApiProperty({ example: '#2f6fde', description: 'A colour #rrggbb (the name stays: posts carry it)' })
  @IsString()
  @Matches(COLOUR, { message: 'colour must be #rrggbb' })
  colour!: string;
}
