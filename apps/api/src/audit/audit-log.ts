/**
 * The audit log of a workspace: who did what, and from where. Services call
 * `record` (or `recordAs`, from a request's AuthContext) in the transaction
 * of what they record, where they have one, so an event is kept exactly when
 * its change is. `GET /v1/audit` lists them newest first (owner and admin).
 */
import { Injectable } from '@nestjs/common';
import { AuditEventsRepository, Executor, NewAuditEvent, SYSTEM, Tenant } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { Page, decodeCursor, toPage } from '../common/pagination';

/** Every action the log records. */
export const AUDIT_ACTIONS = [
  'member.signed_in',
  'member.role_changed',
  'member.removed',
  'member.left',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'channel.connected',
  'channel.reconnected',
  'channel.removed',
  'channel.schedule_changed',
  'channel.timezone_changed',
  'channel.queue_reordered',
  'channel_group.created',
  'channel_group.updated',
  'channel_group.deleted',
  'webhook.created',
  'webhook.deleted',
  'api_key.created',
  'api_key.revoked',
  'post.created',
  'post.edited',
  'post.rescheduled',
  'post.cancelled',
  'post.retried',
  'post.unpublished',
  'post.approved',
  'post.rejected',
  'series.created',
  'series.edited',
  'series.paused',
  'series.resumed',
  'series.deleted',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'workspace.updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did it: a person, an API key, the operator (the admin token), or Herald itself. */
export type AuditActor = NewAuditEvent['actor'];

/** What it was done to: `{type: 'user' | 'invitation' | 'channel' | 'api_key' | 'post', id}`. */
export interface AuditSubject {
  type: string;
  id: string;
}

export interface AuditEventView {
  id: string;
  action: string;
  actor: { kind: string; id: string | null; name?: string };
  subject: AuditSubject;
  details: Record<string, unknown>;
  ip: string | null;
  at: string;
}

@Injectable()
export class AuditLog {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly access: AccessService,
  ) {}

  /** Records one event in the workspace (in the transaction `on`, when given). */
  async record(
    tenant: Tenant,
    actor: AuditActor,
    action: AuditAction,
    subject: AuditSubject,
    details: Record<string, unknown> = {},
    options: { ip?: string; on?: Executor } = {},
  ): Promise<void> {
    await this.events.insert(tenant, { actor, action, subject, details, ip: options.ip ?? null }, options.on);
  }

  /** Records one event as the request `auth` did it: its workspace, its actor (person or key) and its address. */
  async recordAs(auth: AuthContext, action: AuditAction, subject: AuditSubject, details: Record<string, unknown> = {}, on?: Executor): Promise<void> {
    await this.record(auth.tenant, auth.actor, action, subject, details, { ip: auth.address, on });
  }

  /** A person signed in: one event in each workspace they are a member of. */
  async signedIn(userId: string, ip: string | undefined): Promise<void> {
    await this.events.insertForMembersOf(SYSTEM, userId, { actor: { kind: 'user', id: userId }, action: 'member.signed_in', subject: { type: 'user', id: userId }, details: {}, ip: ip ?? null });
  }

  async list(auth: AuthContext, limit = 50, cursor?: string): Promise<Page<AuditEventView>> {
    const tenant = this.access.tenant(auth, 'audit.read');
    const before = decodeCursor(cursor);
    const rows = await this.events.page(tenant, before && { at: before.createdAt, id: before.id }, limit + 1);
    return toPage(
      rows.map((row) => ({ ...row, createdAt: row.at })),
      limit,
      (row) => ({
        id: row.id,
        action: row.action,
        actor: { kind: row.actor.kind, id: row.actor.id, ...(row.actorName !== null ? { name: row.actorName } : {}) },
        subject: row.subject,
        details: row.details,
        ip: row.ip,
        at: row.at.toISOString(),
      }),
    );
  }
}
