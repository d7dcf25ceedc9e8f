/**
 * A workspace's members: who they are, their roles, and taking them out.
 * Giving, changing or taking away a role is held to the access module's
 * rule (no role above the asker's own: an admin may not make, change or
 * remove an owner); a workspace always keeps an owner (409 for what would
 * leave it none). A member removed is refused at their next request (their
 * role is read from `members` on every one). Anyone may leave a workspace
 * (removing themselves, whatever their role), except its last owner. Each
 * change is in the audit log. The keys and pending invitations that answer
 * to a member end with their access (maker-revocations.ts).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Executor, MemberOfWorkspace, MembersRepository, Tenant, inTransaction } from '@herald/db';
import { AccessService, AuthContext, Role, isRole } from '../access';
import { AuditLog } from '../audit';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { Conflict, NotFound } from '../common/problems';
import { MakerRevocations } from './maker-revocations';

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: string;
  joinedAt: string;
}

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly members: MembersRepository,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
    private readonly revocations: MakerRevocations,
  ) {}

  async list(auth: AuthContext, limit = 50, cursor?: string): Promise<Page<MemberView>> {
    const after = decodeCursor(cursor);
    const rows = await this.members.page(this.access.tenant(auth, 'members.read'), after && { joinedAt: after.createdAt, userId: after.id }, limit + 1);
    return toPage(
      rows.map((row) => ({ ...row, createdAt: row.joinedAt, id: row.userId })),
      limit,
      toView,
    );
  }

  async changeRole(auth: AuthContext, userId: string, role: Role): Promise<MemberView> {
    const tenant = this.access.tenantGranting(auth, 'members.manage', [role]);
    const { view, revokedKeys } = await inTransaction(this.dataSource, async (tx) => {
      const { member, owners } = await this.lockMember(auth, tenant, userId, tx);
      if (member.role === role) return { view: toView(member), revokedKeys: [] };
      if (member.role === 'owner' && owners.length <= 1) throw lastOwner('demoted');
      await this.members.setRole(tenant, userId, role, tx);
      await this.audit.recordAs(auth, 'member.role_changed', { type: 'user', id: userId }, { email: member.email, from: member.role, to: role }, tx);
      const revokedKeys = await this.revocations.revoke(auth, tenant, member, { kind: 'demoted', to: role }, tx);
      return { view: toView({ ...member, role }), revokedKeys };
    });
    this.revocations.forget(revokedKeys);
    return view;
  }

  /** Takes a member out of the workspace; the member themselves leaving it when `userId` is the asker's own. */
  async remove(auth: AuthContext, userId: string): Promise<void> {
    const leaving = auth.actor.kind === 'user' && auth.actor.id === userId;
    const tenant = this.access.tenant(auth, leaving ? 'members.leave' : 'members.manage');
    const revokedKeys = await inTransaction(this.dataSource, async (tx) => {
      const { member, owners } = await this.lockMember(auth, tenant, userId, tx, leaving);
      if (member.role === 'owner' && owners.length <= 1) {
        throw leaving ? new Conflict("You are the workspace's last owner and cannot leave it: make another member owner first") : lastOwner('removed');
      }
      await this.members.remove(tenant, userId, tx);
      await this.audit.recordAs(auth, leaving ? 'member.left' : 'member.removed', { type: 'user', id: userId }, { email: member.email, role: member.role }, tx);
      return this.revocations.revoke(auth, tenant, member, { kind: leaving ? 'left' : 'removed' }, tx);
    });
    this.revocations.forget(revokedKeys);
  }

  /**
   * The member, row-locked, with the workspace's owners (locked first, in
   * one order, so two changes at once queue instead of deadlocking, and the
   * second sees what the first left); 404 when they are not a member, 403
   * when their role is above the asker's (unless it is the asker, leaving).
   */
  private async lockMember(auth: AuthContext, tenant: Tenant, userId: string, tx: Executor, leaving = false): Promise<{ member: MemberOfWorkspace; owners: string[] }> {
    const owners = await this.members.ownersLocked(tenant, tx);
    const member = await this.members.findLocked(tenant, userId, tx);
    if (!member) throw new NotFound('Member', userId);
    if (isRole(member.role) && !leaving) this.access.tenantGranting(auth, 'members.manage', [member.role]);
    return { member, owners };
  }
}

function lastOwner(what: 'demoted' | 'removed'): Conflict {
  return new Conflict(`The workspace's last owner cannot be ${what}: make another member owner first`);
}

function toView(member: MemberOfWorkspace): MemberView {
  return { userId: member.userId, email: member.email, name: member.name, role: member.role, joinedAt: member.joinedAt.toISOString() };
}
