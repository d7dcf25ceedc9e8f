/**
 * Access ends with the person who gave it (PRODUCT.md section 15): the API
 * keys and pending invitations a member made (themselves, or through a key
 * of theirs) answer to them. Removed, their keys answer 401 at once and
 * their invitations are refused; demoted, those that grant more than their
 * new role end and the others keep working. The key list and the audit log
 * say who made each key and why it was revoked. Keys made before makers
 * were recorded (no maker) keep working as they did.
 */
import { randomBytes } from 'node:crypto';
import { HttpAnswer, http } from './support/http';
import { InProcessStack } from './support/in-process';

const PASSWORD = 'an access passphrase';

interface Person {
  email: string;
  userId: string;
  cookie: string;
  csrfToken: string;
}

let nextAddress = 0;
const address = () => `10.73.${Math.floor(++nextAddress / 250)}.${nextAddress % 250}`;
const cookieOf = (answer: HttpAnswer) => answer.headers.getSetCookie().find((line) => line.startsWith('herald_session='))?.split(';')[0];
const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`;

describe('access that ends with its maker', () => {
  let stack: InProcessStack;
  let owner: Person;
  let workspaceId: string;
  const url = (path: string) => `${stack.apiUrl}${path}`;

  const as = (person: Person) => (method: string, path: string, body?: unknown) =>
    http(method, url(path), { body, headers: { cookie: person.cookie, 'x-csrf-token': person.csrfToken, 'x-forwarded-for': address(), 'x-herald-workspace': workspaceId } });
  const withKey = (key: string) => (method: string, path: string, body?: unknown) => http(method, url(path), { token: key, body });

  function personFrom(answer: HttpAnswer, email: string): Person {
    if (answer.status !== 200 && answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return { email, userId: answer.body.user.id, cookie: cookieOf(answer)!, csrfToken: answer.body.csrfToken };
  }

  const accept = (token: string, email?: string) => http('POST', url('/v1/invitations/accept'), { body: { token, password: PASSWORD, name: email ?? 'someone' } });

  /** Invites `email` as `role` (as the owner) and accepts it by signing up. */
  async function join(role: string, name = role): Promise<Person> {
    const email = unique(name);
    const invited = await as(owner)('POST', '/v1/invitations', { email, role });
    if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.body)}`);
    return personFrom(await accept(invited.body.token, name), email);
  }

  async function keyOf(call: ReturnType<typeof as>, name: string, role: string): Promise<{ id: string; key: string }> {
    const made = await call('POST', '/v1/api-keys', { name, role });
    if (made.status !== 201) throw new Error(`key: ${made.status} ${JSON.stringify(made.body)}`);
    return made.body;
  }

  async function invite(call: ReturnType<typeof as>, role: string): Promise<{ id: string; token: string; email: string }> {
    const email = unique(`invitee-${role}`);
    const invited = await call('POST', '/v1/invitations', { email, role });
    if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.body)}`);
    return { ...invited.body, email };
  }

  const memberCount = async () => (await stack.db.query(`SELECT count(*)::int AS n FROM members WHERE workspace_id = $1`, [workspaceId])).rows[0].n as number;
  const audit = async () => (await as(owner)('GET', '/v1/audit?limit=100')).body.data as { action: string; subject: { id: string }; details: Record<string, unknown> }[];

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    const email = unique('owner');
    owner = personFrom(await http('POST', url('/v1/auth/sign-up'), { body: { email, password: PASSWORD, name: 'Olive', workspaceName: 'Acme' } }), email);
    workspaceId = (await as(owner)('GET', '/v1/auth/me')).body.memberships[0].workspaceId;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("a removed admin's keys answer 401 at once, the keys those keys made too, and their pending invitations are refused", async () => {
    const admin = await join('admin', 'Ada');
    const adminKey = await keyOf(as(admin), 'ada-script', 'admin');
    const childKey = await keyOf(withKey(adminKey.key), 'ada-child', 'editor');
    const ownersKey = await keyOf(as(owner), 'olive-script', 'admin');
    const byAdmin = await invite(as(admin), 'admin');
    const byAdminKey = await invite(withKey(adminKey.key), 'editor');
    // Before: the admin's key does admin things.
    expect((await withKey(adminKey.key)('GET', '/v1/members')).status).toBe(200);

    // The key list says who made each key: a person by name, a key by its name.
    const listed = (await as(owner)('GET', '/v1/api-keys')).body.data as { id: string; createdBy: unknown; revokedAt: string | null }[];
    expect(listed.find((key) => key.id === adminKey.id)!.createdBy).toEqual({ kind: 'user', id: admin.userId, name: 'Ada' });
    expect(listed.find((key) => key.id === childKey.id)!.createdBy).toEqual({ kind: 'api_key', id: adminKey.id, name: 'ada-script' });
    expect(listed.find((key) => key.id === ownersKey.id)!.createdBy).toEqual({ kind: 'user', id: owner.userId, name: 'Olive' });

    expect((await as(owner)('DELETE', `/v1/members/${admin.userId}`)).status).toBe(204);

    // Everything the attacker test tried with the removed admin's key: 401, and nothing done.
    const editor = await join('editor');
    const hooksBefore = (await stack.db.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE workspace_id = $1`, [workspaceId])).rows[0].n;
    for (const [method, path, body] of [
      ['GET', '/v1/members', undefined],
      ['PATCH', `/v1/members/${editor.userId}`, { role: 'admin' }],
      ['POST', '/v1/webhooks', { url: 'https://hooks.example.com/steal' }],
      ['POST', '/v1/invitations', { email: unique('late'), role: 'admin' }],
    ] as const) {
      const answer = await withKey(adminKey.key)(method, path, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 401 });
    }
    expect((await withKey(childKey.key)('GET', '/v1/channels')).status).toBe(401);
    expect((await as(owner)('GET', '/v1/members')).body.data.find((member: { userId: string }) => member.userId === editor.userId).role).toBe('editor');
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE workspace_id = $1`, [workspaceId])).rows[0].n).toBe(hooksBefore);
    // The owner's own key goes on.
    expect((await withKey(ownersKey.key)('GET', '/v1/members')).status).toBe(200);

    // Their pending invitations (made by them, or by their key) are refused: nobody joins.
    const members = await memberCount();
    for (const invitation of [byAdmin, byAdminKey]) {
      const answer = await accept(invitation.token, invitation.email);
      expect(answer.status).toBe(410);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await memberCount()).toBe(members);
    expect((await as(owner)('GET', '/v1/invitations')).body.data.map((entry: { id: string }) => entry.id)).not.toContain(byAdmin.id);

    // The list still says whose they were, now revoked; the audit log says why.
    const after = (await as(owner)('GET', '/v1/api-keys')).body.data as { id: string; createdBy: unknown; revokedAt: string | null }[];
    expect(after.find((key) => key.id === adminKey.id)).toMatchObject({ createdBy: { kind: 'user', id: admin.userId }, revokedAt: expect.any(String) });
    expect(after.find((key) => key.id === ownersKey.id)!.revokedAt).toBeNull();
    const events = await audit();
    const revoked = (id: string, action: string) => events.find((event) => event.action === action && event.subject.id === id);
    expect(revoked(adminKey.id, 'api_key.revoked')!.details).toMatchObject({ name: 'ada-script', role: 'admin', reason: 'maker_removed', maker: admin.email });
    expect(revoked(childKey.id, 'api_key.revoked')!.details).toMatchObject({ reason: 'maker_removed', maker: admin.email });
    expect(revoked(byAdmin.id, 'invitation.revoked')!.details).toMatchObject({ email: byAdmin.email, reason: 'maker_removed', maker: admin.email });
    expect(revoked(byAdminKey.id, 'invitation.revoked')!.details).toMatchObject({ reason: 'maker_removed' });
  });

  it("a member who leaves takes their keys with them", async () => {
    const leaver = await join('admin', 'Lee');
    const key = await keyOf(as(leaver), 'lee-script', 'viewer');
    expect((await as(leaver)('DELETE', `/v1/members/${leaver.userId}`)).status).toBe(204);
    expect((await withKey(key.key)('GET', '/v1/channels')).status).toBe(401);
    expect((await audit()).find((event) => event.action === 'api_key.revoked' && event.subject.id === key.id)!.details).toMatchObject({ reason: 'maker_left' });
  });

  it("a demoted admin's key cannot do admin things any more; what their new role allows keeps working", async () => {
    const admin = await join('admin', 'Dee');
    const adminKey = await keyOf(as(admin), 'dee-admin', 'admin');
    const editorKey = await keyOf(as(admin), 'dee-editor', 'editor');
    const adminInvitation = await invite(as(admin), 'admin');
    const viewerInvitation = await invite(as(admin), 'viewer');

    const demoted = await as(owner)('PATCH', `/v1/members/${admin.userId}`, { role: 'editor' });
    expect(demoted.status).toBe(200);

    // The admin key is revoked (401): it made an admin invitation after its maker became a viewer in the attacker test.
    expect((await withKey(adminKey.key)('POST', '/v1/invitations', { email: unique('after'), role: 'admin' })).status).toBe(401);
    expect((await withKey(adminKey.key)('GET', '/v1/members')).status).toBe(401);
    // The editor key is within the new role: it goes on, and may do no admin thing (as any editor key).
    expect((await withKey(editorKey.key)('GET', '/v1/channels')).status).toBe(200);
    expect((await withKey(editorKey.key)('POST', '/v1/api-keys', { name: 'more' })).status).toBe(403);
    // The person, now an editor, makes no admin key either.
    expect((await as(admin)('POST', '/v1/api-keys', { name: 'again', role: 'admin' })).status).toBe(403);

    expect((await accept(adminInvitation.token, adminInvitation.email)).status).toBe(410);
    const joined = await accept(viewerInvitation.token, viewerInvitation.email);
    expect(joined.status).toBe(200);
    expect(joined.body.memberships.find((entry: { workspaceId: string }) => entry.workspaceId === workspaceId).role).toBe('viewer');

    const events = await audit();
    expect(events.find((event) => event.action === 'api_key.revoked' && event.subject.id === adminKey.id)!.details).toMatchObject({ reason: 'maker_demoted' });
    expect(events.find((event) => event.action === 'api_key.revoked' && event.subject.id === editorKey.id)).toBeUndefined();
  });

  it('refuses at acceptance an invitation whose maker is no longer a member, however it escaped revocation', async () => {
    const admin = await join('admin', 'Gus');
    const invitation = await invite(as(admin), 'editor');
    // As a database that held it before this release: the maker gone, the invitation still pending.
    await stack.db.query(`DELETE FROM members WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, admin.userId]);
    const members = await memberCount();
    const answer = await accept(invitation.token, invitation.email);
    expect(answer.status).toBe(410);
    expect(answer.body.detail).toMatch(/no longer has the access/);
    expect(await memberCount()).toBe(members);
  });

  it('keeps a key made before makers were recorded working as it did (its maker unknown), with no maker listed', async () => {
    const old = await join('admin', 'Old');
    const key = await keyOf(as(old), 'old-key', 'editor');
    await stack.db.query(`UPDATE api_keys SET made_by_kind = NULL, made_by_id = NULL, maker_user_id = NULL WHERE id = $1`, [key.id]);
    expect((await as(owner)('DELETE', `/v1/members/${old.userId}`)).status).toBe(204);
    expect((await withKey(key.key)('GET', '/v1/channels')).status).toBe(200);
    expect((await as(owner)('GET', '/v1/api-keys')).body.data.find((entry: { id: string }) => entry.id === key.id).createdBy).toBeNull();
  });
});
