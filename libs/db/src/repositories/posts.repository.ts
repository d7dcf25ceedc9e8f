/**
 * `posts`: what people asked to publish, with a status derived from their
 * deliveries. A new post is written with its deliveries in one statement
 * (`insertWithDeliveries`), the create path's one round trip.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { ActorRef, MediaValue, Post, PostReview, ScheduleValue } from '../entities/post.entity';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = `id, workspace_id, text, media, variants, status, request_id, schedule, created_by_kind, created_by_id, updated_by_kind, updated_by_id,
  review_state, review_note, reviewed_by_kind, reviewed_by_id, reviewed_at, created_at, updated_at`;

/** An actor's name ($kind, $id): a person's name (else their email), a key's name (of the workspace $1 only). */
const actorName = (kind: string, id: string) =>
  `CASE ${kind} WHEN 'user' THEN (SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = ${id})
     WHEN 'api_key' THEN (SELECT k.name FROM api_keys k WHERE k.id = ${id} AND k.workspace_id = $1) END`;

export const POSTS_SQL = {
  /**
   * Posts ($2) and their deliveries ($3) from JSON rows, only if every channel
   * named ($4, $5 of them) is a live one of the workspace ($1), share-locking
   * them (so none is removed or disconnected before the commit, and no
   * delivery lands on another workspace's channel). Foreign keys are checked
   * at the end of the statement, when both inserts are done. The actor ($6
   * kind, $7 id) is their creator and last editor. Answers the posts'
   * creation time (none when the channels refused) and the actor's name.
   * Only a scheduled delivery is due (a draft or one pending approval is not).
   */
  insertWithDeliveries: new Statement(
    `WITH live AS (
       SELECT count(*) = $5 AS ok FROM (
         SELECT 1 FROM channels WHERE id = ANY($4::uuid[]) AND workspace_id = $1 AND deleted_at IS NULL AND status <> 'disconnected'
          ORDER BY id FOR SHARE) AS locked
     ), new_posts AS (
       INSERT INTO posts (id, workspace_id, text, media, variants, status, request_id, schedule, created_by_kind, created_by_id, updated_by_kind, updated_by_id)
       SELECT p.id, $1, p.text, p.media, p.variants, p.status, p.request_id, p.schedule, $6::text, $7::uuid, $6::text, $7::uuid
         FROM jsonb_to_recordset($2::jsonb) AS p(id uuid, text text, media jsonb, variants jsonb, status text, request_id text, schedule jsonb)
        WHERE (SELECT ok FROM live)
       RETURNING created_at
     ), new_deliveries AS (
       INSERT INTO deliveries (id, post_id, workspace_id, channel_id, status, schedule_mode, scheduled_at, due_at, attempt_count)
       SELECT d.id, d.post_id, $1, d.channel_id, d.status, d.schedule_mode, d.scheduled_at, CASE WHEN d.status = 'scheduled' THEN d.scheduled_at END, 0
         FROM jsonb_to_recordset($3::jsonb) AS d(id uuid, post_id uuid, channel_id uuid, status text, schedule_mode text, scheduled_at timestamptz)
        WHERE (SELECT ok FROM live)
       RETURNING 1
     )
     SELECT (SELECT min(created_at) FROM new_posts) AS created_at, ${actorName('$6::text', '$7::uuid')} AS actor_name`,
  ),
  find: new Statement(`SELECT ${COLUMNS} FROM posts WHERE workspace_id = $1 AND id = $2`),
  findLocked: new Statement(`SELECT ${COLUMNS} FROM posts WHERE workspace_id = $1 AND id = $2 FOR UPDATE`),
  /**
   * A page newest first ($9 rows), each filter applied when given: status
   * ($2), the keyset position ($3, $4), and a delivery on a channel ($5)
   * and/or in a time range ($6, $7; $8 says whether any of those is given).
   */
  page: planned(
    `SELECT ${COLUMNS} FROM posts p
      WHERE p.workspace_id = $1
        AND ($2::text IS NULL OR p.status = $2)
        AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3, $4::uuid))
        AND (NOT $8 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id
               AND ($5::uuid IS NULL OR d.channel_id = $5)
               AND ($6::timestamptz IS NULL OR d.scheduled_at >= $6)
               AND ($7::timestamptz IS NULL OR d.scheduled_at < $7)))
      ORDER BY p.created_at DESC, p.id DESC LIMIT $9`,
  ),
  /** New content ($3..$5) by an actor ($6 kind, $7 id), and the schedule asked ($8, kept when null). */
  updateContent: new Statement(
    `UPDATE posts SET text = $3, media = $4, variants = $5, updated_by_kind = $6, updated_by_id = $7, schedule = COALESCE($8::jsonb, schedule),
            updated_at = date_trunc('milliseconds', now())
      WHERE workspace_id = $1 AND id = $2 RETURNING id`,
  ),
  /** The review decision ($3 state, $4 note, by $5 kind, $6 id, now), or none (all null). */
  setReview: new Statement(
    `UPDATE posts SET review_state = $3::text, review_note = $4, reviewed_by_kind = $5, reviewed_by_id = $6,
            reviewed_at = CASE WHEN $3::text IS NULL THEN NULL ELSE date_trunc('milliseconds', now()) END, updated_at = date_trunc('milliseconds', now())
      WHERE workspace_id = $1 AND id = $2 RETURNING id`,
  ),
  /** Everyone who created, edited or reviewed some posts ($2) of the workspace, with their names. */
  actorsOf: new Statement(
    `SELECT DISTINCT a.kind, a.id, ${actorName('a.kind', 'a.id')} AS name
       FROM posts p
       CROSS JOIN LATERAL (VALUES (p.created_by_kind, p.created_by_id), (p.updated_by_kind, p.updated_by_id), (p.reviewed_by_kind, p.reviewed_by_id)) AS a(kind, id)
      WHERE p.workspace_id = $1 AND p.id = ANY($2::uuid[]) AND a.id IS NOT NULL`,
  ),
  /** Locks posts ($2, sorted) of a workspace: every writer of a post's deliveries and status takes its lock first, in id order. */
  lock: new Statement(`SELECT id, status FROM posts WHERE workspace_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`),
  /** The same across workspaces, for a batch of publish outcomes. */
  lockAny: new Statement(`SELECT id, status FROM posts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`),
  /** New statuses ($3) for the workspace's posts ($2) whose stored one differs; answers those it changed. */
  setStatuses: new Statement(
    `UPDATE posts AS p SET status = s.status, updated_at = date_trunc('milliseconds', now())
       FROM unnest($2::uuid[], $3::text[]) AS s(id, status)
      WHERE p.workspace_id = $1 AND p.id = s.id AND p.status IS DISTINCT FROM s.status
      RETURNING p.id, p.status`,
  ),
  /** New statuses ($2) for posts ($1) of a batch of outcomes, whichever workspaces (the caller sends only changed ones). */
  setStatusesAny: new Statement(
    `UPDATE posts AS p SET status = s.status, updated_at = date_trunc('milliseconds', now())
       FROM unnest($1::uuid[], $2::text[]) AS s(id, status) WHERE p.id = s.id`,
  ),
};

