/**
 * `invitations`: a single-use link to join a workspace with a role. Only the
 * SHA-256 of its token is kept. An invitation is pending until it is
 * accepted, revoked, or past `expires_at`; the one who holds its token
 * names the workspace by it (the accept and preview routes carry no key),
 * so those methods take SYSTEM.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = 'id, workspace_id, email, role, invited_by_kind, invited_by_id, created_at, expires_at, accepted_at, accepted_by, revoked_at, maker_user_id';
const PENDING = 'accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()';

export const INVITATIONS_SQL = {
  insert: new Statement(
    `INSERT INTO invitations (workspace_id, email, role, token_hash, invited_by_kind, invited_by_id, expires_at, maker_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond', $8) RETURNING ${COLUMNS}`,
  ),
  /** Revokes the workspace's pending invitations for an email ($2, whatever its case): a new one replaces them. */
  revokePendingFor: new Statement(`UPDATE invitations SET revoked_at = now() WHERE workspace_id = $1 AND lower(email) = lower($2) AND ${PENDING} RETURNING id`),
  /** The workspace's pending invitations, newest first, after a position ($2, $3). */
  pendingPage: new Statement(
    `SELECT ${COLUMNS} FROM invitations WHERE workspace_id = $1 AND ${PENDING}
      AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid)) ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  /** Revokes the pending invitations that answer to a person ($2) with one of the roles $3: they left, or no longer hold those roles. */
  revokePendingAnsweringTo: new Statement(
    `UPDATE invitations SET revoked_at = now() WHERE workspace_id = $1 AND maker_user_id = $2 AND role = ANY($3::text[]) AND ${PENDING} RETURNING ${COLUMNS}`,
  ),
  findPending: new Statement(`SELECT ${COLUMNS} FROM invitations WHERE workspace_id = $1 AND id = $2 AND ${PENDING} FOR UPDATE`),
  revoke: new Statement(`UPDATE invitations SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND ${PENDING} RETURNING ${COLUMNS}`),
  /** An invitation by its token's hash, whatever its state, with its workspace's name. */
  findByTokenHash: new Statement(
    `SELECT ${COLUMNS.split(', ').map((column) => `i.${column}`).join(', ')}, w.name AS workspace_name, i.expires_at <= now() AS expired
       FROM invitations i JOIN workspaces w ON w.id = i.workspace_id WHERE i.token_hash = $1`,
  ),
  /** Uses up a pending invitation ($1) for the person ($2); answers it, or nothing when it is not pending. */
  take: new Statement(`UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE token_hash = $1 AND ${PENDING} RETURNING ${COLUMNS}`),
};

export interface Invitation {
  id: string;
  workspaceId: string;
  email: string;
  role: string;
  invitedBy: { kind: string; id: string | null };
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  revokedAt: Date | null;
  /** The person it answers to (its maker, or the person behind the key that made it): it ends with their access. */
  makerUserId: string | null;
}

/** An invitation found by its token: its state and its workspace's name. */
export interface PresentedInvitation extends Invitation {
  workspaceName: string;
  expired: boolean;
}

interface InvitationRow {
  id: string;
  workspace_id: string;
  email: string;
  role: string;
  invited_by_kind: string;
  invited_by_id: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  maker_user_id: string | null;
}

@Injectable()
export class InvitationsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  async insert(
    tenant: Tenant,
    invitation: { email: string; role: string; tokenHash: string; invitedBy: { kind: string; id: string | null }; lifetimeMs: number; makerUserId?: string | null },
    on?: Executor,
  ): Promise<Invitation> {
    const { email, role, tokenHash, invitedBy, lifetimeMs } = invitation;
    const values = [tenant.workspaceId, email, role, tokenHash, invitedBy.kind, invitedBy.id, lifetimeMs, invitation.makerUserId ?? null];
    return toInvitation((await this.one<InvitationRow>(INVITATIONS_SQL.insert, values, on))!);
  }

  /** Revokes the pending invitations answering to `userId` whose role is one of `roles`; answers them. */
  async revokePendingAnsweringTo(tenant: Tenant, userId: string, roles: readonly string[], on: Executor): Promise<Invitation[]> {
    return (await this.rows<InvitationRow>(INVITATIONS_SQL.revokePendingAnsweringTo, [tenant.workspaceId, userId, roles], on)).map(toInvitation);
  }

  /** Answers the ids of the pending invitations it revoked. */
  async revokePendingFor(tenant: Tenant, email: string, on?: Executor): Promise<string[]> {
    return (await this.rows<{ id: string }>(INVITATIONS_SQL.revokePendingFor, [tenant.workspaceId, email], on)).map((row) => row.id);
  }

  async pendingPage(tenant: Tenant, before: { createdAt: Date; id: string } | undefined, limit: number): Promise<Invitation[]> {
    const rows = await this.rows<InvitationRow>(INVITATIONS_SQL.pendingPage, [tenant.workspaceId, before?.createdAt ?? null, before?.id ?? null, limit]);
    return rows.map(toInvitation);
  }

  /** A pending invitation of the workspace, row-locked for the transaction. */
  async findPending(tenant: Tenant, id: string, on: Executor): Promise<Invitation | undefined> {
    const row = await this.one<InvitationRow>(INVITATIONS_SQL.findPending, [tenant.workspaceId, id], on);
    return row && toInvitation(row);
  }

  /** Revokes a pending invitation; undefined when the workspace has none with this id (or it is no longer pending). */
  async revoke(tenant: Tenant, id: string, on?: Executor): Promise<Invitation | undefined> {
    const row = await this.one<InvitationRow>(INVITATIONS_SQL.revoke, [tenant.workspaceId, id], on);
    return row && toInvitation(row);
  }

  async findByTokenHash(_scope: SystemScope, tokenHash: string, on?: Executor): Promise<PresentedInvitation | undefined> {
    const row = await this.one<InvitationRow & { workspace_name: string; expired: boolean }>(INVITATIONS_SQL.findByTokenHash, [tokenHash], on);
    return row && { ...toInvitation(row), workspaceName: row.workspace_name, expired: row.expired };
  }

  /** Uses the invitation up for `userId`, once: undefined when it is used, revoked, expired or unknown. */
  async take(_scope: SystemScope, tokenHash: string, userId: string, on: Executor): Promise<Invitation | undefined> {
    const row = await this.one<InvitationRow>(INVITATIONS_SQL.take, [tokenHash, userId], on);
    return row && toInvitation(row);
  }
}

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    role: row.role,
    invitedBy: { kind: row.invited_by_kind, id: row.invited_by_id },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    acceptedBy: row.accepted_by,
    revokedAt: row.revoked_at,
    makerUserId: row.maker_user_id,
  };
}
