/**
 * The audit log's answers as the OpenAPI document describes them (see
 * common/api-docs.ts); the schema implements the view it describes.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AuditEventView } from './audit-log';

@ApiSchema({ name: 'AuditActor', description: 'Who did it: a person, an API key, the operator (the admin token) or Herald itself' })
export class AuditActorSchema {
  @ApiProperty({ enum: ['user', 'api_key', 'operator', 'system'] })
  kind!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id!: string | null;

  @ApiPropertyOptional({ example: 'Ada', description: "A person's name (else their email), or a key's name" })
  name?: string;
}

@ApiSchema({ name: 'AuditSubject', description: 'What it was done to' })
export class AuditSubjectSchema {
  @ApiProperty({ enum: ['user', 'invitation', 'channel', 'api_key', 'post', 'workspace'] })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;
}

@ApiSchema({ name: 'AuditEvent', description: 'One thing that happened in the workspace, and who did it' })
export class AuditEventSchema implements AuditEventView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  action!: string;

  @ApiProperty({ type: () => AuditActorSchema })
  actor!: AuditActorSchema;

  @ApiProperty({ type: () => AuditSubjectSchema })
  subject!: AuditSubjectSchema;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { email: 'grace@example.com', from: 'viewer', to: 'editor' }, description: 'What changed, by action' })
  details!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'The client address of the request' })
  ip!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}
