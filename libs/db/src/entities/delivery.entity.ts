import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Attempt } from './attempt.entity';
import type { Post } from './post.entity';

export const DELIVERY_STATUSES = ['draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'cancelled', 'missed', 'deleted'] as const;
export type DeliveryStatusValue = (typeof DELIVERY_STATUSES)[number];

export const SCHEDULE_MODES = ['at', 'queue', 'next', 'now', 'draft'] as const;
export type ScheduleModeValue = (typeof SCHEDULE_MODES)[number];

/**
 * Why a delivery waits: its network's host is down (`network_unavailable`,
 * with the host and since when, and the time it was handed to try again) or
 * failing some of its calls (`network_degraded`, the same, tried again within
 * seconds), its channel's rate-limit budget is spent (`rate_limited`, until
 * the reset).
 */
export interface WaitingFor {
  reason: 'network_unavailable' | 'network_degraded' | 'rate_limited';
  host?: string;
  since?: string;
  until?: string;
  /** Its place in the queue of calls waiting for the host (see NetworkCircuits). */
  ticket?: number;
}

/** One post on one channel: the unit that is scheduled, claimed and published. */
@Entity('deliveries')
export class Delivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId!: string;

  @ManyToOne('Post', 'deliveries', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatusValue;

  /** How its time was chosen; `queue` deliveries move when the channel's queue is reordered. */
  @Column({ name: 'schedule_mode', type: 'varchar', length: 8 })
  scheduleMode!: ScheduleModeValue;

  /** When the user wants it published (null for drafts). */
  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true })
  scheduledAt!: Date | null;

  /** When a worker should next act on it: the scheduled time, or a retry's time. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  /** A claim older than this may be recovered by another worker. */
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ name: 'attempt_count', type: 'int' })
  attemptCount!: number;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ name: 'external_url', type: 'varchar', length: 2048, nullable: true })
  externalUrl!: string | null;

  /** The network's handle on the post, kept before the publishing call (a Bluesky record key, a Threads/Instagram container). */
  @Column({ name: 'network_ref', type: 'varchar', length: 512, nullable: true })
  networkRef!: string | null;

  /** Why a scheduled delivery waits past its time, while it does (see WaitingFor). */
  @Column({ name: 'waiting_for', type: 'jsonb', nullable: true })
  waitingFor!: WaitingFor | null;

  /** When unpublish took it off its network (status `deleted`). */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** Set while an unpublish of it is wanted: when a worker should next try the delete (see the Unpublish migration). */
  @Column({ name: 'unpublish_due_at', type: 'timestamptz', nullable: true })
  unpublishDueAt!: Date | null;

  @Column({ name: 'unpublish_attempts', type: 'int', default: 0 })
  unpublishAttempts!: number;

  /** Why the last try to delete it failed (the network's words); null once it is deleted. */
  @Column({ name: 'unpublish_error_code', type: 'varchar', length: 64, nullable: true })
  unpublishErrorCode!: string | null;

  @Column({ name: 'unpublish_error_message', type: 'text', nullable: true })
  unpublishErrorMessage!: string | null;

  @Column({ name: 'last_error_code', type: 'varchar', length: 64, nullable: true })
  lastErrorCode!: string | null;

  @Column({ name: 'last_error_message', type: 'text', nullable: true })
  lastErrorMessage!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany('Attempt', 'delivery')
  attempts?: Attempt[];
}
