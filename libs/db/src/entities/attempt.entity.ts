import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Delivery } from './delivery.entity';

/**
 * Outcomes of one call to a network; `lookup_*` are the checks made after an
 * interrupted publish. `missed` records a decision made without a call: the
 * delivery came later than its channel lets a post go out.
 */
export type AttemptOutcome =
  | 'missed'
  | 'published'
  | 'transient'
  | 'rate_limited'
  | 'rejected'
  | 'auth_revoked'
  | 'auth_expired'
  | 'lookup_found'
  | 'lookup_not_found'
  | 'unconfirmed'
  /** Unpublish: every part taken off the network (or found gone already). */
  | 'deleted'
  /** Unpublish: a delete call failed (its error code and message say how). */
  | 'delete_failed';

/** Every call to a network: the audit trail a user reads when a post failed. */
@Entity('attempts')
export class Attempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @ManyToOne('Delivery', 'attempts', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: Delivery;

  @Column({ type: 'int' })
  number!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  outcome!: AttemptOutcome;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'http_status', type: 'int', nullable: true })
  httpStatus!: number | null;

  @Column({ name: 'latency_ms', type: 'int' })
  latencyMs!: number;
}
