import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES } from '../access';
import { Omittable } from '../common/validation';
import { PASSWORD_MAX_LENGTH } from '../people';

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: (typeof ROLES)[number];
}

export class CreateInvitationDto {
  @ApiProperty({ example: 'grace@example.com', maxLength: 320 })
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: (typeof ROLES)[number];
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token from the invitation link', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  token!: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'The new account\'s name (without a session)' })
  @Omittable()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: PASSWORD_MAX_LENGTH, description: 'The new account\'s password (without a session): at least 10 characters' })
  @Omittable()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;
}