interface PostRow {
  id: string;
  workspace_id: string;
  text: string;
  media: MediaValue[];
  variants: Record<string, string>;
  status: string;
  request_id: string | null;
  schedule: ScheduleValue | null;
  created_by_kind: ActorRef['kind'] | null;
  created_by_id: string | null;
  updated_by_kind: ActorRef['kind'] | null;
  updated_by_id: string | null;
  review_state: PostReview['state'] | null;
  review_note: string | null;
  reviewed_by_kind: ActorRef['kind'] | null;
  reviewed_by_id: string | null;
  reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A post row as `insertWithDeliveries` writes it. */
export interface NewPostRow {
  id: string;
  text: string;
  media: unknown;
  variants: Record<string, string>;
  status: string;
  request_id: string | null;
  schedule: ScheduleValue | null;
}

export interface NewDeliveryRow {
  id: string;
  post_id: string;
  channel_id: string;
  status: 'scheduled' | 'draft' | 'pending_approval';
  schedule_mode: string;
  scheduled_at: string | null;
}

/** A review decision to record (the time is the database's). */
export interface ReviewDecision {
  state: PostReview['state'];
  note: string | null;
  by: ActorRef;
}

/** An actor with the name the API shows: a person's name or email, a key's name; null when it is gone. */
export interface NamedActor extends ActorRef {
  name: string | null;
}

export interface PostFilter {
  status?: string;
  after?: { createdAt: Date; id: string };
  channelId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

@Injectable()
export class PostsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Writes posts and all their deliveries in one statement, created by
   * `actor`, and nothing unless every channel named is a live one of the
   * workspace (share-locking them). Answers their creation time and the
   * actor's name, or undefined when the channels refused.
   */
  async insertWithDeliveries(
    tenant: Tenant,
    actor: ActorRef,
    posts: NewPostRow[],
    deliveries: NewDeliveryRow[],
    on?: Executor,
  ): Promise<{ createdAt: Date; actorName: string | null } | undefined> {
    const channelIds = [...new Set(deliveries.map((row) => row.channel_id))].sort();
    const row = await this.one<{ created_at: Date | null; actor_name: string | null }>(
      POSTS_SQL.insertWithDeliveries,
      [tenant.workspaceId, JSON.stringify(posts), JSON.stringify(deliveries), channelIds, channelIds.length, actor.kind, actor.id],
      on,
    );
    return row?.created_at ? { createdAt: row.created_at, actorName: row.actor_name } : undefined;
  }

