/**
 * `approval_notices`: posts submitted for approval, waiting to be emailed to
 * their workspace's approvers. Recorded in the submission's transaction;
 * taken once (`sent_at`), however many API instances sweep.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const APPROVAL_NOTICES_SQL = {
  /** A notice for each of the workspace's posts ($2) submitted by a person ($3, or null for an API key); another workspace's posts get none. */
  record: new Statement(
    `INSERT INTO approval_notices (workspace_id, post_id, submitted_by)
     SELECT $1, p.id, $3::uuid FROM posts p WHERE p.workspace_id = $1 AND p.id = ANY($2::uuid[])
     RETURNING id`,
  ),
  /**
   * Takes up to $1 unsent notices, oldest first (skipping those another
   * sweep holds), marked sent, with their post as it now stands, its
   * workspace's name, who submitted it, and the emails of the members whose
   * role ($2) may approve, but for the submitter.
   */
  take: new Statement(
    `WITH taken AS (
       UPDATE approval_notices n SET sent_at = now()
        WHERE n.id IN (SELECT id FROM approval_notices WHERE sent_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.workspace_id, n.post_id, n.submitted_by)
     SELECT t.id, t.workspace_id, t.post_id, w.name AS workspace_name, p.text, p.status,
            s.name AS submitter_name, s.email AS submitter_email,
            COALESCE((SELECT array_agg(u.email ORDER BY u.email) FROM members m JOIN users u ON u.id = m.user_id
                       WHERE m.workspace_id = t.workspace_id AND m.role = ANY($2::text[]) AND m.user_id IS DISTINCT FROM t.submitted_by), '{}') AS approvers
       FROM taken t JOIN workspaces w ON w.id = t.workspace_id JOIN posts p ON p.id = t.post_id LEFT JOIN users s ON s.id = t.submitted_by`,
  ),
};

/** A notice taken to be sent. */
export interface ApprovalNotice {
  id: string;
  workspaceId: string;
  workspaceName: string;
  postId: string;
  text: string;
  /** The post's status now: a notice of a post decided meanwhile is not sent. */
  status: string;
  submitter: { name: string; email: string } | null;
  approvers: string[];
}

interface NoticeRow {
  id: string;
  workspace_id: string;
  post_id: string;
  workspace_name: string;
  text: string;
  status: string;
  submitter_name: string | null;
  submitter_email: string | null;
  approvers: string[];
}

@Injectable()
export class ApprovalNoticesRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** Records a notice per post, in the submission's transaction; answers how many. */
  async record(tenant: Tenant, postIds: string[], submittedBy: string | null, on: Executor): Promise<number> {
    if (postIds.length === 0) return 0;
    return (await this.rows(APPROVAL_NOTICES_SQL.record, [tenant.workspaceId, postIds, submittedBy], on)).length;
  }

  /** Up to `limit` unsent notices, taken (marked sent) in one statement, with the approvers ($roles) to tell. */
  async take(_scope: SystemScope, limit: number, approverRoles: readonly string[]): Promise<ApprovalNotice[]> {
    const rows = await this.rows<NoticeRow>(APPROVAL_NOTICES_SQL.take, [limit, approverRoles]);
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      workspaceName: row.workspace_name,
      postId: row.post_id,
      text: row.text,
      status: row.status,
      submitter: row.submitter_email ? { name: row.submitter_name ?? '', email: row.submitter_email } : null,
      approvers: row.approvers,
    }));
  }
}
