import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { storedMedia } from './post-media';
import { ActorRef, Channel, Executor, NewDeliveryRow, NewPostRow, PostsRepository, ScheduleModeValue, ScheduleValue, Tenant } from '@herald/db';
import { derivePostStatus } from '@herald/scheduling';
import { DraftContent } from './content-check';
import { PostView } from './post-view';

/** How a delivery stands when it is written: scheduled, a draft, or waiting for approval. */
export type NewDeliveryStatus = NewDeliveryRow['status'];

/**
 * One delivery of a post that passed every check. `at`: its time when
 * scheduled; the time asked (mode `at`) when pending approval, else null;
 * null for a draft.
 */
export interface NewDelivery {
  id: string;
  channel: Channel;
  at: Date | null;
  status: NewDeliveryStatus;
}

/** Who writes a post, and whether what they schedule waits for approval (the access module says: see PostPlacement.authorOf). */
export interface PostAuthor {
  actor: ActorRef;
  awaitsApproval: boolean;
  requestId: string | null;
  /** Where the request came from, for the audit log. */
  address?: string | null;
}

/** A post that passed every check, its ids chosen here, ready to be written. */
export interface NewPost {
  id: string;
  content: DraftContent;
  mode: ScheduleModeValue;
  /** The schedule as asked, kept on the post. */
  schedule: ScheduleValue;
  requestId: string | null;
  deliveries: NewDelivery[];
  tags?: string[];
  evergreen?: boolean;
}

/**
 * A new post to `channels`, each delivery in the status the schedule and
 * its author give it (a draft stays a draft; the rest is scheduled, or waits
 * for approval when the author's writes need it); the times are set by the
 * caller.
 */
