/**
 * `posts`: what people asked to publish, with a status derived from their
 * deliveries. A new post is written with its deliveries in one statement
 * (`insertWithDeliveries`), the create path's one round trip.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { ActorRef, FirstCommentValue, MediaValue, NetworkOptionsValue, Post, PostPartValue, PostReview, ScheduleValue } from '../entities/post.entity';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = `id, workspace_id, text, media, variants, status, request_id, schedule, parts, first_comment, network_options, created_by_kind, created_by_id, updated_by_kind, updated_by_id,
  review_state, review_note, reviewed_by_kind, reviewed_by_id, reviewed_at, created_at, updated_at, series_id, occurrence_at, tags, evergreen, recycled_from, evergreen_skips`;

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
   * A post's `sort_at` is its earliest delivery's time (the caller's).
   * Each post's `post.created` audit event (its `audit` details, from the
   * address $8) is written by the same statement, so it is kept exactly when
   * the post is.
   */
  insertWithDeliveries: new Statement(
    `WITH live AS (
       SELECT count(*) = $5 AS ok FROM (
         SELECT 1 FROM channels WHERE id = ANY($4::uuid[]) AND workspace_id = $1 AND deleted_at IS NULL AND status <> 'disconnected'
          ORDER BY id FOR SHARE) AS locked
     ), new_posts AS (
       INSERT INTO posts (id, workspace_id, text, media, variants, status, request_id, schedule, parts, first_comment, network_options, sort_at, created_by_kind, created_by_id, updated_by_kind, updated_by_id,
                          series_id, occurrence_at, tags, evergreen, recycled_from)
       SELECT p.id, $1, p.text, p.media, p.variants, p.status, p.request_id, p.schedule, p.parts, p.first_comment, COALESCE(p.network_options, '{}'::jsonb), p.sort_at, $6::text, $7::uuid, $6::text, $7::uuid,
              p.series_id, p.occurrence_at, COALESCE(p.tags, '{}'), COALESCE(p.evergreen, false), p.recycled_from
         FROM jsonb_to_recordset($2::jsonb) AS p(id uuid, text text, media jsonb, variants jsonb, status text, request_id text, schedule jsonb, parts jsonb, first_comment jsonb, network_options jsonb, sort_at timestamptz,
                                                series_id uuid, occurrence_at timestamptz, tags text[], evergreen boolean, recycled_from uuid)
        WHERE (SELECT ok FROM live)
       RETURNING created_at
     ), new_deliveries AS (
       INSERT INTO deliveries (id, post_id, workspace_id, channel_id, status, schedule_mode, scheduled_at, due_at, attempt_count)
       SELECT d.id, d.post_id, $1, d.channel_id, d.status, d.schedule_mode, d.scheduled_at, CASE WHEN d.status = 'scheduled' THEN d.scheduled_at END, 0
         FROM jsonb_to_recordset($3::jsonb) AS d(id uuid, post_id uuid, channel_id uuid, status text, schedule_mode text, scheduled_at timestamptz)
        WHERE (SELECT ok FROM live)
       RETURNING 1
     ), new_audit AS (
       INSERT INTO audit_events (workspace_id, actor_kind, actor_id, action, subject_type, subject_id, details, ip)
       SELECT $1, $6::text, $7::uuid, 'post.created', 'post', p.id::text, COALESCE(p.audit, '{}'::jsonb), $8::text
         FROM jsonb_to_recordset($2::jsonb) AS p(id uuid, audit jsonb)
        WHERE (SELECT ok FROM live)
       RETURNING 1
     )
     SELECT (SELECT min(created_at) FROM new_posts) AS created_at, ${actorName('$6::text', '$7::uuid')} AS actor_name`,
  ),
  find: new Statement(`SELECT ${COLUMNS} FROM posts WHERE workspace_id = $1 AND id = $2`),
  findLocked: new Statement(`SELECT ${COLUMNS} FROM posts WHERE workspace_id = $1 AND id = $2 FOR UPDATE`),
  /**
   * A page ($9 rows) by when the posts go out: the latest first by their
   * earliest delivery's time, then those without a time (drafts never
   * timed) newest first, each filter applied when given: status ($2), the
   * keyset position ($10 whether there is one: its time $3 or null, its
   * creation $11, its id $4), and a delivery on a channel ($5) and/or in a
   * time range ($6, $7; $8 says whether any of those is given). A post's
   * time is `sort_at` (its earliest delivery's, kept by the trigger of
   * migration PostSortTime), so a page is a scan of posts_workspace_sort_idx.
   * Tagged ($12, when given) and of a series ($13, when given). For a
   * tenant limited to some channels ($14), only the posts that go to them
   * alone.
   */
  page: planned(
    `SELECT ${COLUMNS}, p.sort_at FROM posts p
      WHERE p.workspace_id = $1
        AND ($2::text IS NULL OR p.status = $2)
        AND (NOT $10::boolean OR CASE WHEN $3::timestamptz IS NULL
               THEN p.sort_at IS NULL AND (p.created_at, p.id) < ($11::timestamptz, $4::uuid)
               ELSE p.sort_at IS NULL OR (p.sort_at, p.created_at, p.id) < ($3::timestamptz, $11::timestamptz, $4::uuid) END)
        AND (NOT $8 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id
               AND ($5::uuid IS NULL OR d.channel_id = $5)
               AND ($6::timestamptz IS NULL OR d.scheduled_at >= $6)
               AND ($7::timestamptz IS NULL OR d.scheduled_at < $7)))
        AND ($12::text IS NULL OR p.tags @> ARRAY[$12::text])
        AND ($13::uuid IS NULL OR p.series_id = $13)
        AND ($14::uuid[] IS NULL OR (EXISTS (SELECT 1 FROM deliveries s WHERE s.post_id = p.id AND s.channel_id = ANY($14::uuid[]))
               AND NOT EXISTS (SELECT 1 FROM deliveries s WHERE s.post_id = p.id AND s.channel_id <> ALL($14::uuid[]))))
      ORDER BY p.sort_at DESC NULLS LAST, p.created_at DESC, p.id DESC LIMIT $9`,
  ),
  /** The occurrence times a series ($2) already has a post for, after $3 up to $4. */
  occurrencesOf: new Statement(
    `SELECT occurrence_at FROM posts WHERE workspace_id = $1 AND series_id = $2 AND occurrence_at > $3 AND occurrence_at <= $4`,
  ),
  /** A series' ($2) posts whose occurrence is after $3 (the ones an edit, a pause or an end may withdraw). */
  futureOccurrences: new Statement(`SELECT id FROM posts WHERE workspace_id = $1 AND series_id = $2 AND occurrence_at > $3 ORDER BY id`),
  /** Withdrawn occurrences ($2) stay the series' posts but free their occurrence time, for the series to make again. */
  detachOccurrences: new Statement(`UPDATE posts SET occurrence_at = NULL WHERE workspace_id = $1 AND id = ANY($2::uuid[])`),
  /** A post's tags ($3) and evergreen mark ($4), each kept when null. */
  setLabels: new Statement(
    `UPDATE posts SET tags = COALESCE($3::text[], tags), evergreen = COALESCE($4::boolean, evergreen), updated_at = date_trunc('milliseconds', now())
      WHERE workspace_id = $1 AND id = $2 RETURNING id`,
  ),
  /**
   * Evergreen posts of the workspace ($1) due again on a channel ($2), oldest
   * first ($4 of them): published there, not skipped there, and neither it
   * nor a recycled copy of it waiting there or published there after $3
   * (now less the channel's minimum days). With the text last published
   * there of it or a copy (its variant for the channel, else its text).
   */
  evergreenDue: new Statement(
    `SELECT p.id, p.text, p.media, p.variants, p.tags, p.network_options, p.created_by_kind, p.created_by_id,
            (SELECT COALESCE(q.variants ->> $2::text, q.text) FROM deliveries d JOIN posts q ON q.id = d.post_id
              WHERE d.workspace_id = $1 AND d.channel_id = $2::uuid AND d.status = 'published' AND (q.id = p.id OR q.recycled_from = p.id)
              ORDER BY d.published_at DESC LIMIT 1) AS last_text
       FROM posts p
      WHERE p.workspace_id = $1 AND p.evergreen AND p.recycled_from IS NULL AND NOT (p.evergreen_skips ? $2::text)
        AND EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.channel_id = $2::uuid AND d.status = 'published')
        AND NOT EXISTS (SELECT 1 FROM deliveries d JOIN posts q ON q.id = d.post_id
              WHERE d.workspace_id = $1 AND d.channel_id = $2::uuid AND (q.id = p.id OR q.recycled_from = p.id)
                AND (d.status IN ('draft', 'pending_approval', 'scheduled', 'publishing') OR d.published_at > $3))
      ORDER BY p.created_at, p.id LIMIT $4`,
  ),
  /** Says why an evergreen post ($2) is not recycled on a channel ($3): `{at, reason}` ($4). */
  skipEvergreen: new Statement(
    `UPDATE posts SET evergreen_skips = evergreen_skips || jsonb_build_object($3::text, $4::jsonb) WHERE workspace_id = $1 AND id = $2 RETURNING id`,
  ),
  /** New content ($3..$5, the thread's parts $9, first comment $10, null for none, and network options $11, kept when null) by an actor ($6 kind, $7 id), and the schedule asked ($8, kept when null). */
  updateContent: new Statement(
    `UPDATE posts SET text = $3, media = $4, variants = $5, parts = $9::jsonb, first_comment = $10::jsonb, network_options = COALESCE($11::jsonb, network_options), updated_by_kind = $6, updated_by_id = $7, schedule = COALESCE($8::jsonb, schedule),
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
  parts: PostPartValue[] | null;
  first_comment: FirstCommentValue | null;
  network_options: NetworkOptionsValue;
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
  series_id: string | null;
  occurrence_at: Date | null;
  tags: string[];
  evergreen: boolean;
  recycled_from: string | null;
  evergreen_skips: Record<string, EvergreenSkip>;
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
  /** Its earliest delivery's time (ISO 8601), for the list's order; null or absent: none has one. */
  sort_at?: string | null;
  /** A thread's parts (null or absent: one part, `text` and `media`). */
  parts?: PostPartValue[] | null;
  first_comment?: FirstCommentValue | null;
  /** What it tells only some networks, keyed by network (absent: nothing). */
  network_options?: NetworkOptionsValue;
  /** The details of its `post.created` audit event (never its text). */
  audit?: Record<string, unknown>;
  /** An occurrence of a series: the series and the occurrence's time (ISO 8601). */
  series_id?: string | null;
  occurrence_at?: string | null;
  tags?: string[];
  evergreen?: boolean;
  /** A recycled evergreen post's original. */
  recycled_from?: string | null;
}

/** An evergreen post a channel may recycle, with the text it last published of it. */
export interface EvergreenDue {
  id: string;
  text: string;
  /** Its files, as the post keeps them: the copy goes out with them. */
  media: MediaValue[];
  variants: Record<string, string>;
  tags: string[];
  networkOptions: NetworkOptionsValue;
  lastText: string | null;
  /** Its creator, who the recycled copy is written by. */
  createdBy: ActorRef | null;
}

/** Why an evergreen post is not recycled on a channel. */
export interface EvergreenSkip {
  at: string;
  reason: string;
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

/** Where a page of posts ends: the post's time (null: it has none), its creation, its id. */
export interface PostPosition {
  at: Date | null;
  createdAt: Date;
  id: string;
}

/** A post as a page lists it, with its time (its earliest delivery's; null when none has one). */
export type ListedPost = Post & { sortAt: Date | null };

export interface PostFilter {
  status?: string;
  after?: PostPosition;
  channelId?: string;
  from?: Date;
  to?: Date;
  tag?: string;
  seriesId?: string;
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
   * workspace (share-locking them), each with its `post.created` audit
   * event from `address`. Answers their creation time and the actor's name,
   * or undefined when the channels refused.
   */
  async insertWithDeliveries(
    tenant: Tenant,
    actor: ActorRef,
    posts: NewPostRow[],
    deliveries: NewDeliveryRow[],
    on?: Executor,
    address: string | null = null,
  ): Promise<{ createdAt: Date; actorName: string | null } | undefined> {
    const channelIds = [...new Set(deliveries.map((row) => row.channel_id))].sort();
    const row = await this.one<{ created_at: Date | null; actor_name: string | null }>(
      POSTS_SQL.insertWithDeliveries,
      [tenant.workspaceId, JSON.stringify(posts), JSON.stringify(deliveries), channelIds, channelIds.length, actor.kind, actor.id, address],
      on,
    );
    return row?.created_at ? { createdAt: row.created_at, actorName: row.actor_name } : undefined;
  }

  /** A post of the workspace; with `lock`, row-locked for the transaction `on`. */
  async find(tenant: Tenant, id: string, options: { lock?: boolean; on?: Executor } = {}): Promise<Post | undefined> {
    const row = await this.one<PostRow>(options.lock ? POSTS_SQL.findLocked : POSTS_SQL.find, [tenant.workspaceId, id], options.on);
    return row && toPost(row);
  }

  /** `limit` + 1 posts, the latest time first, then the untimed newest first (see POSTS_SQL.page). */
  async page(tenant: Tenant, filter: PostFilter): Promise<ListedPost[]> {
    const byDelivery = filter.channelId !== undefined || filter.from !== undefined || filter.to !== undefined;
    const rows = await this.rows<PostRow & { sort_at: Date | null }>(POSTS_SQL.page, [
      tenant.workspaceId,
      filter.status ?? null,
      filter.after?.at ?? null,
      filter.after?.id ?? null,
      filter.channelId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      byDelivery,
      filter.limit + 1,
      filter.after !== undefined,
      filter.after?.createdAt ?? null,
      filter.tag ?? null,
      filter.seriesId ?? null,
      tenant.channelIds ?? null,
    ]);
    return rows.map((row) => Object.assign(toPost(row), { sortAt: row.sort_at }));
  }

  /** The occurrence times (ms) a series already has a post for, in (after, upTo]. */
  async occurrencesOf(tenant: Tenant, seriesId: string, after: Date, upTo: Date, on?: Executor): Promise<Set<number>> {
    const rows = await this.rows<{ occurrence_at: Date }>(POSTS_SQL.occurrencesOf, [tenant.workspaceId, seriesId, after, upTo], on);
    return new Set(rows.map((row) => row.occurrence_at.getTime()));
  }

  /** The ids of a series' posts whose occurrence is after `after`. */
  async futureOccurrences(tenant: Tenant, seriesId: string, after: Date, on?: Executor): Promise<string[]> {
    return (await this.rows<{ id: string }>(POSTS_SQL.futureOccurrences, [tenant.workspaceId, seriesId, after], on)).map((row) => row.id);
  }

  async detachOccurrences(tenant: Tenant, ids: string[], on: Executor): Promise<void> {
    if (ids.length === 0) return;
    await this.rows(POSTS_SQL.detachOccurrences, [tenant.workspaceId, ids], on);
  }

  /** New tags and/or evergreen mark (undefined: kept). */
  async setLabels(tenant: Tenant, id: string, labels: { tags?: string[]; evergreen?: boolean }, on?: Executor): Promise<boolean> {
    return (await this.rows(POSTS_SQL.setLabels, [tenant.workspaceId, id, labels.tags ?? null, labels.evergreen ?? null], on)).length > 0;
  }

  /** Evergreen posts due again on a channel (see POSTS_SQL.evergreenDue). */
  async evergreenDue(tenant: Tenant, channelId: string, publishedBefore: Date, limit: number, on?: Executor): Promise<EvergreenDue[]> {
    const rows = await this.rows<{
      id: string;
      text: string;
      media: MediaValue[];
      variants: Record<string, string>;
      tags: string[];
      network_options: NetworkOptionsValue | null;
      last_text: string | null;
      created_by_kind: ActorRef['kind'] | null;
      created_by_id: string | null;
    }>(
      POSTS_SQL.evergreenDue,
      [tenant.workspaceId, channelId, publishedBefore, limit],
      on,
    );
    return rows.map((row) => ({ id: row.id, text: row.text, media: row.media, variants: row.variants, tags: row.tags, networkOptions: row.network_options ?? {}, lastText: row.last_text, createdBy: actorOf(row.created_by_kind, row.created_by_id) }));
  }

  async skipEvergreen(tenant: Tenant, postId: string, channelId: string, skip: EvergreenSkip, on?: Executor): Promise<boolean> {
    return (await this.rows(POSTS_SQL.skipEvergreen, [tenant.workspaceId, postId, channelId, JSON.stringify(skip)], on)).length > 0;
  }

  /** New content by `actor` (its last editor), with the schedule asked when the edit names one. */
  async updateContent(
    tenant: Tenant,
    id: string,
    content: { text: string; media: unknown; variants: Record<string, string>; parts: PostPartValue[] | null; firstComment: FirstCommentValue | null; networkOptions?: NetworkOptionsValue },
    actor: ActorRef,
    schedule: ScheduleValue | undefined,
    on?: Executor,
  ): Promise<boolean> {
    const rows = await this.rows(
      POSTS_SQL.updateContent,
      [
        tenant.workspaceId,
        id,
        content.text,
        JSON.stringify(content.media),
        JSON.stringify(content.variants),
        actor.kind,
        actor.id,
        schedule ? JSON.stringify(schedule) : null,
        content.parts ? JSON.stringify(content.parts) : null,
        content.firstComment ? JSON.stringify(content.firstComment) : null,
        content.networkOptions ? JSON.stringify(content.networkOptions) : null,
      ],
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
    parts: row.parts,
    firstComment: row.first_comment,
    networkOptions: row.network_options ?? {},
    createdBy: actorOf(row.created_by_kind, row.created_by_id),
    updatedBy: actorOf(row.updated_by_kind, row.updated_by_id),
    review: row.review_state && row.reviewed_at
      ? { state: row.review_state, note: row.review_note, by: actorOf(row.reviewed_by_kind, row.reviewed_by_id), at: row.reviewed_at }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    seriesId: row.series_id,
    occurrenceAt: row.occurrence_at,
    tags: row.tags,
    evergreen: row.evergreen,
    recycledFrom: row.recycled_from,
    evergreenSkips: row.evergreen_skips ?? {},
  });
}

function actorOf(kind: ActorRef['kind'] | null, id: string | null): ActorRef | null {
  return kind && id ? { kind, id } : null;
}
