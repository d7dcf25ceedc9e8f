/**
 * People signing up, in and out, and changing their password. The first
 * person on an installation becomes the owner of a new workspace; after
 * that, sign-up is by invitation unless AUTH_OPEN_SIGNUP is set (then each
 * newcomer gets a workspace of their own). A wrong password and an unknown
 * email answer alike (same status, same body, the same scrypt work). Every
 * password hash runs in one of HashSlots' slots, and every password tried
 * is counted by the throttle before it is hashed.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { LiveSession, MembersRepository, Membership, SYSTEM, SessionsRepository, User, UsersRepository, WorkspacesRepository, inTransaction } from '@herald/db';
import { AccessService, Action, actionsOf } from '../access';
import { AuditLog } from '../audit';
import { Conflict, Forbidden, Unauthorized, UnprocessableRequest } from '../common/problems';
import { isValidTimeZone } from '@herald/scheduling';
import { ChangePasswordDto, SignInDto, SignUpDto } from './dto';
import { HashSlots } from './hash-slots';
import { PasswordHasher, checkNewPassword } from './passwords';
import { IssuedSession, SessionIssuer } from './session-issuer';
import { SignInThrottle } from './sign-in-throttle';

/** What `GET /v1/auth/me`, sign-up and sign-in answer. */
export interface SignedIn {
  user: { id: string; email: string; name: string };
  /** Each workspace with the person's role there and what that role may do (the access module's one list), so an app shows only what it can do. */
  memberships: (Membership & { permissions: Action[] })[];
  /** Send it as X-CSRF-Token with every signed-in request that changes something. */
  csrfToken: string;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
    private readonly sessions: SessionsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly access: AccessService,
    private readonly passwords: PasswordHasher,
    private readonly issuer: SessionIssuer,
    private readonly throttle: SignInThrottle,
    private readonly slots: HashSlots,
    private readonly audit: AuditLog,
  ) {}

  async signUp(body: SignUpDto, address: string | undefined, presented: string | undefined): Promise<{ answer: SignedIn; session: IssuedSession }> {
    checkNewPassword('password', body.password);
    if (body.timezone !== undefined && !isValidTimeZone(body.timezone)) {
      throw new UnprocessableRequest(`"${body.timezone}" is not an IANA time zone`, [{ path: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
    }
    // Refused before any costly work when sign-up is closed (and before the email is looked at, which would tell who has an account).
    if (!this.config.auth.openSignup && (await this.users.exists(SYSTEM))) throw closedSignUp();
    const passwordHash = await this.slots.run({ account: body.email, address }, 'sign_up', (hash) => hash(() => this.passwords.hash(body.password)));
    const user = await inTransaction(this.dataSource, async (tx) => {
      await this.users.lockSignUps(SYSTEM, tx);
      if (!this.config.auth.openSignup && (await this.users.exists(SYSTEM, tx))) throw closedSignUp();
      if (await this.users.findByEmail(SYSTEM, body.email, tx)) throw new Conflict('An account with this email already exists: sign in instead');
      const created = await this.users.insert(SYSTEM, { email: body.email, name: body.name ?? '', passwordHash }, tx);
      const workspace = await this.workspaces.insert(SYSTEM, body.workspaceName ?? `${body.name || body.email}'s workspace`.slice(0, 200), tx, body.timezone ?? 'UTC');
      await this.members.insert(this.access.newWorkspace(workspace.id), created.id, 'owner', tx);
      return created;
    });
    const session = await this.issuer.issue(user.id, presented);
    await this.audit.signedIn(user.id, address);
    return { answer: await this.answerFor(user, session.csrfToken), session };
  }

  async signIn(body: SignInDto, address: string | undefined, presented: string | undefined): Promise<{ answer: SignedIn; session: IssuedSession }> {
    const user = await this.slots.run({ account: body.email, address }, 'sign_in', async (hash) => {
      // Counted before the hash: of guesses sent at once, no more than the throttle allows are ever checked.
      const attempt = await this.throttle.attempt(this.throttle.subjects(body.email, address));
      const found = await this.users.findByEmail(SYSTEM, body.email);
      const right = await hash(() => (found ? this.passwords.verify(body.password, found.passwordHash) : this.passwords.verifyNobody(body.password)));
      if (!found || !right) throw new Unauthorized('The email or the password is wrong');
      await this.throttle.succeeded(attempt);
      return found;
    });
    const session = await this.issuer.issue(user.id, presented);
    await this.audit.signedIn(user.id, address);
    return { answer: await this.answerFor(user, session.csrfToken), session };
  }

  async me(session: LiveSession): Promise<SignedIn> {
    return this.answerFor(await this.userOf(session), session.csrfToken);
  }

  async signOut(session: LiveSession): Promise<void> {
    await this.sessions.revoke(SYSTEM, session.id);
  }

  async signOutEverywhere(session: LiveSession): Promise<void> {
    await this.sessions.revokeAllOf(SYSTEM, session.userId);
  }

  /** A new password; every other session of the person ends (this one stays). */
  async changePassword(session: LiveSession, body: ChangePasswordDto, address: string | undefined): Promise<void> {
    checkNewPassword('newPassword', body.newPassword);
    const user = await this.userOf(session);
    const passwordHash = await this.slots.run({ account: user.email, address }, 'password_change', async (hash) => {
      const attempt = await this.throttle.attempt(this.throttle.subjects(user.email, address));
      if (!(await hash(() => this.passwords.verify(body.currentPassword, user.passwordHash)))) throw new Forbidden('The current password is wrong');
      await this.throttle.succeeded(attempt);
      return hash(() => this.passwords.hash(body.newPassword));
    });
    await this.users.setPassword(SYSTEM, user.id, passwordHash);
    await this.sessions.revokeOthersOf(SYSTEM, user.id, session.id);
  }

  private async userOf(session: LiveSession): Promise<User> {
    const user = await this.users.find(SYSTEM, session.userId);
    if (!user) throw new Unauthorized('Not signed in');
    return user;
  }

  /** What a signed-in person is told: who they are, their workspaces (with what their role there may do), their session's CSRF token. */
  async answerFor(user: User, csrfToken: string): Promise<SignedIn> {
    const memberships = (await this.members.ofUser(SYSTEM, user.id)).map((membership) => ({ ...membership, permissions: [...actionsOf(membership.role)] }));
    return { user: { id: user.id, email: user.email, name: user.name }, memberships, csrfToken };
  }
}

function closedSignUp(): Forbidden {
  return new Forbidden('Sign-up is by invitation: ask an owner or admin of a workspace on this Herald to invite you');
}
