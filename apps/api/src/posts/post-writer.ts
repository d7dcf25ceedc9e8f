import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MediaItem } from '@herald/channels';
import { Channel, ScheduleModeValue, Statement, runStatement } from '@herald/db';
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
  workspaceId: string;
  content: DraftContent;
  mode: ScheduleModeValue;
  requestId: string | null;
  deliveries: NewDelivery[];
}

export function newPost(workspaceId: string, content: DraftContent, mode: ScheduleModeValue, channels: Channel[], requestId: string | null): NewPost {
  return {
    id: randomUUID(),
    workspaceId,
    content,
    mode,
    requestId,
    // Ordered as a read orders them (one creation instant, then id), so the 201 matches a later GET.
    deliveries: channels.map((channel) => ({ id: randomUUID(), channel, at: null as Date | null })).sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

/**
 * Writes posts and all their deliveries in one statement (one round trip,
 * however many posts), and returns each as the API shows it. The post's
 * status is derived here: a new post's deliveries all start out alike.
 * Ids are chosen by the caller, so nothing needs mapping back.
 */
export async function insertPosts(manager: EntityManager, posts: NewPost[]): Promise<PostView[]> {
  return (await insertUnlessChannelsGone(manager, posts, false)) ?? [];
}

/**
 * `insertPosts` outside a transaction: the same single statement also
 * share-locks the posts' channels and writes nothing (answering undefined)
 * unless every one is still live, so a channel removed or disconnected since
 * it was read cannot get a delivery. One round trip instead of four.
 */
export async function insertIfChannelsLive(manager: EntityManager, posts: NewPost[]): Promise<PostView[] | undefined> {
  return insertUnlessChannelsGone(manager, posts, true);
}

/**
 * Posts and their deliveries from JSON rows; with the guard ($6), only if
 * every channel ($4, $5 of them) is live, share-locking them. Foreign keys
 * are checked at the end of the statement, when both inserts are done.
 */
const INSERT_POSTS = new Statement(
  `WITH live AS (
     SELECT count(*) = $5 AS ok FROM (
       SELECT 1 FROM channels WHERE $6 AND id = ANY($4::uuid[]) AND workspace_id = $1 AND deleted_at IS NULL AND status <> 'disconnected'
        ORDER BY id FOR SHARE) AS locked
   ), new_posts AS (
     INSERT INTO posts (id, workspace_id, text, media, variants, status, request_id)
     SELECT p.id, $1, p.text, p.media, p.variants, p.status, p.request_id
       FROM jsonb_to_recordset($2::jsonb) AS p(id uuid, text text, media jsonb, variants jsonb, status text, request_id text)
      WHERE NOT $6 OR (SELECT ok FROM live)
     RETURNING created_at
   ), new_deliveries AS (
     INSERT INTO deliveries (id, post_id, workspace_id, channel_id, status, schedule_mode, scheduled_at, due_at, attempt_count)
     SELECT d.id, d.post_id, $1, d.channel_id, d.status, d.schedule_mode, d.scheduled_at, d.scheduled_at, 0
       FROM jsonb_to_recordset($3::jsonb) AS d(id uuid, post_id uuid, channel_id uuid, status text, schedule_mode text, scheduled_at timestamptz)
      WHERE NOT $6 OR (SELECT ok FROM live)
     RETURNING 1
   )
   SELECT (SELECT min(created_at) FROM new_posts) AS created_at`,
);

async function insertUnlessChannelsGone(manager: EntityManager, posts: NewPost[], guard: boolean): Promise<PostView[] | undefined> {
  if (posts.length === 0) return [];
  const postRows = posts.map((post) => ({
    id: post.id,
    text: post.content.text,
    media: post.content.media,
    variants: post.content.variants,
    status: statusOf(post),
    request_id: post.requestId,
  }));
  const deliveryRows = posts.flatMap((post) =>
    post.deliveries.map((delivery) => ({
      id: delivery.id,
      post_id: post.id,
      channel_id: delivery.channel.id,
      status: delivery.at ? 'scheduled' : 'draft',
      schedule_mode: post.mode,
      scheduled_at: delivery.at?.toISOString() ?? null,
    })),
  );
  const channelIds = [...new Set(deliveryRows.map((row) => row.channel_id))].sort();
  const rows = await runStatement<{ created_at: Date | null }>(manager, INSERT_POSTS, [
    posts[0]!.workspaceId,
    JSON.stringify(postRows),
    JSON.stringify(deliveryRows),
    channelIds,
    channelIds.length,
    guard,
  ]);
  const createdAt = rows[0]?.created_at;
  if (!createdAt) return undefined;
  return posts.map((post) => viewOf(post, createdAt.toISOString()));
}

/** The times of a post's deliveries, for the publish queue. */
export function timingsOf(posts: NewPost[]): { deliveryId: string; at: Date | null }[] {
  return posts.flatMap((post) => post.deliveries.map((delivery) => ({ deliveryId: delivery.id, at: delivery.at })));
}

function statusOf(post: NewPost): string {
  return derivePostStatus(post.deliveries.map((delivery) => (delivery.at ? 'scheduled' : 'draft')));
}

function viewOf(post: NewPost, createdAt: string): PostView {
  return {
    id: post.id,
    status: statusOf(post),
    text: post.content.text,
    media: post.content.media as MediaItem[],
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
      attempts: [],
    })),
  };
}
