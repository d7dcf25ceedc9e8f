import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A workspace's API key. Only its SHA-256 hash is kept; the key is shown once. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The visible start of the key (`hrld_ab12cd`), so a user can tell keys apart. */
  @Column({ type: 'varchar', length: 32 })
  prefix!: string;

  @Column({ name: 'key_hash', type: 'char', length: 64 })
  keyHash!: string;

  /** What the key may do: `admin`, `editor`, `contributor` or `viewer` (never `owner`: an owner is a person). */
  @Column({ type: 'varchar', length: 16 })
  role!: string;

  /** The channels it is limited to; null: the whole workspace. */
  @Column({ name: 'channel_ids', type: 'uuid', array: true, nullable: true })
  channelIds!: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /**
   * Who made it (`made_by_kind`, `made_by_id`): a person, another key or the
   * operator, with their name where the list reads it; null for keys made
   * before makers were recorded.
   */
  madeBy!: { kind: string; id: string | null; name: string | null } | null;

  /** The person the key answers to: it is revoked when they leave, or lose the role it has. */
  @Column({ name: 'maker_user_id', type: 'uuid', nullable: true })
  makerUserId!: string | null;
}
