/**
 * `media`: a workspace's media library. One row per file a workspace
 * uploaded or imported, found again by its SHA-256 (the same bytes twice
 * are one row); soft-deleted first, purged (row and files) by the worker's
 * sweep once no live row needs its files.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

/** A file kept in the media store: the original's thumbnail, or a version derived to fit a network. */
export interface StoredFile {
  key: string;
  mimeType: string;
  size: number;
  width?: number;
  height?: number;
}

export interface MediaRecord {
  id: string;
  workspaceId: string;
  sha256: string;
  storageKey: string;
  mimeType: string;
  kind: 'image' | 'video';
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  animated: boolean;
  orientation: number | null;
  filename: string | null;
  sourceUrl: string | null;
  thumbnail: StoredFile | null;
  /** By fit plan key (see `fitPlan` in libs/channels). */
  derivatives: Record<string, StoredFile>;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewMedia = Omit<MediaRecord, 'createdAt' | 'lastUsedAt' | 'derivatives'>;

const COLUMNS = `id, workspace_id, sha256, storage_key, mime_type, kind, size_bytes, width, height, duration_ms, animated, orientation,
  filename, source_url, thumbnail, derivatives, created_at, last_used_at`;

/** Delivery statuses of posts that may still send their media. */
const UNFINISHED = `('draft', 'pending_approval', 'scheduled', 'publishing')`;

export const MEDIA_SQL = {
  /** A new row, unless the workspace has these bytes already: then nothing (and `findBySha256` answers the row). */
  insert: new Statement(
    `INSERT INTO media (id, workspace_id, sha256, storage_key, mime_type, kind, size_bytes, width, height, duration_ms, animated, orientation, filename, source_url, thumbnail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (workspace_id, sha256) WHERE deleted_at IS NULL DO NOTHING
     RETURNING ${COLUMNS}`,
  ),
  findBySha256: new Statement(`SELECT ${COLUMNS} FROM media WHERE workspace_id = $1 AND sha256 = $2 AND deleted_at IS NULL`),
  find: new Statement(`SELECT ${COLUMNS} FROM media WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`),
  /** By id alone, for the signed public links (whose signature already names the media). */
  findById: new Statement(`SELECT ${COLUMNS} FROM media WHERE id = $1 AND deleted_at IS NULL`),
  among: new Statement(`SELECT ${COLUMNS} FROM media WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`),
  /** Newest first, after the keyset position ($2, $3) when given, $4 rows. */
  page: planned(
    `SELECT ${COLUMNS} FROM media
      WHERE workspace_id = $1 AND deleted_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  /** Posts of the workspace with a delivery that may still send the file ($2), at most 10. */
  usedBy: planned(
    `SELECT p.id FROM posts p
      WHERE p.workspace_id = $1 AND p.media <> '[]'::jsonb AND p.media @> jsonb_build_array(jsonb_build_object('mediaId', $2::text))
        AND EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.status IN ${UNFINISHED})
      ORDER BY p.created_at LIMIT 10`,
  ),
  remove: new Statement(`UPDATE media SET deleted_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`),
  touch: new Statement(`UPDATE media SET last_used_at = now() WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`),
  addDerivative: new Statement(
    `UPDATE media SET derivatives = derivatives || jsonb_build_object($3::text, $4::jsonb) WHERE workspace_id = $1 AND id = $2 RETURNING id`,
  ),
  /** Live media no unfinished post uses, last used (or made) before $1: soft-deleted, $2 at most. */
  expireUnused: planned(
    `UPDATE media SET deleted_at = now()
      WHERE id IN (
        SELECT m.id FROM media m
         WHERE m.deleted_at IS NULL AND coalesce(m.last_used_at, m.created_at) < $1
           AND NOT EXISTS (
             SELECT 1 FROM posts p JOIN deliveries d ON d.post_id = p.id
              WHERE p.workspace_id = m.workspace_id AND p.media <> '[]'::jsonb
                AND p.media @> jsonb_build_array(jsonb_build_object('mediaId', m.id::text))
                AND d.status IN ${UNFINISHED})
         LIMIT $2)
      RETURNING id`,
  ),
  /** Deleted rows waiting to be purged, oldest first. */
  deleted: planned(`SELECT ${COLUMNS} FROM media WHERE deleted_at IS NOT NULL ORDER BY deleted_at LIMIT $1`),
  /** Serializes writers of one content hash: an upload that reuses a file and a purge that removes it. */
  lockSha256: new Statement(`SELECT pg_advisory_xact_lock(hashtextextended('media:' || $1, 0))`),
  /**
   * Which of the stored files $1 (keys) a media row other than $2 names, as
   * its original, its thumbnail or a derived version: the same bytes in
   * another workspace, or another file whose thumbnail or fitted version came
   * out the same (the same picture in two encodings). Rows deleted but not
   * yet purged count: the last of them to be purged removes the file.
   */
  namedElsewhere: new Statement(
    `SELECT k.key FROM unnest($1::text[]) AS k(key)
      WHERE EXISTS (
        SELECT 1 FROM media m
         WHERE m.id <> $2 AND (m.storage_key = k.key OR m.thumbnail->>'key' = k.key
           OR EXISTS (SELECT 1 FROM jsonb_each(m.derivatives) d WHERE d.value->>'key' = k.key)))`,
  ),
  purge: new Statement(`DELETE FROM media WHERE id = $1 AND deleted_at IS NOT NULL RETURNING id`),
};

interface MediaRow {
  id: string;
  workspace_id: string;
  sha256: string;
  storage_key: string;
  mime_type: string;
  kind: 'image' | 'video';
  size_bytes: string;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  animated: boolean;
  orientation: number | null;
  filename: string | null;
  source_url: string | null;
  thumbnail: StoredFile | null;
  derivatives: Record<string, StoredFile>;
  created_at: Date;
  last_used_at: Date | null;
}

@Injectable()
export class MediaRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** The new row, or undefined when the workspace already has these bytes. */
  async insert(tenant: Tenant, media: Omit<NewMedia, 'workspaceId'>, on?: Executor): Promise<MediaRecord | undefined> {
    const row = await this.one<MediaRow>(
      MEDIA_SQL.insert,
      [
        media.id,
        tenant.workspaceId,
        media.sha256,
        media.storageKey,
        media.mimeType,
        media.kind,
        media.size,
        media.width,
        media.height,
        media.durationMs,
        media.animated,
        media.orientation,
        media.filename,
        media.sourceUrl,
        media.thumbnail === null ? null : JSON.stringify(media.thumbnail),
      ],
      on,
    );
    return row && toMedia(row);
  }

  async findBySha256(tenant: Tenant, sha256: string, on?: Executor): Promise<MediaRecord | undefined> {
    const row = await this.one<MediaRow>(MEDIA_SQL.findBySha256, [tenant.workspaceId, sha256], on);
    return row && toMedia(row);
  }

  async find(tenant: Tenant, id: string): Promise<MediaRecord | undefined> {
    const row = await this.one<MediaRow>(MEDIA_SQL.find, [tenant.workspaceId, id]);
    return row && toMedia(row);
  }

  async findById(_scope: SystemScope, id: string): Promise<MediaRecord | undefined> {
    const row = await this.one<MediaRow>(MEDIA_SQL.findById, [id]);
    return row && toMedia(row);
  }

  async among(tenant: Tenant, ids: string[], on?: Executor): Promise<MediaRecord[]> {
    if (ids.length === 0) return [];
    return (await this.rows<MediaRow>(MEDIA_SQL.among, [tenant.workspaceId, ids], on)).map(toMedia);
  }

  async page(tenant: Tenant, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<MediaRecord[]> {
    return (await this.rows<MediaRow>(MEDIA_SQL.page, [tenant.workspaceId, after?.createdAt ?? null, after?.id ?? null, limit])).map(toMedia);
  }

  /** Ids of posts that may still send this media (a delivery draft, pending, scheduled or publishing), at most 10. */
  async usedBy(tenant: Tenant, id: string, on?: Executor): Promise<string[]> {
    return (await this.rows<{ id: string }>(MEDIA_SQL.usedBy, [tenant.workspaceId, id], on)).map((row) => row.id);
  }

  /** Soft-deletes; false when there was no such live media. */
  async remove(tenant: Tenant, id: string, on?: Executor): Promise<boolean> {
    return (await this.rows(MEDIA_SQL.remove, [tenant.workspaceId, id], on)).length > 0;
  }

  /** Marks media as used now (a post scheduled or published with them): the retention clock starts again. */
  async touch(tenant: Tenant, ids: string[], on?: Executor): Promise<void> {
    if (ids.length > 0) await this.rows(MEDIA_SQL.touch, [tenant.workspaceId, ids], on);
  }

  async addDerivative(tenant: Tenant, id: string, planKey: string, file: StoredFile, on?: Executor): Promise<void> {
    await this.rows(MEDIA_SQL.addDerivative, [tenant.workspaceId, id, planKey, JSON.stringify(file)], on);
  }

  /** Soft-deletes up to `limit` live media nothing unfinished uses and nothing used since `before`; their ids. */
  async expireUnused(_scope: SystemScope, before: Date, limit: number): Promise<string[]> {
    return (await this.rows<{ id: string }>(MEDIA_SQL.expireUnused, [before, limit])).map((row) => row.id);
  }

  async deleted(_scope: SystemScope, limit: number): Promise<MediaRecord[]> {
    return (await this.rows<MediaRow>(MEDIA_SQL.deleted, [limit])).map(toMedia);
  }

  /** Takes the content hash's lock for the transaction `on`. */
  async lockSha256(_scope: SystemScope, sha256: string, on: Executor): Promise<void> {
    await this.rows(MEDIA_SQL.lockSha256, [sha256], on);
  }

  /** Of `keys`, those another row than `id` still names (see the statement). */
  async namedElsewhere(_scope: SystemScope, id: string, keys: string[], on?: Executor): Promise<string[]> {
    if (keys.length === 0) return [];
    return (await this.rows<{ key: string }>(MEDIA_SQL.namedElsewhere, [keys, id], on)).map((row) => row.key);
  }

  async purge(_scope: SystemScope, id: string, on?: Executor): Promise<boolean> {
    return (await this.rows(MEDIA_SQL.purge, [id], on)).length > 0;
  }
}

function toMedia(row: MediaRow): MediaRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    sha256: row.sha256,
    storageKey: row.storage_key,
    mimeType: row.mime_type,
    kind: row.kind,
    size: Number(row.size_bytes),
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    animated: row.animated,
    orientation: row.orientation,
    filename: row.filename,
    sourceUrl: row.source_url,
    thumbnail: row.thumbnail,
    derivatives: row.derivatives ?? {},
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
