/** Every BullMQ queue Herald uses. Names are part of Redis keys: changing one orphans its jobs. */
export const QUEUES = {
  /**
   * One job per delivery that is due within the horizon; job id = delivery id.
   * Split into shards (`publish-0`, `publish-1`...) when PUBLISH_QUEUE_SHARDS
   * is above 1: see publish-shards.ts, which alone names them.
   */
  publish: 'publish',
  /** One job per webhook delivery (an event to one endpoint); job id = webhook delivery id. */
  webhooks: 'webhooks',
  /** One job per delivery being unpublished (its delete calls); job id = delivery id. Postgres keeps the truth: the reconciler re-adds lost ones. */
  unpublish: 'unpublish',
  /** The reconciler's repeatable sweep (a job scheduler, so one runs at a time across workers). */
  reconcile: 'reconcile',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The queues registered with Nest's BullModule (one each, under the prefix); the publish shards are PublishShards'. */
export const SINGLE_QUEUES = [QUEUES.webhooks, QUEUES.reconcile, QUEUES.unpublish] as const;
export type SingleQueueName = (typeof SINGLE_QUEUES)[number];

/** A publish job carries ids only; the worker reads the truth from Postgres. */
export interface PublishJobData {
  deliveryId: string;
  /** The API request that scheduled it, so the worker's log lines can be joined to it. */
  requestId?: string;
}

/** An unpublish job carries the id of the delivery to take down. */
export interface UnpublishJobData {
  deliveryId: string;
}

/** A webhook job carries the id of its webhook delivery row. */
export interface WebhookJobData {
  webhookDeliveryId: string;
}

/** The job states operators see (BullMQ 6 has no `paused` state: a paused queue's jobs stay `waiting`). */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
export type JobStateName = (typeof JOB_STATES)[number];
