/**
 * Invitations: an owner or admin invites an email with a role (never above
 * their own) and gets a single-use link, valid INVITATION_TTL, whose token
 * is shown once (only its SHA-256 is kept). A new invitation for the same
 * email replaces the pending one. Accepting it, signed in, adds the
 * workspace to the person's account (the emails must match, whatever their
 * case); not signed in, it signs the person up (as sign-up would, with the
 * invitation's email), or, when that email already has an account, asks
 * them to sign in first. A used, revoked or expired token is a 410, one
 * never issued a 404. Creating, accepting and revoking are in the audit log.
 * An invitation answers to the person who made it (or the person behind the
 * key that did): it is revoked when they leave or lose the role it grants,
 * and refused at acceptance if, somehow, they no longer hold it.
 * Where SMTP_URL is set, the link is also emailed to the person, after the
 * answer (a slow or failing mail server never fails the invitation).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { Executor, Invitation, InvitationsRepository, LiveSession, MembersRepository, PresentedInvitation, SYSTEM, UsersRepository, inTransaction } from '@herald/db';
import { AccessService, AuthContext, Makers, Role, isRole, outranks } from '../access';
import { AuditLog } from '../audit';
import { Page, decodeCursor, toPage } from '../common/pagination';
import { Conflict, Forbidden, Gone, NotFound, UnprocessableRequest } from '../common/problems';
import { AuthService, IssuedSession, Mailer, PasswordHasher, SessionIssuer, SignedIn, checkNewPassword } from '../people';
import { AcceptInvitationDto } from './dto';

/** The web app's page that takes the token (from the fragment, which no server or log ever sees). */
export const ACCEPT_PAGE = '/accept-invitation';

export interface InvitationView {
  id: string;
  email: string;
  role: string;
  invitedBy: { kind: string; id: string | null };
  createdAt: string;
  expiresAt: string;
}

export interface IssuedInvitation extends InvitationView {
  /** Shown once: only its hash is stored. */
  token: string;
  /** The link to send the person: the web app's accept page with the token. */
  url: string;
  /** Whether Herald emails the link to the person (SMTP_URL is set); when not, the inviter hands it over. */
  emailed: boolean;
}

export interface InvitationPreview {
  workspaceName: string;
  email: string;
  role: string;
  expiresAt: string;
}

/** What accepting answers: the person signed in (and, when they just signed up, their new session). */
export interface Accepted {
  workspaceId: string;
  answer: SignedIn;
  /** Set when the invitation made the account: the cookie to set. */
  session?: IssuedSession;
}

