import { ApiKey } from './api-key.entity';
import { Attempt } from './attempt.entity';
import { Channel } from './channel.entity';
import { Delivery } from './delivery.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { Post } from './post.entity';
import { Workspace } from './workspace.entity';

export * from './api-key.entity';
export * from './attempt.entity';
export * from './channel.entity';
export * from './delivery.entity';
export * from './idempotency-record.entity';
export * from './post.entity';
export * from './workspace.entity';

export const ENTITIES = [Workspace, ApiKey, Channel, Post, Delivery, Attempt, IdempotencyRecord];
