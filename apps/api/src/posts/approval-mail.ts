/**
 * Email to the people who may approve, when a post is submitted for
 * approval, where email goes out at all (SMTP_URL set). A notice is recorded
 * in the submission's transaction (`approval_notices`, an outbox); after the
 * commit this sweep sends it, and a timer every few seconds sends any a
 * crash or a mail server's hiccup left. Each notice is taken once, by one API
 * instance, before it is sent: an email is sent at most once (a crash
 * between taking and sending loses it, never doubles it). A post approved,
 * rejected or withdrawn before its notice goes out is not mailed about.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ApprovalNotice, ApprovalNoticesRepository, Executor, SYSTEM, Tenant } from '@herald/db';
import { ROLES, ROLE_ACTIONS } from '../access';
import { Mailer } from '../people';

/** The roles that may approve a post: who is emailed. */
export const APPROVER_ROLES = ROLES.filter((role) => ROLE_ACTIONS[role].includes('posts.approve'));

const SWEEP_EVERY_MS = 5000;
const TAKE = 50;
const EXCERPT = 280;

@Injectable()
export class ApprovalMail implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ApprovalMail.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
  private again = false;
  /** Notices recorded by this process since its last sweep began (their transactions may yet roll back). */
  private recorded = 0;

  constructor(
    private readonly notices: ApprovalNoticesRepository,
    private readonly mailer: Mailer,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.mailer.sends) return;
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** In the submission's transaction: a notice per post submitted (none where no email goes out). */
  async record(tenant: Tenant, postIds: string[], submittedBy: string | null, tx: Executor): Promise<void> {
    if (!this.mailer.sends || postIds.length === 0) return;
    await this.notices.record(tenant, postIds, submittedBy, tx);
    this.recorded += postIds.length;
  }

  /** After a post change commits: sends the notices it recorded now rather than at the next tick. Never throws. */
  wake(): void {
    if (this.recorded > 0) void this.sweep();
  }

  /** Sends every unsent notice, a batch at a time; one sweep at a time in this process (a wake meanwhile runs one more). Answers how many emails went. */
  sweep(): Promise<number> {
    if (this.sweeping) {
      this.again = true;
      return this.sweeping;
    }
    this.sweeping = this.drain()
      .catch((error: unknown) => {
        this.logger.warn({ msg: 'approval emails: the sweep failed; the next one tries again', error: String(error) });
        return 0;
      })
      .finally(() => {
        this.sweeping = undefined;
        if (this.again) {
          this.again = false;
          void this.sweep();
        }
      });
    return this.sweeping;
  }

  private async drain(): Promise<number> {
    this.recorded = 0;
    let sent = 0;
    for (;;) {
      const taken = await this.notices.take(SYSTEM, TAKE, APPROVER_ROLES);
      for (const notice of taken) sent += await this.send(notice);
      if (taken.length < TAKE) return sent;
    }
  }

  private async send(notice: ApprovalNotice): Promise<number> {
    if (notice.status !== 'pending_approval' || notice.approvers.length === 0) return 0;
    const link = `${this.config.publicUrl}/approvals`;
    const who = notice.submitter ? notice.submitter.name || notice.submitter.email : 'An API key';
    const text = notice.text.length > EXCERPT ? `${notice.text.slice(0, EXCERPT - 1)}…` : notice.text;
    await Promise.all(
      notice.approvers.map((to) =>
        this.mailer.send(
          {
            to,
            subject: `A post waits for your approval in ${notice.workspaceName}`,
            text: `${who} submitted a post for approval in ${notice.workspaceName}:\n\n${quote(text)}\n\nReview it, approve it or send it back with a note:\n${link}\n`,
            link,
          },
          { msg: 'approval email', postId: notice.postId, workspaceId: notice.workspaceId },
        ),
      ),
    );
    return notice.approvers.length;
  }
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