  /** A post of the workspace; with `lock`, row-locked for the transaction `on`. */
  async find(tenant: Tenant, id: string, options: { lock?: boolean; on?: Executor } = {}): Promise<Post | undefined> {
    const row = await this.one<PostRow>(options.lock ? POSTS_SQL.findLocked : POSTS_SQL.find, [tenant.workspaceId, id], options.on);
    return row && toPost(row);
  }

  /** `limit` + 1 posts newest first (see `toPage`). */
  async page(tenant: Tenant, filter: PostFilter): Promise<Post[]> {
    const byDelivery = filter.channelId !== undefined || filter.from !== undefined || filter.to !== undefined;
    const rows = await this.rows<PostRow>(POSTS_SQL.page, [
      tenant.workspaceId,
      filter.status ?? null,
      filter.after?.createdAt ?? null,
      filter.after?.id ?? null,
      filter.channelId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      byDelivery,
      filter.limit + 1,
    ]);
    return rows.map(toPost);
  }

  /** New content by `actor` (its last editor), with the schedule asked when the edit names one. */
  async updateContent(
    tenant: Tenant,
    id: string,
    content: { text: string; media: unknown; variants: Record<string, string> },
    actor: ActorRef,
    schedule: ScheduleValue | undefined,
    on?: Executor,
  ): Promise<boolean> {
    const rows = await this.rows(
      POSTS_SQL.updateContent,
      [tenant.workspaceId, id, content.text, JSON.stringify(content.media), JSON.stringify(content.variants), actor.kind, actor.id, schedule ? JSON.stringify(schedule) : null],
      on,
    );
    return rows.length > 0;
  }

  /** Records a review decision (approved, or rejected with a note), or clears it (`null`: the post awaits a new one, or needs none). */
  async setReview(tenant: Tenant, id: string, decision: ReviewDecision | null, on: Executor): Promise<boolean> {
    const rows = await this.rows(
      POSTS_SQL.setReview,
      [tenant.workspaceId, id, decision?.state ?? null, decision?.note ?? null, decision?.by.kind ?? null, decision?.by.id ?? null],
      on,
    );
    return rows.length > 0;
  }

  /** The people and keys who created, edited or reviewed the workspace's posts among `ids`, with their names. */
  async actorsOf(tenant: Tenant, ids: string[], on?: Executor): Promise<NamedActor[]> {
    if (ids.length === 0) return [];
    return this.rows<NamedActor>(POSTS_SQL.actorsOf, [tenant.workspaceId, ids], on);
  }

  /** Locks the workspace's posts among `ids`, in id order; answers their stored statuses. */
  async lock(tenant: Tenant, ids: string[], on: Executor): Promise<{ id: string; status: string }[]> {
    return this.rows(POSTS_SQL.lock, [tenant.workspaceId, [...new Set(ids)].sort()], on);
  }

  /** `lock` for a batch of publish outcomes, whichever workspaces the posts are in. */
  async lockAny(_scope: SystemScope, ids: string[], on: Executor): Promise<{ id: string; status: string }[]> {
    return this.rows(POSTS_SQL.lockAny, [[...new Set(ids)].sort()], on);
  }

  /** New derived statuses for the workspace's posts; answers those whose status changed. Call under their locks. */
  async setStatuses(tenant: Tenant, statuses: { id: string; status: string }[], on: Executor): Promise<{ id: string; status: string }[]> {
    if (statuses.length === 0) return [];
    return this.rows(POSTS_SQL.setStatuses, [tenant.workspaceId, statuses.map((entry) => entry.id), statuses.map((entry) => entry.status)], on);
  }

  /** `setStatuses` for a batch of publish outcomes (only changed ones are passed), whichever workspaces. */
  async setStatusesAny(_scope: SystemScope, statuses: { id: string; status: string }[], on: Executor): Promise<void> {
    if (statuses.length === 0) return;
    await this.rows(POSTS_SQL.setStatusesAny, [statuses.map((entry) => entry.id), statuses.map((entry) => entry.status)], on);
  }
}

function toPost(row: PostRow): Post {
  return Object.assign(new Post(), {
    id: row.id,
    workspaceId: row.workspace_id,
    text: row.text,
    media: row.media,
    variants: row.variants,
    status: row.status,
    requestId: row.request_id,
    schedule: row.schedule,
    createdBy: actorOf(row.created_by_kind, row.created_by_id),
    updatedBy: actorOf(row.updated_by_kind, row.updated_by_id),
    review: row.review_state && row.reviewed_at
      ? { state: row.review_state, note: row.review_note, by: actorOf(row.reviewed_by_kind, row.reviewed_by_id), at: row.reviewed_at }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function actorOf(kind: ActorRef['kind'] | null, id: string | null): ActorRef | null {
  return kind && id ? { kind, id } : null;
}
