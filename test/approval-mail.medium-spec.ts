/**
 * Approvals by email where SMTP_URL is set: a contributor's post submitted
 * for approval emails the owner, admins and editors (each once, however many
 * sweeps run), never the contributor, nor a viewer; the email says who asks,
 * in which workspace, quotes the text and links to the approvals page. A post
 * decided before its notice went out is not mailed about, and a post an
 * editor schedules directly mails no one.
 */
import { ApprovalNoticesRepository, SYSTEM } from '../libs/db/src';
import { sleep, waitFor } from './support/http';
import { Person, addMember, as, signUp } from './support/people';
import { InProcessStack } from './support/in-process';
import { SmtpServer } from './support/smtp-server';
import { APPROVER_ROLES, ApprovalMail } from '../apps/api/src/posts/approval-mail';

/** The message's text as written (quoted-printable undone). */
const flat = (data: string) => data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('approval emails', () => {
  let stack: InProcessStack;
  let smtp: SmtpServer;
  let owner: Person;
  let editor: Person;
  let contributor: Person;
  let viewer: Person;
  let channelId: string;

  beforeAll(async () => {
    smtp = await SmtpServer.start();
    stack = await InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true', SMTP_URL: smtp.url, SMTP_FROM: 'Herald <herald@acme.example>' } });
    owner = await signUp(stack, 'Olive');
    [editor, contributor, viewer] = [await signUp(stack, 'Eddie'), await signUp(stack, 'Cora'), await signUp(stack, 'Vic')];
    await addMember(stack, owner.workspaceId, editor, 'editor');
    await addMember(stack, owner.workspaceId, contributor, 'contributor');
    await addMember(stack, owner.workspaceId, viewer, 'viewer');
    const key = await as(stack, owner)('POST', '/v1/api-keys', { name: 'setup', role: 'admin' });
    channelId = (await stack.channel(key.body.key, { network: 'mastodon', handle: `mailed_${Date.now().toString(36)}` })).id;
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  const mailsTo = (person: Person) => smtp.received.filter((mail) => mail.to.some((to) => to.includes(person.email)));

  it("emails each approver once when a contributor submits a post, saying who asks and linking to the approvals page", async () => {
    const text = 'Our spring launch: doors open at 9, coffee is on us.';
    const created = await as(stack, contributor, owner.workspaceId)('POST', '/v1/posts', { text, channelIds: [channelId], schedule: { mode: 'queue' } });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending_approval');

    const [toOwner, toEditor] = await Promise.all([
      waitFor('the owner\'s email', async () => mailsTo(owner)[0]),
      waitFor('the editor\'s email', async () => mailsTo(editor)[0]),
    ]);
    for (const mail of [toOwner, toEditor]) {
      const message = flat(mail.data);
      expect(message).toMatch(/Subject: A post waits for your approval in /);
      expect(message).toContain('Cora submitted a post for approval in');
      expect(message).toContain(`> ${text}`);
      expect(message).toContain(`${stack.apiUrl}/approvals`);
      expect(mail.from).toContain('herald@acme.example');
    }
    // Sweeps after it send nothing more; the contributor and the viewer got nothing. The emails may have arrived
    // before the sweep that sent them ended (a call meanwhile answers that sweep's count): it is let finish first.
    const mail = stack.apiApp!.context.get(ApprovalMail);
    await mail.sweep();
    expect(await mail.sweep()).toBe(0);
    await sleep(300);
    expect([mailsTo(owner).length, mailsTo(editor).length, mailsTo(contributor).length, mailsTo(viewer).length]).toEqual([1, 1, 0, 0]);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM approval_notices WHERE post_id = $1 AND sent_at IS NOT NULL`, [created.body.id]);
    expect(rows[0].n).toBe(1);
  });

  it('mails no one about a post an editor schedules directly, nor about one approved before its notice went out', async () => {
    const before = smtp.received.length;
    const direct = await as(stack, editor, owner.workspaceId)('POST', '/v1/posts', { text: 'Scheduled by an editor', channelIds: [channelId], schedule: { mode: 'queue' } });
    expect(direct.body.status).toBe('scheduled');

    // A submission whose notice is still unsent when it is approved (the notice written as the submission would, then decided).
    const submitted = await as(stack, contributor, owner.workspaceId)('POST', '/v1/posts', { text: 'Approved in a hurry', channelIds: [channelId], schedule: { mode: 'queue' } });
    expect(submitted.body.status).toBe('pending_approval');
    await waitFor('the submission\'s emails', async () => (smtp.received.length >= before + 2 ? true : undefined));
    const counted = smtp.received.length;
    await stack.db.query(`INSERT INTO approval_notices (workspace_id, post_id, submitted_by) VALUES ($1, $2, $3)`, [owner.workspaceId, submitted.body.id, contributor.userId]);
    expect((await as(stack, owner)('POST', `/v1/posts/${submitted.body.id}/approve`, {})).status).toBe(200);
    expect(await stack.apiApp!.context.get(ApprovalMail).sweep()).toBe(0);
    await sleep(300);
    expect(smtp.received.length).toBe(counted);
    // Taken all the same: nothing is left to send.
    expect(await stack.apiApp!.context.get(ApprovalNoticesRepository).take(SYSTEM, 10, APPROVER_ROLES)).toEqual([]);
  });

  it('records no notice where no email goes out (no SMTP_URL)', async () => {
    const quiet = await InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true' } });
    try {
      const boss = await signUp(quiet, 'Bea');
      const helper = await signUp(quiet, 'Cal');
      await addMember(quiet, boss.workspaceId, helper, 'contributor');
      const key = await as(quiet, boss)('POST', '/v1/api-keys', { name: 'setup', role: 'admin' });
      const channel = await quiet.channel(key.body.key, { network: 'mastodon', handle: `quiet_${Date.now().toString(36)}` });
      const created = await as(quiet, helper, boss.workspaceId)('POST', '/v1/posts', { text: 'No mail here', channelIds: [channel.id], schedule: { mode: 'queue' } });
      expect(created.body.status).toBe('pending_approval');
      const { rows } = await quiet.db.query(`SELECT count(*)::int AS n FROM approval_notices`);
      expect(rows[0].n).toBe(0);
    } finally {
      await quiet.stop();
    }
  });
});
