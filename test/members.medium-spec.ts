/**
 * Teams: invitations (single-use, expiring, hashed; accepted by signing up
 * or, signed in, by adding the workspace), members and their roles (no role
 * above one's own, always an owner, a removed member refused at once), API
 * keys with roles, password reset by a single-use token (logged without
 * SMTP, emailed with it), the audit log, and a member of one workspace
 * finding nothing of another's, by any verb.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HttpAnswer, http, sleep, waitFor } from './support/http';
import { image, upload } from './support/media-files';
import { SmtpServer } from './support/smtp-server';
import { ROLE_ACTIONS } from '../apps/api/src/access/permissions';
import { InProcessStack } from './support/in-process';

const PASSWORD = 'a team passphrase';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Person {
  email: string;
  userId: string;
  cookie: string;
  csrfToken: string;
}

let nextAddress = 0;
const address = () => `10.71.${Math.floor(++nextAddress / 250)}.${nextAddress % 250}`;
const cookieOf = (answer: HttpAnswer) => answer.headers.getSetCookie().find((line) => line.startsWith('herald_session='))?.split(';')[0];
const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`;

describe('teams', () => {
  let stack: InProcessStack;
  let owner: Person;
  let workspaceId: string;
  const url = (path: string) => `${stack.apiUrl}${path}`;

  /** A request as a person, in a workspace (theirs by default), with their CSRF token. */
  const as =
    (person: Person, workspace: string | undefined = workspaceId) =>
    (method: string, path: string, body?: unknown) =>
      http(method, url(path), {
        body,
        headers: { cookie: person.cookie, 'x-csrf-token': person.csrfToken, 'x-forwarded-for': address(), ...(workspace ? { 'x-herald-workspace': workspace } : {}) },
      });

  async function signIn(email: string, password = PASSWORD): Promise<HttpAnswer> {
    return http('POST', url('/v1/auth/sign-in'), { body: { email, password }, headers: { 'x-forwarded-for': address() } });
  }

  function personFrom(answer: HttpAnswer, email: string): Person {
    if (answer.status !== 200 && answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return { email, userId: answer.body.user.id, cookie: cookieOf(answer)!, csrfToken: answer.body.csrfToken };
  }

  /** Invites `email` as `role` (as `by`, in their workspace) and accepts it by signing up. */
  async function join(role: string, by: Person = owner, workspace = workspaceId, email = unique(role)): Promise<Person> {
    const invited = await as(by, workspace)('POST', '/v1/invitations', { email, role });
    if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.body)}`);
    const accepted = await http('POST', url('/v1/invitations/accept'), { body: { token: invited.body.token, password: PASSWORD, name: role } });
    return personFrom(accepted, email);
  }

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    const email = unique('owner');
    const signedUp = await http('POST', url('/v1/auth/sign-up'), { body: { email, password: PASSWORD, name: 'Olive', workspaceName: 'Acme' } });
    owner = personFrom(signedUp, email);
    workspaceId = signedUp.body.memberships[0].workspaceId;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('invitations', () => {
    it('gives a single-use link whose token is shown once and stored hashed; accepting it without a session signs the person up', async () => {
      const email = unique('Grace');
      const invited = await as(owner)('POST', '/v1/invitations', { email, role: 'editor' });
      expect(invited.status).toBe(201);
      expect(invited.headers.get('cache-control')).toBe('no-store');
      const { token } = invited.body;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(invited.body).toEqual({
        id: expect.any(String),
        email,
        role: 'editor',
        invitedBy: { kind: 'user', id: owner.userId },
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        token,
        url: `${stack.apiUrl}/accept-invitation#token=${token}`,
        // No SMTP_URL here: the inviter hands the link over.
        emailed: false,
      });
      // Valid for INVITATION_TTL (7 days by default).
      expect(Date.parse(invited.body.expiresAt) - Date.parse(invited.body.createdAt)).toBe(7 * 86_400_000);
      const [row] = (await stack.db.query('SELECT row_to_json(i)::text AS row, token_hash FROM invitations i WHERE id = $1', [invited.body.id])).rows;
      expect(row.token_hash).toBe(sha256(token));
      expect(row.row).not.toContain(token);
      const listed = await as(owner)('GET', '/v1/invitations');
      expect(listed.body.data.find((entry: { id: string }) => entry.id === invited.body.id)).toEqual({ ...invited.body, token: undefined, url: undefined, emailed: undefined });
      expect(JSON.stringify(listed.body)).not.toContain(token);
      // The token never reaches a log, even in the preview's path.
      const preview = await http('GET', url(`/v1/invitations/preview/${token}`));
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ workspaceName: 'Acme', email, role: 'editor', expiresAt: invited.body.expiresAt });
      await sleep(200);
      expect(stack.log.join('\n')).not.toContain(token);

      expect((await http('POST', url('/v1/invitations/accept'), { body: { token } })).status).toBe(422);
      const short = await http('POST', url('/v1/invitations/accept'), { body: { token, password: 'short' } });
      expect(short.status).toBe(422);
      expect(short.body.errors).toEqual([{ path: 'password', message: 'must be at least 10 characters long' }]);
      const accepted = await http('POST', url('/v1/invitations/accept'), { body: { token, password: PASSWORD, name: 'Grace' } });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toEqual({
        workspaceId,
        user: { id: expect.any(String), email, name: 'Grace' },
        memberships: [{ workspaceId, name: 'Acme', role: 'editor', permissions: [...ROLE_ACTIONS.editor] }],
        csrfToken: expect.any(String),
      });
      const grace = personFrom(accepted, email);
      expect((await as(grace)('GET', '/v1/posts')).status).toBe(200);
      expect((await signIn(email.toUpperCase())).status).toBe(200);

      // Used: refused, whether previewed or accepted again; the listing no longer has it.
      for (const answer of [await http('GET', url(`/v1/invitations/preview/${token}`)), await http('POST', url('/v1/invitations/accept'), { body: { token, password: PASSWORD } })]) {
        expect(answer.status).toBe(410);
        expect(answer.body.detail).toMatch(/already used/);
      }
      expect((await as(owner)('GET', '/v1/invitations')).body.data.map((entry: { id: string }) => entry.id)).not.toContain(invited.body.id);
      // Sign-up itself stays closed: invitations are the way in.
      expect((await http('POST', url('/v1/auth/sign-up'), { body: { email: unique('late'), password: PASSWORD } })).status).toBe(403);
    });

    it('refuses a revoked, replaced, expired or unknown token; accepting at once twice makes one member', async () => {
      const email = unique('refused');
      const first = await as(owner)('POST', '/v1/invitations', { email, role: 'viewer' });
      const second = await as(owner)('POST', '/v1/invitations', { email: email.toUpperCase(), role: 'viewer' });
      const replaced = await http('POST', url('/v1/invitations/accept'), { body: { token: first.body.token, password: PASSWORD } });
      expect(replaced.status).toBe(410);
      expect(replaced.body.detail).toMatch(/revoked/);
      expect((await as(owner)('DELETE', `/v1/invitations/${second.body.id}`)).status).toBe(204);
      expect((await as(owner)('DELETE', `/v1/invitations/${second.body.id}`)).status).toBe(404);
      expect((await http('GET', url(`/v1/invitations/preview/${second.body.token}`))).status).toBe(410);

      const third = await as(owner)('POST', '/v1/invitations', { email, role: 'viewer' });
      await stack.db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [third.body.id]);
      const expired = await http('POST', url('/v1/invitations/accept'), { body: { token: third.body.token, password: PASSWORD } });
      expect(expired.status).toBe(410);
      expect(expired.body.detail).toMatch(/expired/);
      expect((await http('POST', url('/v1/invitations/accept'), { body: { token: randomBytes(32).toString('base64url'), password: PASSWORD } })).status).toBe(404);
      expect((await http('GET', url('/v1/invitations/not%20a%20token'))).status).toBe(404);
      expect((await stack.db.query('SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)', [email])).rows[0].n).toBe(0);

      const race = await as(owner)('POST', '/v1/invitations', { email, role: 'viewer' });
      const answers = await Promise.all([1, 2, 3].map(() => http('POST', url('/v1/invitations/accept'), { body: { token: race.body.token, password: PASSWORD } })));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status !== 200).every((answer) => answer.status === 409 || answer.status === 410)).toBe(true);
      expect((await stack.db.query('SELECT count(*)::int AS n FROM members m JOIN users u ON u.id = m.user_id WHERE lower(u.email) = lower($1)', [email])).rows[0].n).toBe(1);
    });

    it('asks a person with an account to sign in first; signed in, adds the workspace if the emails match', async () => {
      const other = await newWorkspaceOwner('Globex');
      const invited = await as(owner)('POST', '/v1/invitations', { email: other.person.email.toUpperCase(), role: 'contributor' });
      const anonymous = await http('POST', url('/v1/invitations/accept'), { body: { token: invited.body.token, password: PASSWORD } });
      expect(anonymous.status).toBe(409);
      expect(anonymous.body.detail).toMatch(/sign in first/);
      // Signed in as someone else: refused, naming both.
      const wrongPerson = await as(owner, undefined)('POST', '/v1/invitations/accept', { token: invited.body.token });
      expect(wrongPerson.status).toBe(403);
      expect(wrongPerson.body.detail).toContain(owner.email);
      // Without the CSRF token, a signed-in acceptance is refused like any signed-in change.
      const noCsrf = await http('POST', url('/v1/invitations/accept'), { body: { token: invited.body.token }, headers: { cookie: other.person.cookie } });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body.detail).toMatch(/CSRF/);
      const accepted = await as(other.person, undefined)('POST', '/v1/invitations/accept', { token: invited.body.token });
      expect(accepted.status).toBe(200);
      expect(accepted.headers.getSetCookie()).toEqual([]);
      expect(accepted.body.memberships).toEqual(
        expect.arrayContaining([
          { workspaceId: other.workspaceId, name: 'Globex', role: 'owner', permissions: [...ROLE_ACTIONS.owner] },
          { workspaceId, name: 'Acme', role: 'contributor', permissions: [...ROLE_ACTIONS.contributor] },
        ]),
      );
      expect((await as(other.person, workspaceId)('GET', '/v1/posts')).status).toBe(200);
      // Already a member: a new invitation for them is a 409.
      expect((await as(owner)('POST', '/v1/invitations', { email: other.person.email, role: 'viewer' })).status).toBe(409);
    });

    it('holds invitations to the inviter\'s role: an admin may not invite an owner; bad bodies are 400', async () => {
      const admin = await join('admin');
      const refused = await as(admin)('POST', '/v1/invitations', { email: unique('boss'), role: 'owner' });
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/admin.*owner/);
      expect((await as(admin)('POST', '/v1/invitations', { email: unique('peer'), role: 'admin' })).status).toBe(201);
      expect((await as(admin)('POST', '/v1/invitations', { email: 'not an email', role: 'viewer' })).status).toBe(400);
      expect((await as(admin)('POST', '/v1/invitations', { email: unique('x'), role: 'king' })).status).toBe(400);
      const editor = await join('editor');
      const byEditor = await as(editor)('POST', '/v1/invitations', { email: unique('y'), role: 'viewer' });
      expect(byEditor.status).toBe(403);
      expect(byEditor.body.detail).toMatch(/it needs admin or above/);
    });
  });

  describe('members', () => {
    it('lists members; no role above one\'s own is given or taken; the last owner stays', async () => {
      const admin = await join('admin');
      const editor = await join('editor');
      const listed = await as(editor)('GET', '/v1/members?limit=100');
      expect(listed.status).toBe(200);
      expect(listed.body.data[0]).toEqual({ userId: owner.userId, email: owner.email, name: 'Olive', role: 'owner', joinedAt: expect.any(String) });
      expect(listed.body.data).toContainEqual({ userId: editor.userId, email: editor.email, name: 'editor', role: 'editor', joinedAt: expect.any(String) });
      const page = await as(editor)('GET', '/v1/members?limit=1');
      expect(page.body.data).toHaveLength(1);
      const next = await as(editor)('GET', `/v1/members?limit=1&cursor=${page.body.nextCursor}`);
      expect(next.body.data[0].userId).not.toBe(owner.userId);

      expect((await as(editor)('PATCH', `/v1/members/${admin.userId}`, { role: 'viewer' })).status).toBe(403);
      for (const [method, body] of [['PATCH', { role: 'viewer' }], ['DELETE', undefined]] as const) {
        const answer = await as(admin)(method, `/v1/members/${owner.userId}`, body);
        expect(answer.status).toBe(403);
        expect(answer.body.detail).toMatch(/owner/);
      }
      expect((await as(admin)('PATCH', `/v1/members/${editor.userId}`, { role: 'owner' })).status).toBe(403);
      expect((await as(admin)('PATCH', `/v1/members/${editor.userId}`, { role: 'nobody' })).status).toBe(400);
      expect((await as(admin)('PATCH', `/v1/members/${randomUUID()}`, { role: 'viewer' })).status).toBe(404);

      // The last owner: neither demoted nor removed (409), by themselves either.
      const lone = await newWorkspaceOwner('Lone');
      const demote = await as(lone.person, lone.workspaceId)('PATCH', `/v1/members/${lone.person.userId}`, { role: 'admin' });
      expect(demote.status).toBe(409);
      expect(demote.body.detail).toMatch(/last owner/);
      expect((await as(lone.person, lone.workspaceId)('DELETE', `/v1/members/${lone.person.userId}`)).status).toBe(409);
      // With a second owner, one may step down; two owners demoting each other at once leave one.
      const second = await join('admin', lone.person, lone.workspaceId);
      expect((await as(lone.person, lone.workspaceId)('PATCH', `/v1/members/${second.userId}`, { role: 'owner' })).body.role).toBe('owner');
      const both = await Promise.all([
        as(lone.person, lone.workspaceId)('PATCH', `/v1/members/${second.userId}`, { role: 'admin' }),
        as(second, lone.workspaceId)('PATCH', `/v1/members/${lone.person.userId}`, { role: 'admin' }),
      ]);
      // The second is refused: as the last owner (409), or, when its own demotion came first, as an admin (403).
      const [won, lost] = both.map((answer) => answer.status).sort();
      expect(won).toBe(200);
      expect([403, 409]).toContain(lost);
      expect((await stack.db.query(`SELECT count(*)::int AS n FROM members WHERE workspace_id = $1 AND role = 'owner'`, [lone.workspaceId])).rows[0].n).toBe(1);
    });

    it('judges a member by their new role at their next request, and refuses a removed member at once', async () => {
      const editor = await join('editor');
      const channelId = await channelIn(owner, 'judged');
      const draft = { text: 'a draft', channelIds: [channelId], schedule: { mode: 'draft' } };
      expect((await as(editor)('POST', '/v1/posts', draft)).status).toBe(201);
      expect((await as(owner)('PATCH', `/v1/members/${editor.userId}`, { role: 'viewer' })).status).toBe(200);
      const refused = await as(editor)('POST', '/v1/posts', draft);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/viewer/);

      expect((await as(owner)('DELETE', `/v1/members/${editor.userId}`)).status).toBe(204);
      for (const [method, path] of [['GET', '/v1/posts'], ['GET', '/v1/members'], ['POST', '/v1/posts']] as const) {
        expect((await as(editor)(method, path, method === 'POST' ? draft : undefined)).status).toBe(404);
      }
      // Still signed in (they may belong elsewhere), with no workspace left.
      const me = await as(editor, undefined)('GET', '/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.memberships).toEqual([]);
      expect((await as(owner)('DELETE', `/v1/members/${editor.userId}`)).status).toBe(404);
    });

    it('lets anyone leave by removing themselves, whatever their role, but never the last owner; leaving is in the audit log', async () => {
      const viewer = await join('viewer');
      const other = await join('contributor');
      // A viewer may not remove someone else...
      const refused = await as(viewer)('DELETE', `/v1/members/${other.userId}`);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/it needs admin or above/);
      // ...but may leave.
      expect((await as(viewer)('DELETE', `/v1/members/${viewer.userId}`)).status).toBe(204);
      expect((await as(viewer)('GET', '/v1/posts')).status).toBe(404);
      expect((await as(viewer, undefined)('GET', '/v1/auth/me')).body.memberships).toEqual([]);
      const left = (await as(owner)('GET', '/v1/audit')).body.data.find((event: { action: string; subject: { id: string } }) => event.action === 'member.left' && event.subject.id === viewer.userId);
      expect(left).toMatchObject({ actor: { kind: 'user', id: viewer.userId }, details: { email: viewer.email, role: 'viewer' } });
      expect((await as(owner)('GET', '/v1/members')).body.data.map((member: { userId: string }) => member.userId)).not.toContain(viewer.userId);

      // The last owner may not leave; once there is another owner, they may.
      const stuck = await as(owner)('DELETE', `/v1/members/${owner.userId}`);
      expect(stuck.status).toBe(409);
      expect(stuck.body.detail).toMatch(/last owner and cannot leave/);
      const second = await join('owner');
      expect((await as(second)('DELETE', `/v1/members/${second.userId}`)).status).toBe(204);
      expect((await as(second)('GET', '/v1/members')).status).toBe(404);
      // Removing someone else stays the managers' (here the owner's).
      expect((await as(owner)('DELETE', `/v1/members/${other.userId}`)).status).toBe(204);
    });
  });

  describe('API keys', () => {
    it('makes editor keys by default, never a key above its maker, and the operator\'s first key is admin', async () => {
      const bootstrap = await stack.workspace('keys');
      const keys = await http('GET', url('/v1/api-keys'), { token: bootstrap.apiKey });
      expect(keys.body.data).toEqual([expect.objectContaining({ name: 'default', role: 'admin' })]);
      const made = await http('POST', url('/v1/api-keys'), { token: bootstrap.apiKey, body: { name: 'ci' } });
      expect(made.status).toBe(201);
      expect(made.body.role).toBe('editor');
      const editorKey = made.body.key as string;
      // An editor key writes posts and reads, but manages no channel, webhook or key.
      expect((await http('GET', url('/v1/channels'), { token: editorKey })).status).toBe(200);
      for (const [method, path, body] of [
        ['POST', '/v1/webhooks', { url: 'https://hooks.example.com/x' }],
        ['POST', '/v1/channels/connect', { network: 'x', redirectUri: 'https://app.example.com/cb' }],
        ['POST', '/v1/api-keys', { name: 'mine' }],
      ] as const) {
        const answer = await http(method, url(path), { token: editorKey, body });
        expect(answer.status).toBe(403);
        expect(answer.body.detail).toMatch(/editor.*it needs admin or above/);
      }
      const viewerKey = (await http('POST', url('/v1/api-keys'), { token: bootstrap.apiKey, body: { name: 'dashboard', role: 'viewer' } })).body.key;
      expect((await http('POST', url('/v1/posts'), { token: viewerKey, body: { text: 'x', channelIds: [randomUUID()], schedule: { mode: 'draft' } } })).status).toBe(403);
      expect((await http('POST', url('/v1/api-keys'), { token: bootstrap.apiKey, body: { name: 'boss', role: 'owner' } })).status).toBe(400);
      expect((await http('POST', url('/v1/api-keys'), { token: bootstrap.apiKey, body: { name: 'admin', role: 'admin' } })).body.role).toBe('admin');
      // A person's key: never above the person's role.
      const admin = await join('admin');
      expect((await as(admin)('POST', '/v1/api-keys', { name: 'mine', role: 'admin' })).status).toBe(201);
      expect((await stack.db.query(`SELECT role FROM api_keys WHERE workspace_id = $1 ORDER BY created_at`, [bootstrap.id])).rows.map((row: { role: string }) => row.role)).toEqual([
        'admin',
        'editor',
        'viewer',
        'admin',
      ]);
    });

    it('lets the operator\'s key invite a workspace\'s first owner, and only while it has none', async () => {
      const bootstrap = await stack.workspace('ownerless');
      const email = unique('first-owner');
      const invited = await http('POST', url('/v1/invitations'), { token: bootstrap.apiKey, body: { email, role: 'owner' } });
      expect(invited.status).toBe(201);
      expect(invited.body.invitedBy).toEqual({ kind: 'api_key', id: expect.any(String) });
      const accepted = await http('POST', url('/v1/invitations/accept'), { body: { token: invited.body.token, password: PASSWORD } });
      expect(accepted.body.memberships).toEqual([{ workspaceId: bootstrap.id, name: 'ownerless', role: 'owner', permissions: [...ROLE_ACTIONS.owner] }]);
      expect((await http('POST', url('/v1/invitations'), { token: bootstrap.apiKey, body: { email: unique('second-owner'), role: 'owner' } })).status).toBe(403);
    });
  });

  describe('password reset', () => {
    it('answers 202 alike for any email, logs the link without SMTP outside production, and the token sets the password once', async () => {
      const person = await join('viewer', owner, workspaceId, unique('forgetful'));
      const other = await signIn(person.email);
      const unknown = await http('POST', url('/v1/auth/password-reset'), { body: { email: unique('nobody') }, headers: { 'x-forwarded-for': address() } });
      const known = await http('POST', url('/v1/auth/password-reset'), { body: { email: person.email.toUpperCase() }, headers: { 'x-forwarded-for': address() } });
      expect([unknown.status, known.status]).toEqual([202, 202]);
      expect(known.body).toEqual(unknown.body);
      const token = await waitFor('the reset link in the log', async () => stack.log.join('\n').match(new RegExp(`${stack.apiUrl}/reset-password#token=([A-Za-z0-9_-]{43})`))?.[1]);
      const [row] = (await stack.db.query('SELECT token_hash, round(extract(epoch FROM expires_at - created_at))::int AS lifetime FROM password_resets WHERE user_id = $1', [person.userId])).rows;
      expect(row.token_hash).toBe(sha256(token));
      expect(row.lifetime).toBe(3600);

      const confirm = (body: unknown) => http('POST', url('/v1/auth/password-reset/confirm'), { body });
      expect((await confirm({ token, password: 'short' })).status).toBe(422);
      expect((await confirm({ token: randomBytes(32).toString('base64url'), password: 'a brand new passphrase' })).status).toBe(404);
      expect((await confirm({ token, password: 'a brand new passphrase' })).status).toBe(204);
      // Every session ended, the old password refused, the new one works; the token is used up.
      expect((await as(person, undefined)('GET', '/v1/auth/me')).status).toBe(401);
      expect((await http('GET', url('/v1/auth/me'), { headers: { cookie: cookieOf(other)! } })).status).toBe(401);
      expect((await signIn(person.email)).status).toBe(401);
      expect((await signIn(person.email, 'a brand new passphrase')).status).toBe(200);
      const reused = await confirm({ token, password: 'yet another passphrase' });
      expect(reused.status).toBe(410);
      expect(reused.body.detail).toMatch(/already used/);

      await http('POST', url('/v1/auth/password-reset'), { body: { email: person.email }, headers: { 'x-forwarded-for': address() } });
      const later = await waitFor('a second reset', async () => (await stack.db.query('SELECT id FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [person.userId])).rows[0]?.id);
      await stack.db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE id = $1`, [later]);
      const secondToken = await waitFor('the second reset link in the log', async () =>
        [...stack.log.join('\n').matchAll(/reset-password#token=([A-Za-z0-9_-]{43})/g)].map((match) => match[1]!).find((candidate) => candidate !== token),
      );
      const expired = await confirm({ token: secondToken, password: 'yet another passphrase' });
      expect(expired.status).toBe(410);
      expect(expired.body.detail).toMatch(/expired/);
    });

    it('throttles requests per email and per address', async () => {
      const email = unique('flooded');
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await http('POST', url('/v1/auth/password-reset'), { body: { email }, headers: { 'x-forwarded-for': address() } })).status);
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      const from = address();
      const byAddress: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) byAddress.push((await http('POST', url('/v1/auth/password-reset'), { body: { email: unique('spread') }, headers: { 'x-forwarded-for': from } })).status);
      expect(byAddress.at(-1)).toBe(429);
    });
  });

  describe('the audit log', () => {
    it('records sign-ins, members, invitations, channels and keys, with who and from where; owners and admins read it', async () => {
      const viewer = await join('viewer');
      const key = await as(owner)('POST', '/v1/api-keys', { name: 'audited', role: 'viewer' });
      expect((await as(owner)('DELETE', `/v1/api-keys/${key.body.id}`)).status).toBe(204);
      const channelId = await channelIn(owner, 'audited');
      expect((await as(owner)('DELETE', `/v1/channels/${channelId}`)).status).toBe(204);
      expect((await as(owner)('PATCH', `/v1/members/${viewer.userId}`, { role: 'editor' })).status).toBe(200);
      expect((await as(owner)('DELETE', `/v1/members/${viewer.userId}`)).status).toBe(204);
      expect((await signIn(owner.email)).status).toBe(200);

      expect((await as((await join('viewer')))('GET', '/v1/audit')).status).toBe(403);
      const events: any[] = [];
      let cursor: string | null = null;
      do {
        const page: HttpAnswer = await as(owner)('GET', `/v1/audit?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        events.push(...page.body.data);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      expect(events.map((event) => event.at)).toEqual([...events.map((event) => event.at)].sort().reverse());
      const find = (action: string, subjectId?: string) => events.find((event) => event.action === action && (!subjectId || event.subject.id === subjectId));
      expect(find('member.signed_in', owner.userId)).toMatchObject({ actor: { kind: 'user', id: owner.userId, name: 'Olive' }, subject: { type: 'user', id: owner.userId }, ip: expect.stringMatching(/^10\.71\./) });
      expect(find('member.role_changed', viewer.userId)).toMatchObject({ actor: { kind: 'user', id: owner.userId }, details: { email: viewer.email, from: 'viewer', to: 'editor' } });
      expect(find('member.removed', viewer.userId)).toMatchObject({ details: { email: viewer.email, role: 'editor' } });
      expect(find('invitation.created')).toMatchObject({ subject: { type: 'invitation' }, details: { role: expect.any(String) } });
      expect(find('invitation.accepted')).toMatchObject({ actor: { kind: 'user' }, details: { newAccount: true } });
      expect(find('invitation.revoked')).toBeDefined();
      expect(find('api_key.created', key.body.id)).toMatchObject({ details: { name: 'audited', role: 'viewer' } });
      expect(find('api_key.revoked', key.body.id)).toMatchObject({ actor: { kind: 'user', id: owner.userId } });
      expect(find('channel.connected', channelId)).toMatchObject({ details: { network: 'x' } });
      expect(find('channel.removed', channelId)).toBeDefined();
      // An OAuth connection is recorded as the work of whoever started the flow.
      const bootstrap = await stack.workspace('oauth audit');
      const landed = await stack.connectThroughOAuth(bootstrap.apiKey, 'x', `audit_${randomBytes(3).toString('hex')}`);
      const connected = landed.searchParams.get('channelId');
      const audit = await http('GET', url('/v1/audit'), { token: bootstrap.apiKey });
      expect(audit.body.data.find((event: any) => event.action === 'channel.connected')).toMatchObject({ actor: { kind: 'api_key', name: 'default' }, subject: { id: connected } });
      expect(audit.body.data.find((event: any) => event.action === 'api_key.created')).toMatchObject({ actor: { kind: 'operator', id: null } });
    });
  });

  describe("another workspace's anything", () => {
    it("answers 404 to a member of A for B's posts, channels, members, invitations, media and audit, by every verb", async () => {
      const b = await newWorkspaceOwner('Initech');
      const bChannel = await channelIn(b.person, 'initech', b.workspaceId);
      const bPost = await as(b.person, b.workspaceId)('POST', '/v1/posts', { text: 'B', channelIds: [bChannel], schedule: { mode: 'draft' } });
      const bMember = await join('viewer', b.person, b.workspaceId);
      const bInvitation = await as(b.person, b.workspaceId)('POST', '/v1/invitations', { email: unique('b-invitee'), role: 'viewer' });
      const bMedia = (await upload(stack.apiUrl, (await as(b.person, b.workspaceId)('POST', '/v1/api-keys', { name: 'b' })).body.key, await image('png', 16, 16), 'b.png', 'image/png')).body.id;
      const before = await fingerprintOf(b.workspaceId);
      const inA = as(owner, workspaceId);
      const requests: [string, string, unknown?][] = [
        ['GET', `/v1/posts/${bPost.body.id}`],
        ['PATCH', `/v1/posts/${bPost.body.id}`, { text: 'mine now' }],
        ['DELETE', `/v1/posts/${bPost.body.id}`],
        ['POST', `/v1/posts/${bPost.body.id}/retry`],
        ['POST', '/v1/posts', { text: 'onto B', channelIds: [bChannel], schedule: { mode: 'draft' } }],
        ['GET', `/v1/channels/${bChannel}`],
        ['PATCH', `/v1/channels/${bChannel}`, { timezone: 'UTC' }],
        ['DELETE', `/v1/channels/${bChannel}`],
        ['GET', `/v1/channels/${bChannel}/queue`],
        ['POST', `/v1/channels/${bChannel}/queue/shuffle`],
        ['PATCH', `/v1/members/${bMember.userId}`, { role: 'admin' }],
        ['DELETE', `/v1/members/${bMember.userId}`],
        ['DELETE', `/v1/invitations/${bInvitation.body.id}`],
        ['GET', `/v1/media/${bMedia}`],
        ['GET', `/v1/media/${bMedia}/file`],
        ['GET', `/v1/media/${bMedia}/thumbnail`],
        ['DELETE', `/v1/media/${bMedia}`],
      ];
      for (const [method, path, body] of requests) expect({ method, path, status: (await inA(method, path, body)).status }).toEqual({ method, path, status: 404 });
      // B's rows are in none of A's lists.
      for (const list of ['/v1/posts', '/v1/channels', '/v1/members', '/v1/invitations', '/v1/media', '/v1/audit']) {
        const answer = await inA('GET', `${list}?limit=100`);
        expect(answer.status).toBe(200);
        expect(JSON.stringify(answer.body)).not.toMatch(new RegExp([bPost.body.id, bChannel, bMember.userId, bInvitation.body.id, bMedia].join('|')));
      }
      // Naming B's workspace: every route of it is a 404, whatever the verb.
      const inB = as(owner, b.workspaceId);
      for (const [method, path, body] of [...requests, ...['/v1/posts', '/v1/channels', '/v1/members', '/v1/invitations', '/v1/media', '/v1/audit'].map((list) => ['GET', list] as [string, string])]) {
        expect({ method, path, status: (await inB(method, path, body)).status }).toEqual({ method, path, status: 404 });
      }
      expect((await inB('POST', '/v1/invitations', { email: unique('sneak'), role: 'owner' })).status).toBe(404);
      expect(await fingerprintOf(b.workspaceId)).toBe(before);
    });
  });

  /** A person with a workspace of their own: invited as its first owner by the operator's key. */
  async function newWorkspaceOwner(name: string): Promise<{ person: Person; workspaceId: string; apiKey: string }> {
    const created = await stack.workspace(name);
    const email = unique(name.toLowerCase());
    const invited = await http('POST', url('/v1/invitations'), { token: created.apiKey, body: { email, role: 'owner' } });
    const accepted = await http('POST', url('/v1/invitations/accept'), { body: { token: invited.body.token, password: PASSWORD } });
    return { person: personFrom(accepted, email), workspaceId: created.id, apiKey: created.apiKey };
  }

  async function channelIn(person: Person, handle: string, workspace = workspaceId): Promise<string> {
    const issued = await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'x', handle: `${handle}_${randomBytes(3).toString('hex')}` } });
    const answer = await as(person, workspace)('POST', '/v1/channels', { network: 'x', accessToken: issued.body.accessToken });
    if (answer.status !== 201) throw new Error(`channel: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  }

  async function fingerprintOf(workspace: string): Promise<string> {
    const [row] = (
      await stack.db.query(
        `SELECT md5(concat_ws('|',
          (SELECT json_agg(t ORDER BY t.id)::text FROM posts t WHERE t.workspace_id = $1),
          (SELECT json_agg(t ORDER BY t.id)::text FROM channels t WHERE t.workspace_id = $1),
          (SELECT json_agg(t ORDER BY t.user_id)::text FROM members t WHERE t.workspace_id = $1),
          (SELECT json_agg(t ORDER BY t.id)::text FROM invitations t WHERE t.workspace_id = $1),
          (SELECT json_agg(t ORDER BY t.id)::text FROM media t WHERE t.workspace_id = $1),
          (SELECT json_agg(t ORDER BY t.id)::text FROM audit_events t WHERE t.workspace_id = $1))) AS fingerprint`,
        [workspace],
      )
    ).rows;
    return row.fingerprint;
  }
});

describe('password reset by email (SMTP_URL)', () => {
  let stack: InProcessStack;
  let smtp: SmtpServer;

  beforeAll(async () => {
    smtp = await SmtpServer.start();
    stack = await InProcessStack.start({ workers: 0, env: { SMTP_URL: smtp.url, SMTP_FROM: 'Herald <herald@acme.example>', RESET_TOKEN_TTL: '30m' } });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  /** The installation's first person, the owner of "Mailed & Co" (the first case resets their password). */
  const email = unique('mailed');

  it('sends the link by email, and never logs it', async () => {
    expect((await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: PASSWORD, workspaceName: 'Mailed & Co' } })).status).toBe(201);
    expect((await http('POST', `${stack.apiUrl}/v1/auth/password-reset`, { body: { email } })).status).toBe(202);
    const mail = await waitFor('the reset email', async () => smtp.received.find((message) => message.to.some((to) => to.includes(email))));
    expect(mail.from).toContain('herald@acme.example');
    // Quoted-printable: soft line breaks out, =XX back to their bytes.
    const flat = mail.data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(flat).toMatch(/Subject: Reset your Herald password/);
    expect(flat).toContain('within 30 minutes');
    const token = flat.match(/reset-password#token=([A-Za-z0-9_-]{43})/)![1]!;
    expect(stack.log.join('\n')).not.toContain(token);
    expect((await http('POST', `${stack.apiUrl}/v1/auth/password-reset/confirm`, { body: { token, password: 'a mailed new passphrase' } })).status).toBe(204);
    expect((await http('POST', `${stack.apiUrl}/v1/auth/sign-in`, { body: { email, password: 'a mailed new passphrase' } })).status).toBe(200);
    // Nothing goes to an email nobody has.
    const before = smtp.received.length;
    expect((await http('POST', `${stack.apiUrl}/v1/auth/password-reset`, { body: { email: unique('nobody') } })).status).toBe(202);
    await sleep(500);
    expect(smtp.received.length).toBe(before);
  });

  it("emails an invitation's link to the person invited, saying who asks, for what and until when, and never logs it", async () => {
    const signedIn = await http('POST', `${stack.apiUrl}/v1/auth/sign-in`, { body: { email, password: 'a mailed new passphrase' } });
    expect(signedIn.status).toBe(200);
    const headers = { cookie: cookieOf(signedIn)!, 'x-csrf-token': signedIn.body.csrfToken };
    const invitee = unique('invited');
    const invited = await http('POST', `${stack.apiUrl}/v1/invitations`, { headers, body: { email: invitee, role: 'editor' } });
    expect(invited.status).toBe(201);
    expect(invited.body.emailed).toBe(true);
    const mail = await waitFor('the invitation email', async () => smtp.received.find((message) => message.to.some((to) => to.includes(invitee))));
    const flat = mail.data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(flat).toMatch(/Subject: Join Mailed & Co on Herald/);
    expect(flat).toContain(`${email} invited you to Mailed & Co on Herald, as an editor.`);
    expect(flat).toContain('within 7 days');
    expect(flat).toContain(invited.body.url);
    expect(stack.log.join('\n')).not.toContain(invited.body.token);
    // The emailed link is the invitation: accepting its token makes the account.
    const token = flat.match(/accept-invitation#token=([A-Za-z0-9_-]{43})/)![1]!;
    const accepted = await http('POST', `${stack.apiUrl}/v1/invitations/accept`, { body: { token, password: PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.email).toBe(invitee);
  });
});