@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invitations: InvitationsRepository,
    private readonly members: MembersRepository,
    private readonly users: UsersRepository,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
    private readonly people: AuthService,
    private readonly passwords: PasswordHasher,
    private readonly issuer: SessionIssuer,
    private readonly mailer: Mailer,
    private readonly makers: Makers,
  ) {}

  async create(auth: AuthContext, email: string, role: Role): Promise<IssuedInvitation> {
    const tenant = this.access.tenant(auth, 'members.manage');
    const existing = await this.users.findByEmail(SYSTEM, email);
    if (existing && (await this.members.roleOf(tenant, existing.id))) throw new Conflict(`${email} is already a member of this workspace`);
    const token = randomBytes(32).toString('base64url');
    const invitation = await inTransaction(this.dataSource, async (tx) => {
      const owners = await this.members.ownersLocked(tenant, tx);
      this.access.tenantGranting(auth, 'members.manage', [role], { hasOwner: owners.length > 0 });
      const { makerUserId } = await this.makers.of(auth, role === 'owner' && owners.length === 0 ? 'admin' : role, tx);
      const replaced = await this.invitations.revokePendingFor(tenant, email, tx);
      for (const id of replaced) await this.audit.recordAs(auth, 'invitation.revoked', { type: 'invitation', id }, { email, replacedBy: 'a new invitation' }, tx);
      const made = await this.invitations.insert(tenant, { email, role, tokenHash: digest(token), invitedBy: auth.actor, lifetimeMs: this.config.auth.invitationTtlMs, makerUserId }, tx);
      await this.audit.recordAs(auth, 'invitation.created', { type: 'invitation', id: made.id }, { email, role }, tx);
      return made;
    });
    const url = `${this.config.publicUrl}${ACCEPT_PAGE}#token=${token}`;
    if (this.mailer.sends) {
      this.email(auth, invitation, url, digest(token)).catch((error: unknown) =>
        this.logger.error({ invitationId: invitation.id, error: (error as Error).message }, 'An invitation email could not be sent'),
      );
    }
    return { ...toView(invitation), token, url, emailed: this.mailer.sends };
  }

  /** The invitation's email: who asks, for which workspace and role, the link and until when it works. */
  private async email(auth: AuthContext, invitation: Invitation, url: string, tokenHash: string): Promise<void> {
    const presented = await this.invitations.findByTokenHash(SYSTEM, tokenHash);
    const inviter = auth.actor.kind === 'user' ? (await this.users.find(SYSTEM, auth.actor.id))?.email : undefined;
    const workspace = presented?.workspaceName ?? 'a workspace';
    const days = Math.max(1, Math.round(this.config.auth.invitationTtlMs / 86_400_000));
    await this.mailer.send(
      {
        to: invitation.email,
        subject: `Join ${workspace} on Herald`,
        text:
          `${inviter ?? 'Someone'} invited you to ${workspace} on Herald, as ${articled(invitation.role)}.\n\n` +
          `Accept here, within ${days} ${days === 1 ? 'day' : 'days'} (the link works once):\n${url}\n\n` +
          `If you did not expect it, ignore this email.\n`,
      },
      { invitationId: invitation.id },
    );
  }

  async list(auth: AuthContext, limit = 50, cursor?: string): Promise<Page<InvitationView>> {
    const rows = await this.invitations.pendingPage(this.access.tenant(auth, 'members.manage'), decodeCursor(cursor), limit + 1);
    return toPage(rows, limit, toView);
  }

  async revoke(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'members.manage');
    await inTransaction(this.dataSource, async (tx) => {
      const invitation = await this.invitations.findPending(tenant, id, tx);
      if (!invitation) throw new NotFound('Invitation', id);
      if (isRole(invitation.role)) this.access.tenantGranting(auth, 'members.manage', [invitation.role], { hasOwner: (await this.members.ownersLocked(tenant, tx)).length > 0 });
      await this.invitations.revoke(tenant, id, tx);
      await this.audit.recordAs(auth, 'invitation.revoked', { type: 'invitation', id }, { email: invitation.email, role: invitation.role }, tx);
    });
  }

  /** What the web app's accept page shows before the person decides. */
  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.pending(token);
    return { workspaceName: invitation.workspaceName, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() };
  }

  async accept(body: AcceptInvitationDto, session: LiveSession | undefined, address: string | undefined, presented: string | undefined): Promise<Accepted> {
    const invitation = await this.pending(body.token);
    return session ? this.joinAs(session, invitation, body.token, address) : this.signUp(invitation, body, address, presented);
  }

  /** The signed-in person joins the workspace with the invitation's role. */
  private async joinAs(session: LiveSession, invitation: PresentedInvitation, token: string, address: string | undefined): Promise<Accepted> {
    const user = await this.users.find(SYSTEM, session.userId);
    if (!user) throw new Forbidden('Not signed in');
    if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
      throw new Forbidden(`This invitation is for ${invitation.email}, and you are signed in as ${user.email}: sign in as ${invitation.email} to accept it`);
    }
    await inTransaction(this.dataSource, async (tx) => {
      const tenant = this.access.invitedTenant(invitation.workspaceId);
      if (await this.members.roleOf(tenant, user.id, tx)) throw new Conflict(`You are already a member of ${invitation.workspaceName}`);
      const taken = await this.invitations.take(SYSTEM, digest(token), user.id, tx);
      if (!taken) throw await this.goneNow(token, tx);
      await this.checkMakerHolds(taken, tx);
      await this.members.insert(tenant, user.id, taken.role, tx);
      await this.recordAccepted(taken, user.id, false, address, tx);
    });
    return { workspaceId: invitation.workspaceId, answer: await this.people.answerFor(user, session.csrfToken) };
  }

  /** A new account with the invitation's email, a member of the workspace, signed in. */
  private async signUp(invitation: PresentedInvitation, body: AcceptInvitationDto, address: string | undefined, presented: string | undefined): Promise<Accepted> {
    if (await this.users.findByEmail(SYSTEM, invitation.email)) throw signInFirst(invitation.email);
    if (body.password === undefined) {
      throw new UnprocessableRequest(`A password is needed to make the account of ${invitation.email} (or sign in first, if you have one)`, [
        { path: 'password', message: 'is required to make your account' },
      ]);
    }
    checkNewPassword('password', body.password);
    const passwordHash = await this.passwords.hash(body.password);
    const user = await inTransaction(this.dataSource, async (tx) => {
      if (await this.users.findByEmail(SYSTEM, invitation.email, tx)) throw signInFirst(invitation.email);
      const created = await this.users.insert(SYSTEM, { email: invitation.email, name: body.name ?? '', passwordHash }, tx);
      const taken = await this.invitations.take(SYSTEM, digest(body.token), created.id, tx);
      if (!taken) throw await this.goneNow(body.token, tx);
      await this.checkMakerHolds(taken, tx);
      await this.members.insert(this.access.invitedTenant(taken.workspaceId), created.id, taken.role, tx);
      await this.recordAccepted(taken, created.id, true, address, tx);
      return created;
    }).catch((error: unknown) => {
      // Two acceptances at once for one new email: the second finds the account made.
      if ((error as { code?: string }).code === '23505') throw signInFirst(invitation.email);
      throw error;
    });
    const session = await this.issuer.issue(user.id, presented);
    return { workspaceId: invitation.workspaceId, answer: await this.people.answerFor(user, session.csrfToken), session };
  }

  private async recordAccepted(invitation: Invitation, userId: string, newAccount: boolean, address: string | undefined, tx: Executor): Promise<void> {
    await this.audit.record(
      this.access.invitedTenant(invitation.workspaceId),
      { kind: 'user', id: userId },
      'invitation.accepted',
      { type: 'invitation', id: invitation.id },
      { email: invitation.email, role: invitation.role, userId, newAccount },
      { ip: address, on: tx },
    );
  }

  /**
   * The person the invitation answers to still holds its role in the
   * workspace (their membership share-locked until the acceptance commits).
   * Their removal or demotion revokes it; this refuses one that escaped that
   * (an invitation made before makers were recorded, whose maker had already
   * gone). A 410, and the acceptance rolls back: nothing is made.
   */
  private async checkMakerHolds(invitation: Invitation, tx: Executor): Promise<void> {
    if (!invitation.makerUserId || !isRole(invitation.role)) return;
    const role = await this.members.roleOfLocked(this.access.invitedTenant(invitation.workspaceId), invitation.makerUserId, tx);
    if (!isRole(role) || outranks(invitation.role, role)) throw new Gone('This invitation was revoked: whoever made it no longer has the access it gives. Ask for a new one');
  }

  /** Why a token that was pending a moment ago was not taken (another request used it first). */
  private async goneNow(token: string, tx: Executor): Promise<Gone> {
    const invitation = await this.invitations.findByTokenHash(SYSTEM, digest(token), tx);
    return (invitation && goneFor(invitation)) ?? new Gone('This invitation can no longer be used');
  }

  /** The invitation behind a token, if it may still be used: 404 for a token never issued, 410 for one used, revoked or expired. */
  private async pending(token: string): Promise<PresentedInvitation> {
    const invitation = /^[A-Za-z0-9_-]{1,100}$/.test(token) ? await this.invitations.findByTokenHash(SYSTEM, digest(token)) : undefined;
    if (!invitation) throw new NotFound('Invitation', '(this token)');
    const gone = goneFor(invitation);
    if (gone) throw gone;
    return invitation;
  }
}

/** Why an invitation can no longer be used (undefined while it can). */
function goneFor(invitation: PresentedInvitation): Gone | undefined {
  if (invitation.acceptedAt) return new Gone('This invitation was already used');
  if (invitation.revokedAt) return new Gone('This invitation was revoked: ask for a new one');
  if (invitation.expired) return new Gone('This invitation has expired: ask for a new one');
  return undefined;
}

function signInFirst(email: string): Conflict {
  return new Conflict(`${email} already has an account: sign in first (POST /v1/auth/sign-in), then accept the invitation with that session`);
}

function toView(invitation: Invitation): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** "an admin", "a viewer". */
function articled(role: string): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}
