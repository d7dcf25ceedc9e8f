/**
 * Password reset by email. A request always answers the same (202), whether
 * or not anyone has the email; when someone does, a single-use token valid
 * for RESET_TOKEN_TTL is made (only its SHA-256 kept) and sent to them, as a
 * link to the web app's page. Confirming sets the new password, uses the
 * token (and every other of the person's) up, ends every session of the
 * person and clears their sign-in throttle (the account's, and that of the
 * address the reset came from). Requests are counted per email and per
 * client address before anything is looked up or sent (RESET_LIMIT in
 * RESET_WINDOW_MS each, see AttemptCounter); the new password's hash runs in
 * one of HashSlots' slots.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { PasswordResetsRepository, SYSTEM, SessionsRepository, UsersRepository, inTransaction } from '@herald/db';
import { Gone, NotFound } from '../common/problems';
import { AttemptCounter } from './attempt-counter';
import { HashSlots } from './hash-slots';
import { Mailer } from './mailer';
import { PasswordHasher, checkNewPassword } from './passwords';
import { SIGN_IN_WINDOW_MS, SignInThrottle, digest } from './sign-in-throttle';

export const RESET_LIMIT = 5;
/** The sign-in throttle's window (its counts share a table and are pruned alike). */
export const RESET_WINDOW_MS = SIGN_IN_WINDOW_MS;
/** The web app's page that takes the token (from the fragment, which no server or log ever sees). */
export const RESET_PAGE = '/reset-password';
const PRUNE_EVERY_MS = 10 * 60_000;

@Injectable()
export class PasswordResetService {
  private prunedAt = 0;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly sessions: SessionsRepository,
    private readonly counter: AttemptCounter,
    private readonly passwords: PasswordHasher,
    private readonly slots: HashSlots,
    private readonly throttle: SignInThrottle,
    private readonly mailer: Mailer,
  ) {}

  /** Makes and sends a reset for the email's account, if there is one; the same answer either way. */
  async request(email: string, address: string | undefined): Promise<void> {
    const coolOffMs = (requests: number) => (requests >= RESET_LIMIT ? RESET_WINDOW_MS : undefined);
    await this.counter.count(
      [
        { subject: { kind: 'reset_account', hash: digest(`reset_account:${email.toLowerCase()}`) }, coolOffMs },
        { subject: { kind: 'reset_address', hash: digest(`reset_address:${address ?? 'unknown'}`) }, coolOffMs },
      ],
      RESET_WINDOW_MS,
      'Too many password-reset requests: try again later',
    );
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await this.resets.prune(SYSTEM);
    }
    const user = await this.users.findByEmail(SYSTEM, email);
    if (!user) return;
    const token = randomBytes(32).toString('base64url');
    const { id } = await this.resets.insert(SYSTEM, { userId: user.id, tokenHash: digest(token), lifetimeMs: this.config.auth.resetTokenTtlMs });
    const link = `${this.config.publicUrl}${RESET_PAGE}#token=${token}`;
    const minutes = Math.round(this.config.auth.resetTokenTtlMs / 60_000);
    // Sent after the answer: how long the mail server takes must not tell who has an account.
    void this.mailer.send(
      {
        to: user.email,
        subject: 'Reset your Herald password',
        text: `Someone (we hope you) asked to reset the password of your Herald account.\n\nSet a new one here, within ${minutes} minutes:\n${link}\n\nIf it was not you, ignore this email: your password stays as it is.\n`,
      },
      { resetId: id },
    );
  }

  /** Sets the password the token allows; 404 for a token never issued, 410 for one used or expired. */
  async confirm(token: string, password: string, address: string | undefined): Promise<void> {
    checkNewPassword('password', password);
    const tokenHash = digest(token);
    const reset = await this.resets.find(SYSTEM, tokenHash);
    if (!reset) throw new NotFound('Password reset', '(this token)');
    if (reset.usedAt || reset.expired) throw gone(reset.usedAt !== null);
    const passwordHash = await this.slots.run({ account: reset.userId, address }, 'password_reset', (hash) => hash(() => this.passwords.hash(password)));
    const userId = await inTransaction(this.dataSource, async (tx) => {
      const owner = await this.resets.take(SYSTEM, tokenHash, tx);
      if (!owner) throw gone(true);
      await this.users.setPassword(SYSTEM, owner, passwordHash, tx);
      await this.resets.useUpAllOf(SYSTEM, owner, tx);
      await this.sessions.revokeAllOf(SYSTEM, owner, tx);
      return owner;
    });
    const user = await this.users.find(SYSTEM, userId);
    if (user) await this.throttle.cleared(this.throttle.subjects(user.email, address));
  }
}

function gone(used: boolean): Gone {
  return new Gone(used ? 'This password-reset link was already used: ask for a new one' : 'This password-reset link has expired: ask for a new one');
}
