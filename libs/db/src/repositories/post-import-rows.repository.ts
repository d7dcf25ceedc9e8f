/**
 * `post_import_rows`: the rows of CSV imports made into posts, by a hash of
 * their cells, per workspace (`POST /v1/posts/import` makes nothing twice).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const POST_IMPORT_ROWS_SQL = {
  /** Which of the hashes ($2) the workspace ($1) has already made posts of. */
  known: new Statement(`SELECT row_hash FROM post_import_rows WHERE workspace_id = $1 AND row_hash = ANY($2::text[])`),
  /** Keeps each hash ($2) with its post ($3, the workspace's own); answers the hashes written (a hash already kept is not). */
  record: new Statement(
    `INSERT INTO post_import_rows (workspace_id, row_hash, post_id)
     SELECT $1, r.row_hash, p.id FROM unnest($2::text[], $3::uuid[]) AS r(row_hash, post_id)
       JOIN posts p ON p.id = r.post_id AND p.workspace_id = $1
     ON CONFLICT (workspace_id, row_hash) DO NOTHING RETURNING row_hash`,
  ),
};

@Injectable()
export class PostImportRowsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async known(tenant: Tenant, hashes: string[], on?: Executor): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await this.rows<{ row_hash: string }>(POST_IMPORT_ROWS_SQL.known, [tenant.workspaceId, hashes], on);
    return new Set(rows.map((row) => row.row_hash));
  }

  async record(tenant: Tenant, rows: { hash: string; postId: string }[], on: Executor): Promise<string[]> {
    if (rows.length === 0) return [];
    const written = await this.rows<{ row_hash: string }>(
      POST_IMPORT_ROWS_SQL.record,
      [tenant.workspaceId, rows.map((row) => row.hash), rows.map((row) => row.postId)],
      on,
    );
    return written.map((row) => row.row_hash);
  }
}
