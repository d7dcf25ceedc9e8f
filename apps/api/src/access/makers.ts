/**
 * Who makes a key or an invitation, and the person it will answer to: the
 * signed-in person, or the person behind the key that makes it (none for a
 * key the operator made, or one made before makers were recorded). Checked
 * again in the transaction that writes it, with the person's membership
 * (and the making key) share-locked: a removal or a demotion that runs at
 * the same moment either waits and then revokes what was made, or goes
 * first and the making is refused.
 */
import { Injectable } from '@nestjs/common';
import { ApiKeysRepository, Executor, KeyMaker, MembersRepository } from '@herald/db';
import { Forbidden, NotFound, Unauthorized } from '../common/problems';
import type { AuthContext } from './auth-context';
import { Role, isRole, outranks } from './permissions';

export interface Maker {
  madeBy: KeyMaker;
  /** The person what is made answers to: it ends with their access. */
  makerUserId: string | null;
}

@Injectable()
export class Makers {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly members: MembersRepository,
  ) {}

  /** The maker of something that grants `grants`, as they stand now (in `on`), locked until it commits. */
  async of(auth: AuthContext, grants: Role, on: Executor): Promise<Maker> {
    if (auth.actor.kind === 'user') {
      await this.holding(auth, auth.actor.id, grants, on, () => new NotFound('Workspace', auth.tenant.workspaceId));
      return { madeBy: { kind: 'user', id: auth.actor.id }, makerUserId: auth.actor.id };
    }
    const key = await this.apiKeys.findLiveLocked(auth.tenant, auth.actor.id, on);
    if (!key) throw new Unauthorized('The API key is unknown or revoked');
    if (key.makerUserId) await this.holding(auth, key.makerUserId, grants, on, () => new Unauthorized('The API key was revoked with the access of the person who made it'));
    return { madeBy: { kind: 'api_key', id: key.id }, makerUserId: key.makerUserId };
  }

  /** The person is still a member, with a role no lower than `grants`. */
  private async holding(auth: AuthContext, userId: string, grants: Role, on: Executor, gone: () => Error): Promise<void> {
    const role = await this.members.roleOfLocked(auth.tenant, userId, on);
    if (!isRole(role)) throw gone();
    if (outranks(grants, role)) throw new Forbidden(`Your role (${role}) may not give, change or take away the role ${grants}: that needs ${grants}`);
  }
}
