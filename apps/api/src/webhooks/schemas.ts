/**
 * The webhooks' answers as the OpenAPI document describes them (see
 * common/api-docs.ts); the controller answers these types.
 */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES } from '@herald/db';
import type { WebhookView } from './webhooks.service';

@ApiSchema({ name: 'Webhook', description: 'An endpoint Herald sends signed events to' })
export class WebhookSchema implements WebhookView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uri', example: 'https://hooks.example.com/herald' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@ApiSchema({ name: 'CreatedWebhook', description: 'The endpoint with its signing secret: shown this once' })
export class CreatedWebhookSchema extends WebhookSchema {
  @ApiProperty({ example: 'whsec_M2Y0ZDc1YTE5YjJlNGM4ZjlhMGIxYzJk', description: 'Verifies the `Herald-Signature` of each delivery' })
  secret!: string;
}

@ApiSchema({ name: 'WebhookDelivery', description: 'One event sent (or being sent) to the endpoint: its tries and last answer' })
export class WebhookDeliverySchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  type!: string;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] })
  status!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Tries so far' })
  attempts!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: "The endpoint's last HTTP status" })
  lastStatus!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "Why the last try failed, in Herald's words (the status, a refused address, no answer): never the receiver's body",
  })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While pending: the next try' })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
