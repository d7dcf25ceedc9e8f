/**
 * The operators' answers as the OpenAPI document describes them (see
 * common/api-docs.ts); the controller answers these types.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { DELIVERY_STATUSES, ScheduleCounts } from '@herald/db';
import { CircuitView, JOB_STATES } from '@herald/queue';
import type { QueueState } from './admin.service';

@ApiSchema({ name: 'QueueWorker' })
export class QueueWorkerSchema {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: '127.0.0.1:51234' })
  addr!: string;

  @ApiProperty({ type: 'integer', description: 'Seconds connected' })
  age!: number;
}

@ApiSchema({ name: 'QueueCounts', description: 'Jobs per state (`paused`: waiting while the queue is paused)' })
export class QueueCountsSchema implements Record<(typeof JOB_STATES)[number] | 'paused', number> {
  @ApiProperty({ type: 'integer', minimum: 0 })
  waiting!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  active!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  delayed!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  prioritized!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  completed!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  paused!: number;
}

@ApiSchema({ name: 'QueueShard', description: "A publish shard's place among the shards (PUBLISH_QUEUE_SHARDS)" })
export class QueueShardSchema {
  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  index!: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 3 })
  of!: number;
}

@ApiSchema({ name: 'QueueState', description: "A BullMQ queue's counts and workers" })
export class QueueStateSchema implements QueueState {
  @ApiProperty({
    pattern: '^(publish(-[0-9]+)?|reconcile|webhooks|unpublish)$',
    example: 'publish',
    description: '`publish`, or with PUBLISH_QUEUE_SHARDS above 1 each shard as a queue of its own (`publish-0`, `publish-1`...); `reconcile`; `webhooks`; `unpublish`',
  })
  name!: string;

  @ApiPropertyOptional({ type: () => QueueShardSchema, description: 'On the publish queue and each of its shards' })
  shard?: QueueShardSchema;

  @ApiProperty()
  paused!: boolean;

  @ApiProperty({ type: () => QueueCountsSchema })
  counts!: QueueCountsSchema;

  @ApiProperty({ type: () => [QueueWorkerSchema] })
  workers!: QueueWorkerSchema[];

  @ApiPropertyOptional({
    type: () => [QueueStateSchema],
    description: 'On `publish` as a whole with PUBLISH_QUEUE_SHARDS above 1 (its `paused` true only when every shard is, its counts and workers the shards\' summed): each shard\'s own state',
  })
  shards?: QueueStateSchema[];
}

@ApiSchema({ name: 'ScheduleState', description: 'The schedule as Postgres sees it' })
export class ScheduleStateSchema implements ScheduleCounts {
  @ApiProperty({ type: 'integer' })
  scheduled!: number;

  @ApiProperty({ type: 'integer' })
  dueNow!: number;

  @ApiProperty({ type: 'integer', description: 'Due more than 5 s ago and not yet claimed' })
  overdue!: number;

  @ApiProperty({ type: 'number', nullable: true })
  oldestOverdueSeconds!: number | null;

  @ApiProperty({ type: 'integer' })
  publishing!: number;

  @ApiProperty({ type: 'integer' })
  failedLastHour!: number;

  @ApiProperty({ type: 'integer' })
  publishedLastHour!: number;
}

@ApiSchema({ name: 'Circuit', description: "A network host's circuit breaker" })
export class CircuitSchema implements CircuitView {
  @ApiProperty({ example: 'mastodon:mastodon.social' })
  key!: string;

  @ApiProperty()
  network!: string;

  @ApiProperty({ example: 'mastodon.social' })
  host!: string;

  @ApiProperty({ enum: ['closed', 'open', 'half_open'] })
  state!: CircuitView['state'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  since!: string | null;

  @ApiProperty({ type: 'integer', description: 'Failed calls among the last judged (closed), or since it opened' })
  failures!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next probe may go (open)' })
  probeAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While closed after an outage: until when calls are paced' })
  recoveringUntil!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While closed and failing some calls, not down (degraded): since when; its calls are paced' })
  degradedSince!: string | null;
}

@ApiSchema({ name: 'QueuesOverview' })
export class QueuesOverviewSchema {
  @ApiProperty({ type: () => [QueueStateSchema] })
  queues!: QueueStateSchema[];

  @ApiProperty({
    type: () => QueueStateSchema,
    description: 'The publish queue as a whole: with one shard the `publish` queue itself; with more, paused only when every shard is, with `shards`',
  })
  publish!: QueueStateSchema;

  @ApiProperty({ type: () => ScheduleStateSchema })
  schedule!: ScheduleStateSchema;

  @ApiProperty({ type: () => [CircuitSchema] })
  networks!: CircuitSchema[];
}

@ApiSchema({ name: 'JobDeliveryError' })
export class JobDeliveryErrorSchema {
  @ApiProperty()
  code!: string;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;
}

@ApiSchema({ name: 'JobDelivery', description: "The job's delivery as Postgres knows it" })
export class JobDeliverySchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  postId!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  scheduledAt!: string | null;

  @ApiProperty({ type: 'integer' })
  attemptCount!: number;

  @ApiProperty({ type: () => JobDeliveryErrorSchema, nullable: true })
  lastError!: JobDeliveryErrorSchema | null;
}

@ApiSchema({ name: 'Job', description: 'A BullMQ job' })
export class JobSchema {
  @ApiProperty({ type: String, nullable: true, description: 'Its id (a publish job: its delivery id)' })
  id!: string | undefined;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: JOB_STATES })
  state!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  runAt!: string;

  @ApiProperty({ type: 'integer' })
  attemptsMade!: number;

  @ApiProperty({ type: String, nullable: true })
  failedReason!: string | null;

  @ApiProperty({ type: () => JobDeliverySchema, nullable: true, description: 'Null for jobs without a delivery, or whose delivery is gone' })
  delivery!: JobDeliverySchema | null;
}

@ApiSchema({ name: 'RetriedJob' })
export class RetriedJobSchema {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: JOB_STATES, description: 'Its state after the retry' })
  state!: string;
}

@ApiSchema({ name: 'RetriedJobs' })
export class RetriedJobsSchema {
  @ApiProperty({ type: 'integer', description: 'How many failed jobs were retried' })
  retried!: number;
}
