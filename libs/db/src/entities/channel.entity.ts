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

  /** How people know it, as the network writes it (Mastodon `@name@instance`; LinkedIn and Facebook: the person's or Page's name). */
  @Column({ type: 'varchar', length: 200 })
  handle!: string;

  /** The account's or Page's name as the network gives it; null until read. */
  @Column({ name: 'display_name', type: 'varchar', length: 300, nullable: true })
  displayName!: string | null;

  /** The kept avatar's ETag (see channel_avatars); null: none kept. */
  @Column({ name: 'avatar_etag', type: 'varchar', length: 64, nullable: true })
  avatarEtag!: string | null;

  /** When name, handle and avatar were last read from the network. */
  @Column({ name: 'profile_refreshed_at', type: 'timestamptz', nullable: true })
  profileRefreshedAt!: Date | null;

  /** The posting schedule is still the one Herald gave the new channel (nobody edited it). */
  @Column({ name: 'schedule_is_default', type: 'boolean', default: false })
  scheduleIsDefault!: boolean;

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

  /** The network's own id of the account (X user id, DID, Mastodon account id, LinkedIn member, Threads/Instagram user, Facebook Page). */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId!: string | null;

  /** The account's own host: its Mastodon instance, its Bluesky PDS. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  host!: string | null;

  /** Encrypted like the access token. */
  @Column({ name: 'refresh_token', type: 'text', nullable: true })
  refreshToken!: string | null;

  @Column({ name: 'token_expires_at', type: 'timestamptz', nullable: true })
  tokenExpiresAt!: Date | null;

  @Column({ name: 'expiry_warned_at', type: 'timestamptz', nullable: true })
  expiryWarnedAt!: Date | null;

  /** What connecting found that is not secret: a Mastodon instance's limits, a member's name. */
  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  /** What every post to the channel gets unless it says otherwise (Mastodon: visibility, language). */
  @Column({ name: 'post_defaults', type: 'jsonb', default: {} })
  postDefaults!: PostDefaults;

  /** What every post to the channel tells its network unless the post says otherwise (a Pinterest channel's board): the options its network lets a channel default. */
  @Column({ name: 'network_options', type: 'jsonb', default: {} })
  networkOptions!: Record<string, unknown>;

  /** How late (seconds past its time) a delivery may still be published; later, it is `missed`. Null: published however late. */
  @Column({ name: 'stale_after_seconds', type: 'int', nullable: true })
  staleAfterSeconds!: number | null;

  /** Its queue recycles evergreen posts, never one within this many days of its last time there; null: it does not. */
  evergreenMinRepeatDays!: number | null;

  /** Tracked and short links for every post to it that does not say otherwise (a post's own `links` fields win). */
  @Column({ type: 'jsonb', default: {} })
  links!: ChannelLinks;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Set when the channel is removed; its history stays. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}

/** A channel's defaults for its posts (Mastodon's visibility and language). */
export interface PostDefaults {
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  language?: string;
}

/** A channel's links settings (PRODUCT.md section 13, "Links"): UTM parameters on its posts' links, and short links. */
export interface ChannelLinks {
  utm?: boolean | { campaign?: string; source?: string; medium?: string };
  shorten?: boolean;
}
