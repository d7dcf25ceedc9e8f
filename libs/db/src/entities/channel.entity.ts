import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNEL_STATUSES = ['active', 'paused', 'disconnected'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export interface PostingScheduleValue {
  slots: { day: string; time: string }[];
}

/** One connected account on one network. */
@Entity('channels')
export class Channel {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 20 })
  network!: string;

  @Column({ type: 'varchar', length: 200 })
  handle!: string;

  /** IANA zone the posting schedule is read in. */
  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @Column({ name: 'posting_schedule', type: 'jsonb' })
  postingSchedule!: PostingScheduleValue;

  @Column({ type: 'varchar', length: 16 })
  status!: ChannelStatus;

  /** The network's token. Never returned by the API, never logged. */
  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Set when the channel is removed; its history stays. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
