/**
 * Email Herald sends (password resets, invitations), through SMTP with nodemailer when
 * SMTP_URL is set. Without it nothing is sent: outside production the
 * message's link is printed once on the console, plainly, for the developer
 * at the terminal (and never in a log line); in production only the fact
 * that it could not be sent is logged, never the link.
 */
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';

export interface Email {
  to: string;
  subject: string;
  text: string;
  /** The link the email carries (a reset's, an invitation's): what the console shows when no email goes out. */
  link: string;
}

/** Where an unsent email's link is shown outside production: stdout, not a log. */
export type ConsoleWriter = (text: string) => void;

@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport?: Transporter;

  /** Replaced only by tests. */
  printToConsole: ConsoleWriter = (text) => void process.stdout.write(text);

  constructor(@Inject(HERALD_CONFIG) private readonly config: HeraldConfig) {
    const { smtpUrl } = config.auth.mail;
    if (smtpUrl) this.transport = createTransport(smtpUrl);
  }

  /** Whether email goes out at all (SMTP_URL is set): else a link must be handed over some other way. */
  get sends(): boolean {
    return this.transport !== undefined;
  }

  /** Sends `email`; never throws (the caller's answer must not depend on the mail server). */
  async send(email: Email, logWithout: Record<string, unknown>): Promise<void> {
    if (!this.transport) {
      if (this.config.nodeEnv === 'production') this.logger.warn({ ...logWithout, subject: email.subject }, 'An email could not be sent: SMTP_URL is not set');
      else this.printToConsole(unsentEmail(email));
      return;
    }
    try {
      await this.transport.sendMail({ from: this.config.auth.mail.from, to: email.to, subject: email.subject, text: email.text });
    } catch (error) {
      this.logger.error({ ...logWithout, subject: email.subject, error: (error as Error).message }, 'An email could not be sent');
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

/** An unsent email as the console shows it: who it was for, what, and its link, set apart from the log lines around it. */
export function unsentEmail(email: Email): string {
  return [
    '',
    `  ✉ Email not sent (SMTP_URL is not set): "${email.subject}" for ${email.to}`,
    `    ${email.link}`,
    '    (printed here because this is not production; set SMTP_URL to send it)',
    '',
    '',
  ].join('\n');
}