export function newPost(content: DraftContent, schedule: ScheduleValue, channels: Channel[], author: PostAuthor): NewPost {
  const status: NewDeliveryStatus = schedule.mode === 'draft' ? 'draft' : author.awaitsApproval ? 'pending_approval' : 'scheduled';
  return {
    id: randomUUID(),
    content,
    mode: schedule.mode,
    schedule,
    requestId: author.requestId,
    // Ordered as a read orders them (one creation instant, then id), so the 201 matches a later GET.
    deliveries: channels.map((channel) => ({ id: randomUUID(), channel, at: null as Date | null, status })).sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

/** Whether the post waits for approval (a contributor's, scheduled). */
export function awaitsApproval(post: NewPost): boolean {
  return post.deliveries.some((delivery) => delivery.status === 'pending_approval');
}

/**
 * Writes posts and all their deliveries in one statement (one round trip,
 * however many posts), and returns each as the API shows it. The same
 * statement share-locks the posts' channels and writes nothing unless every
 * one is still a live channel of the workspace, so a channel removed or
 * disconnected since it was read cannot get a delivery. The post's status
 * is derived here: a new post's deliveries all start out alike. Ids are
 * chosen by the caller, so nothing needs mapping back. Each post's
 * `post.created` audit event is written by the same statement.
 */
@Injectable()
export class PostWriter {
  constructor(private readonly posts: PostsRepository) {}

  /** In the caller's transaction, which holds the channels' locks: the channels cannot have changed, so a refusal is a bug. */
  async insert(tenant: Tenant, actor: ActorRef, posts: NewPost[], tx: Executor, address: string | null = null): Promise<PostView[]> {
    const views = await this.write(tenant, actor, address, posts, tx);
    if (!views) throw new Error('The channels of posts being written changed although their locks were held');
    return views;
  }

  /** Outside a transaction: one round trip instead of four; undefined when a channel is no longer live. */
  insertIfChannelsLive(tenant: Tenant, actor: ActorRef, posts: NewPost[], address: string | null = null): Promise<PostView[] | undefined> {
    return this.write(tenant, actor, address, posts);
  }

  /** `address`: where the request came from, for the posts' audit events. */
  private async write(tenant: Tenant, actor: ActorRef, address: string | null, posts: NewPost[], tx?: Executor): Promise<PostView[] | undefined> {
    if (posts.length === 0) return [];
    const postRows: NewPostRow[] = posts.map((post) => ({
      id: post.id,
      text: post.content.text,
      media: storedMedia(post.content.media),
      variants: post.content.variants,
      status: statusOf(post),
      request_id: post.requestId,
      schedule: post.schedule,
      sort_at: earliestTime(post),
      parts: post.content.parts?.map((part) => ({ text: part.text, media: storedMedia(part.media), ...(part.variants ? { variants: part.variants } : {}) })) ?? null,
      first_comment: post.content.firstComment ?? null,
      network_options: post.content.networkOptions ?? {},
      audit: createdDetails(post),
      tags: post.tags ?? [],
      evergreen: post.evergreen ?? false,
    }));
    const deliveryRows: NewDeliveryRow[] = posts.flatMap((post) =>
      post.deliveries.map((delivery) => ({
        id: delivery.id,
        post_id: post.id,
        channel_id: delivery.channel.id,
        status: delivery.status,
        schedule_mode: post.mode,
        scheduled_at: delivery.at?.toISOString() ?? null,
      })),
    );
    const written = await this.posts.insertWithDeliveries(tenant, actor, postRows, deliveryRows, tx, address);
    if (!written) return undefined;
    const author = { ...actor, name: written.actorName };
    return posts.map((post) => viewOf(post, written.createdAt.toISOString(), author));
  }
}

/** The times of a post's scheduled deliveries, for the publish queue (drafts and those waiting for approval get no job). */
export function timingsOf(posts: NewPost[]): { deliveryId: string; channelId: string; at: Date | null }[] {
  return posts.flatMap((post) =>
    post.deliveries.filter((delivery) => delivery.status === 'scheduled').map((delivery) => ({ deliveryId: delivery.id, channelId: delivery.channel.id, at: delivery.at })),
  );
}

/** The post's time in lists: its earliest delivery's, or none. */
function earliestTime(post: NewPost): string | null {
  const times = post.deliveries.flatMap((delivery) => (delivery.at ? [delivery.at.getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)).toISOString() : null;
}

/** What the audit log keeps of a new post: how it was scheduled and where to, never its text. */
function createdDetails(post: NewPost): Record<string, unknown> {
  return { status: statusOf(post), mode: post.mode, channelIds: post.deliveries.map((delivery) => delivery.channel.id) };
}

function statusOf(post: NewPost): string {
  return derivePostStatus(post.deliveries.map((delivery) => delivery.status));
}

function viewOf(post: NewPost, createdAt: string, author: PostView['createdBy']): PostView {
  return {
    id: post.id,
    status: statusOf(post),
    text: post.content.text,
    media: storedMedia(post.content.media),
    variants: post.content.variants,
    schedule: post.schedule,
    parts: (post.content.parts ?? [{ text: post.content.text, media: post.content.media }]).map((part) => ({
      text: part.text,
      media: storedMedia(part.media),
      ...('variants' in part && part.variants ? { variants: part.variants } : {}),
    })),
    firstComment: post.content.firstComment ? { text: post.content.firstComment.text } : null,
    networkOptions: post.content.networkOptions ?? {},
    createdAt,
    updatedAt: createdAt,
    createdBy: author,
    updatedBy: author,
    approvedBy: null,
    approvedAt: null,
    review: null,
    tags: post.tags ?? [],
    evergreen: post.evergreen ?? false,
    series: null,
    recycledFrom: null,
    evergreenSkips: [],
    deliveries: post.deliveries.map((delivery) => ({
      id: delivery.id,
      channelId: delivery.channel.id,
      network: delivery.channel.network,
      status: delivery.status,
      scheduledAt: delivery.at?.toISOString() ?? null,
      publishedAt: null,
      externalId: null,
      externalUrl: null,
      attemptCount: 0,
      lastError: null,
      waitingFor: null,
      parts: Array.from({ length: post.content.parts?.length ?? 1 }, (_, index) => ({ index, status: delivery.status, externalId: null, externalUrl: null, lastError: null })),
      firstComment: post.content.firstComment ? { status: delivery.status, externalId: null, externalUrl: null, lastError: null } : null,
      deletedAt: null,
      unpublish: null,
      attempts: [],
    })),
  };
}
