/**
 * `feed_items`: each item of a feed seen, once per feed and guid, with the
 * post made of it (or why none was).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const FEED_ITEMS_SQL = {
  /** Which of the guids ($3) the workspace's ($1) feed $2 has seen. */
  known: new Statement(`SELECT guid FROM feed_items WHERE workspace_id = $1 AND feed_id = $2 AND guid = ANY($3::text[])`),
  /** Keeps each item ($3 guids, $4 titles, $5 links, $6 posts, $7 problems) of the workspace's feed $2; answers the guids written (one seen before is not). */
  record: new Statement(
    `INSERT INTO feed_items (feed_id, workspace_id, guid, title, link, post_id, problem)
     SELECT f.id, f.workspace_id, i.guid, i.title, i.link, i.post_id, i.problem
       FROM feeds f, unnest($3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[]) AS i(guid, title, link, post_id, problem)
      WHERE f.workspace_id = $1 AND f.id = $2
     ON CONFLICT (feed_id, guid) DO NOTHING RETURNING guid`,
  ),
  /** The workspace's feed's latest items, $3 of them. */
  recent: planned(
    `SELECT guid, title, link, post_id, problem, created_at FROM feed_items WHERE workspace_id = $1 AND feed_id = $2 ORDER BY created_at DESC, guid LIMIT $3`,
  ),
};

export interface FeedItemRecord {
  guid: string;
  title: string;
  link: string;
  postId: string | null;
  problem: string | null;
}

@Injectable()
export class FeedItemsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async known(tenant: Tenant, feedId: string, guids: string[]): Promise<Set<string>> {
    if (guids.length === 0) return new Set();
    return new Set((await this.rows<{ guid: string }>(FEED_ITEMS_SQL.known, [tenant.workspaceId, feedId, guids])).map((row) => row.guid));
  }

  async record(tenant: Tenant, feedId: string, items: FeedItemRecord[], on?: Executor): Promise<string[]> {
    if (items.length === 0) return [];
    const rows = await this.rows<{ guid: string }>(
      FEED_ITEMS_SQL.record,
      [
        tenant.workspaceId,
        feedId,
        items.map((item) => item.guid),
        items.map((item) => item.title),
        items.map((item) => item.link),
        items.map((item) => item.postId),
        items.map((item) => item.problem),
      ],
      on,
    );
    return rows.map((row) => row.guid);
  }

  async recent(tenant: Tenant, feedId: string, limit: number): Promise<(FeedItemRecord & { createdAt: Date })[]> {
    const rows = await this.rows<{ guid: string; title: string; link: string; post_id: string | null; problem: string | null; created_at: Date }>(FEED_ITEMS_SQL.recent, [
      tenant.workspaceId,
      feedId,
      limit,
    ]);
    return rows.map((row) => ({ guid: row.guid, title: row.title, link: row.link, postId: row.post_id, problem: row.problem, createdAt: row.created_at }));
  }
}
