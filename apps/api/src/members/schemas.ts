/**
 * The members' and invitations' answers as the OpenAPI document describes
 * them (see common/api-docs.ts); each schema implements the view it describes.
 */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ROLES } from '../access';
import { SignedInSchema } from '../people';
import type { InvitationPreview, InvitationView, IssuedInvitation } from './invitations.service';
import type { MemberView } from './members.service';

@ApiSchema({ name: 'Member', description: 'A person in the workspace, with their role there' })
export class MemberSchema implements MemberView {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ example: 'Grace', description: 'Empty when not given' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ format: 'date-time' })
  joinedAt!: string;
}

@ApiSchema({ name: 'InvitedBy', description: 'Who made the invitation: a person, an API key or the operator' })
export class InvitedBySchema {
  @ApiProperty({ enum: ['user', 'api_key', 'operator', 'system'] })
  kind!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id!: string | null;
}

@ApiSchema({ name: 'Invitation', description: 'A pending invitation (never its token: only its hash is kept)' })
export class InvitationSchema implements InvitationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ type: () => InvitedBySchema })
  invitedBy!: InvitedBySchema;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

@ApiSchema({ name: 'IssuedInvitation', description: 'A new invitation with its single-use link: shown this once' })
export class IssuedInvitationSchema extends InvitationSchema implements IssuedInvitation {
  @ApiProperty({ description: 'The single-use token (also in `url`)' })
  token!: string;

  @ApiProperty({ format: 'uri', example: 'http://127.0.0.1:3000/accept-invitation#token=3q2-7wZbY1kP0m9cXv4rT8sLdE6fG5hJ2nA1oB0uQ', description: "The link to send the person: the web app's accept page" })
  url!: string;

  @ApiProperty({ description: 'Whether Herald emails the link to the person (the server has SMTP_URL); when false, send it yourself' })
  emailed!: boolean;
}

@ApiSchema({ name: 'InvitationPreview', description: 'What an invitation link is for, shown before it is accepted' })
export class InvitationPreviewSchema implements InvitationPreview {
  @ApiProperty({ example: 'Acme' })
  workspaceName!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

@ApiSchema({ name: 'AcceptedInvitation', description: 'The person signed in, and the workspace they joined' })
export class AcceptedInvitationSchema extends SignedInSchema {
  @ApiProperty({ format: 'uuid' })
  workspaceId!: string;
}
