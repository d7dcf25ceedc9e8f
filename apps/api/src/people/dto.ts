import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Omittable } from '../common/validation';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';

export class SignUpDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Omittable()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'The new workspace of the first person (or, with AUTH_OPEN_SIGNUP, of anyone)' })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  workspaceName?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', maxLength: 64, description: "The person's IANA zone (the browser's): the new workspace's zone, which its new channels take. UTC when left out" })
  @Omittable()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class SignInDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class PasswordResetDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email!: string;
}

export class ConfirmPasswordResetDto {
  @ApiProperty({ description: 'The token from the reset link', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  token!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword!: string;
}
