import { Logger } from '@nestjs/common';
import { HeraldConfig, loadConfig } from '@herald/config';
import { Mailer } from './mailer';

const LINK = 'http://127.0.0.1:3000/reset-password#token=ZmFrZS10b2tlbi10aGF0LWlzLTQzLWNoYXJhY3RlcnMtbG9uZw';
const EMAIL = { to: 'ada@example.com', subject: 'Reset your Herald password', text: `Set a new one here:\n${LINK}\n`, link: LINK };

function configFor(nodeEnv: string): HeraldConfig {
  return loadConfig({ NODE_ENV: nodeEnv, HERALD_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), HERALD_ADMIN_TOKEN: 'a-token-long-enough-for-production' });
}

/** Everything the mailer says, through its logger and on the console, while it sends EMAIL without SMTP_URL. */
async function sendWithoutSmtp(nodeEnv: string): Promise<{ logged: string; printed: string[] }> {
  const calls: unknown[][] = [];
  const spies = (['log', 'warn', 'error', 'debug', 'verbose'] as const).map((level) => jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void calls.push(args)));
  const mailer = new Mailer(configFor(nodeEnv));
  const printed: string[] = [];
  mailer.printToConsole = (text) => void printed.push(text);
  try {
    await mailer.send(EMAIL, { resetId: 'reset-1' });
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return { logged: JSON.stringify(calls), printed };
}

describe('an email without SMTP_URL', () => {
  it('in production: says in the log that it was not sent, never its link or token, and prints nothing', async () => {
    const { logged, printed } = await sendWithoutSmtp('production');
    expect(logged).toContain('SMTP_URL is not set');
    expect(logged).toContain('reset-1');
    expect(logged).not.toContain('token=');
    expect(logged).not.toContain(LINK.split('#token=')[1]);
    expect(logged).not.toContain('ada@example.com');
    expect(printed).toEqual([]);
  });

  it('in development: prints the link once on the console, plainly, and logs nothing with it', async () => {
    const { logged, printed } = await sendWithoutSmtp('development');
    expect(printed).toHaveLength(1);
    expect(printed[0]!.split(LINK)).toHaveLength(2);
    expect(printed[0]).toContain('Email not sent (SMTP_URL is not set)');
    expect(printed[0]).toContain('ada@example.com');
    expect(printed[0]).not.toContain('{');
    expect(logged).not.toContain(LINK.split('#token=')[1]);
  });
});
