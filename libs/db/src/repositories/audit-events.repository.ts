/**
 * `audit_events`: who did what in a workspace (sign-ins, member and role
 * changes, invitations, channel connections and removals, API keys,
 * approvals), newest first. Written in the transaction of what it records
 * where there is one (`on`), so an event is never kept for a change that
 * was rolled back.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

export const AUDIT_EVENTS_SQL = {
  insert: new Statement(
    `INSERT INTO audit_events (workspace_id, actor_kind, actor_id, action, subject_type, subject_id, details, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
  ),
  /** One event in every workspace the person is a member of ($1): their sign-in, say. */
  insertForMembersOf: new Statement(
    `INSERT INTO audit_events (workspace_id, actor_kind, actor_id, action, subject_type, subject_id, details, ip)
     SELECT m.workspace_id, $2, $3, $4, $5, $6, $7, $8 FROM members m WHERE m.user_id = $1 RETURNING id`,
  ),
  /** The workspace's events, newest first, after a position ($2, $3), with the actor's name where it has one. */
  page: new Statement(
    `SELECT a.id, a.actor_kind, a.actor_id, COALESCE(u.name, k.name) AS actor_name, a.action, a.subject_type, a.subject_id, a.details, a.ip, a.at
       FROM audit_events a
       LEFT JOIN users u ON a.actor_kind = 'user' AND u.id = a.actor_id
       LEFT JOIN api_keys k ON a.actor_kind = 'api_key' AND k.id = a.actor_id AND k.workspace_id = a.workspace_id
      WHERE a.workspace_id = $1 AND ($2::timestamptz IS NULL OR (a.at, a.id) < ($2, $3::uuid))
      ORDER BY a.at DESC, a.id DESC LIMIT $4`,
  ),
};

export interface NewAuditEvent {
  actor: { kind: 'user' | 'api_key' | 'operator' | 'system'; id: string | null };
  action: string;
  subject: { type: string; id: string };
  details: Record<string, unknown>;
  ip: string | null;
}

export interface AuditEvent extends NewAuditEvent {
  id: string;
  actorName: string | null;
  at: Date;
}

interface AuditRow {
  id: string;
  actor_kind: NewAuditEvent['actor']['kind'];
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  details: Record<string, unknown>;
  ip: string | null;
  at: Date;
}

const values = (event: NewAuditEvent) => [event.actor.kind, event.actor.id, event.action, event.subject.type, event.subject.id, JSON.stringify(event.details), event.ip];

@Injectable()
export class AuditEventsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(tenant: Tenant, event: NewAuditEvent, on?: Executor): Promise<string> {
    return (await this.one<{ id: string }>(AUDIT_EVENTS_SQL.insert, [tenant.workspaceId, ...values(event)], on))!.id;
  }

  /** The event in every workspace the person belongs to; answers how many were written. */
  async insertForMembersOf(_scope: SystemScope, userId: string, event: NewAuditEvent, on?: Executor): Promise<number> {
    return (await this.rows(AUDIT_EVENTS_SQL.insertForMembersOf, [userId, ...values(event)], on)).length;
  }

  async page(tenant: Tenant, before: { at: Date; id: string } | undefined, limit: number): Promise<AuditEvent[]> {
    const rows = await this.rows<AuditRow>(AUDIT_EVENTS_SQL.page, [tenant.workspaceId, before?.at ?? null, before?.id ?? null, limit]);
    return rows.map((row) => ({
      id: row.id,
      actor: { kind: row.actor_kind, id: row.actor_id },
      actorName: row.actor_name,
      action: row.action,
      subject: { type: row.subject_type, id: row.subject_id },
      details: row.details,
      ip: row.ip,
      at: row.at,
    }));
  }
}
