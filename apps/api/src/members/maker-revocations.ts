/**
 * Access ends with the person who gave it: when a member is removed (or
 * leaves), the API keys and pending invitations that answer to them are
 * revoked; when their role is lowered, those that grant more than the new
 * role are (revoked, not capped: a key's role is what its holder was told
 * it may do, and a quieter key than expected is harder to notice than a
 * refused one). Runs in the transaction of the removal or the role change,
 * each revocation in the audit log with why; the keys are forgotten by this
 * process's key cache once that commits (`forget`).
 */
import { Injectable } from '@nestjs/common';
import { ApiKeysRepository, Executor, InvitationsRepository, MemberOfWorkspace, Tenant } from '@herald/db';
import { API_KEY_ROLES, ApiKeyAuthenticator, AuthContext, ROLES, Role, outranks } from '../access';
import { AuditLog } from '../audit';

export type MakerChange = { kind: 'removed' | 'left' } | { kind: 'demoted'; to: Role };

@Injectable()
export class MakerRevocations {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly invitations: InvitationsRepository,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly audit: AuditLog,
  ) {}

  /** Revokes what answers to `member` and outlives the change; answers the ids of the keys revoked (to `forget` after commit). */
  async revoke(auth: AuthContext, tenant: Tenant, member: MemberOfWorkspace, change: MakerChange, tx: Executor): Promise<string[]> {
    const beyond = (roles: readonly Role[]) => (change.kind === 'demoted' ? roles.filter((role) => outranks(role, change.to)) : roles);
    const keyRoles = beyond(API_KEY_ROLES);
    const invitationRoles = beyond(ROLES);
    const reason = `maker_${change.kind}`;
    const keys = keyRoles.length ? await this.apiKeys.revokeAnsweringTo(tenant, member.userId, keyRoles, tx) : [];
    for (const key of keys) {
      await this.audit.recordAs(auth, 'api_key.revoked', { type: 'api_key', id: key.id }, { name: key.name, role: key.role, reason, maker: member.email }, tx);
    }
    const invitations = invitationRoles.length ? await this.invitations.revokePendingAnsweringTo(tenant, member.userId, invitationRoles, tx) : [];
    for (const invitation of invitations) {
      await this.audit.recordAs(auth, 'invitation.revoked', { type: 'invitation', id: invitation.id }, { email: invitation.email, role: invitation.role, reason, maker: member.email }, tx);
    }
    return keys.map((key) => key.id);
  }

  /** Refused at once by this process (by the others within AUTH_CACHE_MS). */
  forget(keyIds: string[]): void {
    for (const id of keyIds) this.authenticator.forget(id);
  }
}
