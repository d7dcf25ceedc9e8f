/**
 * The sign-in answers as the OpenAPI document describes them (see
 * common/api-docs.ts); the schema implements the view it describes.
 */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ACTIONS, ROLES, type Action } from '../access';
import type { SignedIn } from './auth.service';

@ApiSchema({ name: 'User' })
export class UserSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada', description: 'Empty when not given' })
  name!: string;
}

@ApiSchema({ name: 'Membership', description: 'A workspace the person is in, and their role there' })
export class MembershipSchema {
  @ApiProperty({ format: 'uuid' })
  workspaceId!: string;

  @ApiProperty({ example: 'Acme' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ enum: ACTIONS, isArray: true, description: 'What the role may do there (an app shows only these actions; the API checks them on every request)' })
  permissions!: Action[];
}

@ApiSchema({ name: 'SignedIn', description: 'Who is signed in, their workspaces, and the CSRF token of the session' })
export class SignedInSchema implements SignedIn {
  @ApiProperty({ type: () => UserSchema })
  user!: UserSchema;

  @ApiProperty({ type: () => [MembershipSchema] })
  memberships!: MembershipSchema[];

  @ApiProperty({ description: 'Send it as X-CSRF-Token with every signed-in request that changes something' })
  csrfToken!: string;
}
