import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Delivery } from './delivery.entity';

/** One media item of a post: a file of the media library with its alt text for this post (`url`: posts from before the library). */
export interface MediaValue {
  mediaId?: string;
  url?: string;
  alt?: string;
  type?: 'image' | 'video';
}

/** One part of a thread (PRODUCT.md section 10): its text and media, and per channel a text of its own (parts after the first). */
export interface PostPartValue {
  text: string;
  media: MediaValue[];
  variants?: Record<string, string>;
}

/** A first comment, published right after the post by the same account. */
export interface FirstCommentValue {
  text: string;
}

/** Who did something: a signed-in person or an API key, by id. */
export interface ActorRef {
  kind: 'user' | 'api_key';
  id: string;
}

/** The schedule a post was last asked for, as given (`POST /v1/posts`, `PATCH`): kept so an approval can honour it. */
export interface ScheduleValue {
  mode: 'at' | 'queue' | 'next' | 'now' | 'draft';
  at?: string;
  localTime?: string;
  timezone?: string;
}

/** The last approval decision on a post: cleared when the post is submitted for approval again. */
export interface PostReview {
  state: 'approved' | 'rejected';
  /** The reviewer's note (a rejection's reason). */
  note: string | null;
  by: ActorRef | null;
  at: Date;
}

/** What the user asked to publish; its deliveries carry the per-channel state. */
@Entity('posts')
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'jsonb' })
  media!: MediaValue[];

  /** Per-channel text, keyed by channel id. */
  @Column({ type: 'jsonb' })
  variants!: Record<string, string>;

  /** Derived from the deliveries (see `derivePostStatus`); stored so lists can filter on it. */
  @Column({ type: 'varchar', length: 24 })
  status!: string;

  /** The request id of the API call that created the post, carried into the worker's logs. */
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  schedule!: ScheduleValue | null;

  /** A thread's parts, the first also kept as `text` and `media`; null for a post of one part. */
  @Column({ type: 'jsonb', nullable: true })
  parts!: PostPartValue[] | null;

  @Column({ name: 'first_comment', type: 'jsonb', nullable: true })
  firstComment!: FirstCommentValue | null;

  /** What it tells only some networks (`networkOptions.<network>`: a YouTube title, a Pinterest board), keyed by network; `{}` for none. */
  @Column({ name: 'network_options', type: 'jsonb', default: {} })
  networkOptions!: NetworkOptionsValue;

  /** Who created it (`created_by_kind`, `created_by_id`); null for posts from before it was recorded. */
  createdBy!: ActorRef | null;

  /** Who edited it last (`updated_by_*`): its creator until someone edits it. */
  updatedBy!: ActorRef | null;

  /** The last review (`review_state`, `review_note`, `reviewed_by_*`, `reviewed_at`). */
  review!: PostReview | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** An occurrence of a recurring series (`series_id`, `occurrence_at`: null once withdrawn by an edit, a pause or an end). */
  seriesId!: string | null;
  occurrenceAt!: Date | null;

  /** Its tags (lower case). */
  tags!: string[];

  /** A channel that recycles may put it back in its queue once published. */
  evergreen!: boolean;

  /** A recycled evergreen post's original. */
  recycledFrom!: string | null;

  /** Channels where it is not recycled, and why (`{at, reason}` by channel id). */
  evergreenSkips!: Record<string, { at: string; reason: string }>;

  @OneToMany('Delivery', 'post')
  deliveries?: Delivery[];
}

/** A post's options for some networks, keyed by network (shapes in each network's `<n>.options.ts`). */
export type NetworkOptionsValue = Record<string, Record<string, unknown>>;
