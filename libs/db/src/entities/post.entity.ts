import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Delivery } from './delivery.entity';

/** One media item of a post: a file of the media library with its alt text for this post (`url`: posts from before the library). */
export interface MediaValue {
  mediaId?: string;
  url?: string;
  alt?: string;
  type?: 'image' | 'video';
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany('Delivery', 'post')
  deliveries?: Delivery[];
}
