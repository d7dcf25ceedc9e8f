/**
 * The workspaces' and API keys' answers as the OpenAPI document describes
 * them (see common/api-docs.ts); each implements the view it describes.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { API_KEY_ROLES } from '../access';
import type { ApiKeyView, IssuedApiKey } from './api-keys.service';
import type { CreatedWorkspace } from './workspaces.service';
import type { WorkspaceView } from './workspace-settings.service';

@ApiSchema({ name: 'CreatedWorkspace', description: 'A new workspace and its first API key, shown this once' })
export class CreatedWorkspaceSchema implements CreatedWorkspace {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'hrld_3q2-7wZbY1kP0m9cXv4rT8sLdE6fG5hJ2nA1oB0uQ', description: 'Send it as `Authorization: Bearer <key>`' })
  apiKey!: string;
}

@ApiSchema({ name: 'KeyMaker', description: 'Who made an API key' })
export class KeyMakerSchema {
  @ApiProperty({ enum: ['user', 'api_key', 'operator'] })
  kind!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The person's or the key's id (null for the operator)" })
  id!: string | null;

  @ApiPropertyOptional({ example: 'Ada', description: "A person's name (else their email), or a key's name" })
  name?: string;
}

@ApiSchema({ name: 'ApiKey', description: 'An API key (never the key itself: only its prefix)' })
export class ApiKeySchema implements ApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ci' })
  name!: string;

  @ApiProperty({ example: 'hrld_3q2-7wZ', description: 'Its first 12 characters, to tell keys apart' })
  prefix!: string;

  @ApiProperty({ enum: API_KEY_ROLES, example: 'editor', description: 'The role it acts with' })
  role!: string;

  @ApiProperty({ type: [String], format: 'uuid', nullable: true, description: 'The channels it is limited to; null: the whole workspace' })
  channelIds!: string[] | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;

  @ApiProperty({
    type: () => KeyMakerSchema,
    nullable: true,
    description: 'Who made it: a person, another key or the operator (null for a key made before makers were recorded). A key answers to the person behind its maker: it is revoked when they leave the workspace or lose the role it has.',
  })
  createdBy!: KeyMakerSchema | null;
}

@ApiSchema({ name: 'IssuedApiKey', description: 'A new API key, with the whole key: shown this once (only its hash is stored)' })
export class IssuedApiKeySchema extends ApiKeySchema implements IssuedApiKey {
  @ApiProperty({ example: 'hrld_3q2-7wZbY1kP0m9cXv4rT8sLdE6fG5hJ2nA1oB0uQ' })
  key!: string;
}

@ApiSchema({ name: 'Workspace', description: "The caller's workspace and its settings" })
export class WorkspaceSchema implements WorkspaceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA zone new channels take (set at sign-up from the browser)' })
  timezone!: string;

  @ApiProperty({ example: 'https://herald.example.com', description: "The web app's origin (HERALD_PUBLIC_URL): a connect flow may always send the browser back there" })
  webAppOrigin!: string;

  @ApiProperty({ type: [String], example: ['https://app.example.com'], description: 'Other origins a connect flow of this workspace may send the browser back to (`redirectUri`)' })
  allowedRedirectOrigins!: string[];
}
