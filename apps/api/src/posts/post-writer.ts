import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { storedMedia } from './post-media';
import { Channel, Executor, NewDeliveryRow, NewPostRow, PostsRepository, ScheduleModeValue, Tenant } from '@herald/db';
import { derivePostStatus } from '@herald/scheduling';
import { DraftContent } from './content-check';
import { PostView } from './post-view';

/** One delivery of a post that passed every check; `at` is null for a draft. */
export interface NewDelivery {
  id: string;
  channel: Channel;
  at: Date | null;
}

/** A post that passed every check, its ids chosen here, ready to be written. */
export interface NewPost {
  id: string;
  content: DraftContent;
  mode: ScheduleModeValue;
  requestId: string | null;
  deliveries: NewDelivery[];
}

export function newPost(content: DraftContent, mode: ScheduleModeValue, channels: Channel[], requestId: string | null): NewPost {
  return {
    id: randomUUID(),
    content,
    mode,
    requestId,
    // Ordered as a read orders them (one creation instant, then id), so the 201 matches a later GET.
    deliveries: channels.map((channel) => ({ id: randomUUID(), channel, at: null as Date | null })).sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

/**
 * Writes posts and all their deliveries in one statement (one round trip,
 * however many posts), and returns each as the API shows it. The same
 * statement share-locks the posts' channels and writes nothing unless every
 * one is still a live channel of the workspace, so a channel removed or
 * disconnected since it was read cannot get a delivery. The post's status
 * is derived here: a new post's deliveries all start out alike. Ids are
 * chosen by the caller, so nothing needs mapping back.
 */
@Injectable()
export class PostWriter {
  constructor(private readonly posts: PostsRepository) {}

  /** In the caller's transaction, which holds the channels' locks: the channels cannot have changed, so a refusal is a bug. */
  async insert(tenant: Tenant, posts: NewPost[], tx: Executor): Promise<PostView[]> {
    const views = await this.write(tenant, posts, tx);
    if (!views) throw new Error('The channels of posts being written changed although their locks were held');
    return views;
  }

  /** Outside a transaction: one round trip instead of four; undefined when a channel is no longer live. */
  insertIfChannelsLive(tenant: Tenant, posts: NewPost[]): Promise<PostView[] | undefined> {
    return this.write(tenant, posts);
  }

  private async write(tenant: Tenant, posts: NewPost[], tx?: Executor): Promise<PostView[] | undefined> {
    if (posts.length === 0) return [];
    const postRows: NewPostRow[] = posts.map((post) => ({
      id: post.id,
      text: post.content.text,
      media: storedMedia(post.content.media),
      variants: post.content.variants,
      status: statusOf(post),
      request_id: post.requestId,
    }));
    const deliveryRows: NewDeliveryRow[] = posts.flatMap((post) =>
      post.deliveries.map((delivery) => ({
        id: delivery.id,
        post_id: post.id,
        channel_id: delivery.channel.id,
        status: delivery.at ? 'scheduled' : 'draft',
        schedule_mode: post.mode,
        scheduled_at: delivery.at?.toISOString() ?? null,
      })),
    );
    const createdAt = await this.posts.insertWithDeliveries(tenant, postRows, deliveryRows, tx);
    if (!createdAt) return undefined;
    return posts.map((post) => viewOf(post, createdAt.toISOString()));
  }
}

/** The times of a post's deliveries, for the publish queue. */
export function timingsOf(posts: NewPost[]): { deliveryId: string; channelId: string; at: Date | null }[] {
  return posts.flatMap((post) => post.deliveries.map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channel.id, at: delivery.at })));
}

function statusOf(post: NewPost): string {
  return derivePostStatus(post.deliveries.map((delivery) => (delivery.at ? 'scheduled' : 'draft')));
}

function viewOf(post: NewPost, createdAt: string): PostView {
  return {
    id: post.id,
    status: statusOf(post),
    text: post.content.text,
    media: storedMedia(post.content.media),
    variants: post.content.variants,
    createdAt,
    updatedAt: createdAt,
    deliveries: post.deliveries.map((delivery) => ({
      id: delivery.id,
      channelId: delivery.channel.id,
      network: delivery.channel.network,
      status: delivery.at ? 'scheduled' : 'draft',
      scheduledAt: delivery.at?.toISOString() ?? null,
      publishedAt: null,
      externalId: null,
      externalUrl: null,
      attemptCount: 0,
      lastError: null,
      waitingFor: null,
      attempts: [],
    })),
  };
}
