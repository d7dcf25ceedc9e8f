/**
 * `tags`: a workspace's tags, a name (lower case, unique per workspace) and
 * a colour for the app. Posts carry tag names (`posts.tags`); the list
 * also names the tags used on posts that have no row here (no id, no
 * colour), so every tag in use is offered as a filter.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant } from '../access/scope';
import { Statement, planned } from '../statements/prepared';
import { Repository } from './repository';

const COLUMNS = `id, name, colour, created_at`;

export const TAGS_SQL = {
  list: planned(
    `SELECT id, name, colour, created_at FROM tags WHERE workspace_id = $1
     UNION ALL
     SELECT NULL, used.name, NULL, NULL FROM (SELECT DISTINCT unnest(tags) AS name FROM posts WHERE workspace_id = $1) AS used
      WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.workspace_id = $1 AND lower(t.name) = used.name)
     ORDER BY name LIMIT 1000`,
  ),
  insert: new Statement(`INSERT INTO tags (workspace_id, name, colour) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`),
  /** A new colour ($3); the name stays (posts carry it). */
  recolour: new Statement(`UPDATE tags SET colour = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`),
  remove: new Statement(`DELETE FROM tags WHERE workspace_id = $1 AND id = $2 RETURNING name`),
};

/** A tag; one only used on posts has no id, colour or creation time. */
export interface Tag {
  id: string | null;
  name: string;
  colour: string | null;
  createdAt: Date | null;
}

interface TagRow {
  id: string | null;
  name: string;
  colour: string | null;
  created_at: Date | null;
}

@Injectable()
export class TagsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async list(tenant: Tenant): Promise<Tag[]> {
    return (await this.rows<TagRow>(TAGS_SQL.list, [tenant.workspaceId])).map(toTag);
  }

  /** Throws Postgres's unique violation (23505) when the workspace has a tag of that name. */
  async insert(tenant: Tenant, name: string, colour: string): Promise<Tag> {
    return toTag((await this.one<TagRow>(TAGS_SQL.insert, [tenant.workspaceId, name, colour]))!);
  }

  async recolour(tenant: Tenant, id: string, colour: string): Promise<Tag | undefined> {
    const row = await this.one<TagRow>(TAGS_SQL.recolour, [tenant.workspaceId, id, colour]);
    return row && toTag(row);
  }

  async remove(tenant: Tenant, id: string): Promise<boolean> {
    return (await this.rows(TAGS_SQL.remove, [tenant.workspaceId, id])).length > 0;
  }
}

function toTag(row: TagRow): Tag {
  return { id: row.id, name: row.name, colour: row.colour, createdAt: row.created_at };
}
