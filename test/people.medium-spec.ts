/**
 * People: sign-up (the first person owns a new workspace; then by
 * invitation, or open with AUTH_OPEN_SIGNUP), sign-in with a session
 * cookie, the CSRF token on every signed-in change, sessions that end
 * (sign-out, a password change, expiry, idleness), sign-in throttling, and
 * a person's requests held to the workspaces they are a member of.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HttpAnswer, http, sleep } from './support/http';
import { ACTIONS } from '../apps/api/src/access/permissions';
import { InProcessStack } from './support/in-process';

const PASSWORD = 'correct horse battery';
/** What an owner may do, as GET /v1/auth/me tells the web app (the access module's list: every action). */
const OWNER_PERMISSIONS = [...ACTIONS];

/** The session cookie's value from a Set-Cookie answer, and the attributes it was set with. */
function sessionCookie(answer: HttpAnswer): { token: string; attributes: string[] } {
  const line = answer.headers.getSetCookie().find((cookie) => cookie.startsWith('herald_session='));
  if (!line) throw new Error(`no session cookie in ${answer.status} ${JSON.stringify(answer.body)}`);
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { token: pair!.slice('herald_session='.length), attributes };
}

/** A signed-in person: their cookie, CSRF token, user and first workspace. */
interface Person {
  token: string;
  csrfToken: string;
  userId: string;
  email: string;
  workspaceId: string;
}

/** Fresh addresses (X-Forwarded-For, trusted from loopback), so one test's failures never throttle another's. */
let nextAddress = 1;
function address(): string {
  nextAddress += 1;
  return `10.9.${Math.floor(nextAddress / 250)}.${nextAddress % 250}`;
}

describe('people', () => {
  describe('on a new installation (sign-up by invitation)', () => {
    let stack: InProcessStack;
    // The API runs inside this test: hash at the real cost here, as the API process does (test/support/test-strength.ts lowers it for the rest).
    const testCost = process.env.HERALD_TEST_SCRYPT_COST;

    beforeAll(async () => {
      delete process.env.HERALD_TEST_SCRYPT_COST;
      stack = await InProcessStack.start({ workers: 0 });
    });

    afterAll(async () => {
      if (testCost !== undefined) process.env.HERALD_TEST_SCRYPT_COST = testCost;
      await stack?.stop();
    });

    it('makes the first person the owner of a new workspace, then refuses sign-up (by invitation)', async () => {
      expect((await stack.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
      const short = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: 'first@example.com', password: 'too short' } });
      expect(short.status).toBe(422);
      expect(short.body.errors).toEqual([{ path: 'password', message: 'must be at least 10 characters long' }]);

      const first = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: 'First@Example.com', password: PASSWORD, name: 'Ada', workspaceName: 'Acme' } });
      expect(first.status).toBe(201);
      expect(first.body.user).toEqual({ id: expect.any(String), email: 'First@Example.com', name: 'Ada' });
      expect(first.body.memberships).toEqual([{ workspaceId: expect.any(String), name: 'Acme', role: 'owner', permissions: OWNER_PERMISSIONS }]);
      expect(first.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const { token, attributes } = sessionCookie(first);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${7 * 86_400}`]));
      expect(attributes).not.toContain('Secure');
      // Only the cookie's SHA-256 is stored; the password as a self-describing scrypt hash.
      const [row] = (await stack.db.query('SELECT s.token_hash, u.password_hash FROM sessions s JOIN users u ON u.id = s.user_id')).rows;
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);

      for (const email of ['second@example.com', 'first@example.com']) {
        const refused = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: PASSWORD } });
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.body.detail).toMatch(/by invitation/);
        expect(refused.headers.getSetCookie()).toEqual([]);
      }
      expect((await stack.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(1);
    });
  });

  describe('signed in', () => {
    let stack: InProcessStack;
    const url = (path: string) => `${stack.apiUrl}${path}`;

    /** A request as a person: their cookie, their CSRF token unless told otherwise, and any headers. */
    const as =
      (person: { token: string; csrfToken?: string }, headers: Record<string, string> = {}) =>
      (method: string, path: string, body?: unknown) =>
        http(method, url(path), { body, headers: { cookie: `herald_session=${person.token}`, ...(person.csrfToken ? { 'x-csrf-token': person.csrfToken } : {}), ...headers } });

    async function signIn(email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<HttpAnswer> {
      return http('POST', url('/v1/auth/sign-in'), { body: { email, password }, headers: { 'x-forwarded-for': address(), ...headers } });
    }

    async function newPerson(name = 'someone'): Promise<Person> {
      const email = `${name}-${randomBytes(4).toString('hex')}@example.com`;
      const answer = await http('POST', url('/v1/auth/sign-up'), { body: { email, password: PASSWORD, name, workspaceName: `${name}'s` } });
      if (answer.status !== 201) throw new Error(`sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { token: sessionCookie(answer).token, csrfToken: answer.body.csrfToken, userId: answer.body.user.id, email, workspaceId: answer.body.memberships[0].workspaceId };
    }

    /** A channel made through the person's session (a token the mock issues, checked by Herald with the network). */
    async function channelOf(person: Person, handle: string): Promise<string> {
      const issued = await http('POST', `${stack.mockUrl}/_mock/tokens`, { body: { network: 'x', handle } });
      const answer = await as(person)('POST', '/v1/channels', { network: 'x', accessToken: issued.body.accessToken });
      if (answer.status !== 201) throw new Error(`channel: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.id;
    }

    beforeAll(async () => {
      stack = await InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true' } });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('gives each newcomer a workspace of their own when sign-up is open; an email is taken whatever its case', async () => {
      const one = await newPerson('one');
      const two = await newPerson('two');
      expect(one.workspaceId).not.toBe(two.workspaceId);
      const again = await http('POST', url('/v1/auth/sign-up'), { body: { email: one.email.toUpperCase(), password: PASSWORD } });
      expect(again.status).toBe(409);
    });

    it('signs in with a cookie that `me` and the API accept; a change needs the CSRF token, a read does not, an API key needs none', async () => {
      const person = await newPerson('writer');
      const answer = await signIn(person.email.toUpperCase());
      expect(answer.status).toBe(200);
      const { token, attributes } = sessionCookie(answer);
      expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
      const session = { token, csrfToken: answer.body.csrfToken as string };

      const me = await as(session)('GET', '/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ user: { id: person.userId, email: person.email, name: 'writer' }, memberships: [{ workspaceId: person.workspaceId, name: "writer's", role: 'owner', permissions: OWNER_PERMISSIONS }], csrfToken: session.csrfToken });
      expect((await http('GET', url('/v1/auth/me'))).status).toBe(401);

      const channelId = await channelOf({ ...person, ...session }, `writer_${randomBytes(3).toString('hex')}`);
      const post = { text: 'from a person', channelIds: [channelId], schedule: { mode: 'draft' } };
      for (const csrfToken of [undefined, 'wrong', session.csrfToken.slice(1)]) {
        const refused = await as({ token, csrfToken })('POST', '/v1/posts', post);
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.body.detail).toMatch(/X-CSRF-Token/i);
      }
      expect((await stack.db.query('SELECT count(*)::int AS n FROM posts WHERE workspace_id = $1', [person.workspaceId])).rows[0].n).toBe(0);
      const created = await as(session)('POST', '/v1/posts', post);
      expect(created.status).toBe(201);
      const read = await as({ token })('GET', `/v1/posts/${created.body.id}`);
      expect(read.status).toBe(200);

      // A key made by the person acts on the same workspace, without a CSRF token.
      const key = await as(session)('POST', '/v1/api-keys', { name: 'from a session' });
      expect(key.status).toBe(201);
      const byKey = await http('POST', url('/v1/posts'), { token: key.body.key, body: post });
      expect(byKey.status).toBe(201);
      expect((await http('GET', url(`/v1/posts/${created.body.id}`), { token: key.body.key })).status).toBe(200);
    });

    it('never keeps a cookie sent with the sign-in: a made-up one, or the browser\'s old session (which ends)', async () => {
      const person = await newPerson('fixation');
      const madeUp = randomBytes(32).toString('base64url');
      const signedIn = await signIn(person.email, PASSWORD, { cookie: `herald_session=${madeUp}` });
      expect(signedIn.status).toBe(200);
      const first = sessionCookie(signedIn).token;
      expect(first).not.toBe(madeUp);
      expect((await as({ token: madeUp })('GET', '/v1/auth/me')).status).toBe(401);
      expect((await as({ token: first })('GET', '/v1/auth/me')).status).toBe(200);

      const again = await signIn(person.email, PASSWORD, { cookie: `herald_session=${first}` });
      const second = sessionCookie(again).token;
      expect(second).not.toBe(first);
      expect((await as({ token: first })('GET', '/v1/auth/me')).status).toBe(401);
      expect((await as({ token: second })('GET', '/v1/auth/me')).status).toBe(200);
    });

    it('ends the session at sign-out (with its CSRF token), and every session at sign-out-everywhere', async () => {
      const person = await newPerson('leaver');
      expect((await as({ token: person.token })('POST', '/v1/auth/sign-out')).status).toBe(403);
      const out = await as(person)('POST', '/v1/auth/sign-out');
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie()[0]).toMatch(/^herald_session=; .*Max-Age=0/);
      expect((await as(person)('GET', '/v1/auth/me')).status).toBe(401);
      expect((await as(person, { 'x-herald-workspace': person.workspaceId })('GET', '/v1/posts')).status).toBe(401);

      const sessions = await Promise.all([signIn(person.email), signIn(person.email)]);
      const [a, b] = sessions.map((answer) => ({ token: sessionCookie(answer).token, csrfToken: answer.body.csrfToken as string }));
      expect((await as(a!)('POST', '/v1/auth/sign-out-everywhere')).status).toBe(204);
      for (const session of [a!, b!]) expect((await as(session)('GET', '/v1/auth/me')).status).toBe(401);
    });

    it('changes the password: the current one is required, every other session ends, this one stays', async () => {
      const person = await newPerson('changer');
      const other = await signIn(person.email);
      const otherSession = { token: sessionCookie(other).token };
      const change = as(person);
      const newPassword = 'a whole new passphrase';
      expect((await change('POST', '/v1/auth/password', { currentPassword: 'not the password', newPassword })).status).toBe(403);
      expect((await change('POST', '/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' })).status).toBe(422);
      expect((await as({ token: person.token })('POST', '/v1/auth/password', { currentPassword: PASSWORD, newPassword })).status).toBe(403);
      expect((await as(otherSession)('GET', '/v1/auth/me')).status).toBe(200);

      expect((await change('POST', '/v1/auth/password', { currentPassword: PASSWORD, newPassword })).status).toBe(204);
      expect((await as(person)('GET', '/v1/auth/me')).status).toBe(200);
      expect((await as(otherSession)('GET', '/v1/auth/me')).status).toBe(401);
      expect((await signIn(person.email)).status).toBe(401);
      expect((await signIn(person.email, newPassword)).status).toBe(200);
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const person = await newPerson('alike');
      const wrong = await signIn(person.email, 'not the password at all');
      const unknown = await signIn(`nobody-${randomBytes(4).toString('hex')}@example.com`, 'not the password at all');
      const comparable = ({ status, body, headers }: HttpAnswer) => ({ status, body: { ...body, requestId: undefined }, cookies: headers.getSetCookie(), auth: headers.get('www-authenticate') });
      expect(wrong.status).toBe(401);
      expect(comparable(unknown)).toEqual(comparable(wrong));
    });

    it('throttles wrong passwords per address and per account; the right password from another address gets in after the cool-off', async () => {
      const person = await newPerson('target');
      const attacker = address();
      for (let attempt = 1; attempt <= 10; attempt += 1) {
        expect((await signIn(person.email, `guess number ${attempt}`, { 'x-forwarded-for': attacker })).status).toBe(401);
      }
      const eleventh = await signIn(person.email, 'guess number 11', { 'x-forwarded-for': attacker });
      expect(eleventh.status).toBe(429);
      expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The attacker's address stays refused, even with the right password.
      expect((await signIn(person.email, PASSWORD, { 'x-forwarded-for': attacker })).status).toBe(429);

      // The person, from their own address: the account's cool-off (a second after ten failures), then in.
      const own = address();
      let answer = await signIn(person.email, PASSWORD, { 'x-forwarded-for': own });
      if (answer.status === 429) {
        await sleep(Number(answer.headers.get('retry-after')) * 1000 + 100);
        answer = await signIn(person.email, PASSWORD, { 'x-forwarded-for': own });
      }
      expect(answer.status).toBe(200);
      // The success cleared the account's count; the address's stays.
      const accountHash = createHash('sha256').update(`account:${person.email.toLowerCase()}`).digest('hex');
      expect((await stack.db.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE kind = 'account' AND subject_hash = $1`, [accountHash])).rows[0].n).toBe(0);
      expect((await signIn(person.email, PASSWORD, { 'x-forwarded-for': attacker })).status).toBe(429);
    }, 120_000);

    it('refuses a session past its absolute end, or idle too long', async () => {
      const expired = await newPerson('expired');
      const idle = await newPerson('idle');
      const hash = (token: string) => createHash('sha256').update(token).digest('hex');
      await stack.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hash(expired.token)]);
      await stack.db.query(`UPDATE sessions SET last_seen_at = now() - interval '8 days' WHERE token_hash = $1`, [hash(idle.token)]);
      for (const person of [expired, idle]) {
        expect((await as(person)('GET', '/v1/auth/me')).status).toBe(401);
        expect((await as(person)('GET', '/v1/posts')).status).toBe(401);
      }
    });

    it("answers 404 for another workspace's posts, and for a workspace the person is not (or no longer) a member of", async () => {
      const a = await newPerson('tenant_a');
      const b = await newPerson('tenant_b');
      const channelB = await channelOf(b, `b_${randomBytes(3).toString('hex')}`);
      const postB = await as(b)('POST', '/v1/posts', { text: "B's post", channelIds: [channelB], schedule: { mode: 'draft' } });
      expect(postB.status).toBe(201);

      // In their own workspace (named or the only one), B's post is not there; B's workspace is not theirs.
      expect((await as(a)('GET', `/v1/posts/${postB.body.id}`)).status).toBe(404);
      expect((await as(a, { 'x-herald-workspace': a.workspaceId })('GET', `/v1/posts/${postB.body.id}`)).status).toBe(404);
      for (const [method, path] of [['GET', `/v1/posts/${postB.body.id}`], ['GET', '/v1/posts'], ['DELETE', `/v1/posts/${postB.body.id}`]] as const) {
        const answer = await as(a, { 'x-herald-workspace': b.workspaceId })(method, path);
        expect(answer.status).toBe(404);
      }
      expect((await as(a, { 'x-herald-workspace': 'not-a-uuid' })('GET', '/v1/posts')).status).toBe(400);
      expect((await as(b)('GET', `/v1/posts/${postB.body.id}`)).body.status).toBe('draft');

      // A member removed is refused at the next request (404: the workspace is not theirs), though still signed in.
      await stack.db.query('DELETE FROM members WHERE user_id = $1 AND workspace_id = $2', [b.userId, b.workspaceId]);
      expect((await as(b)('GET', `/v1/posts/${postB.body.id}`)).status).toBe(404);
      expect((await as(b, { 'x-herald-workspace': b.workspaceId })('GET', '/v1/posts')).status).toBe(404);
      const me = await as(b)('GET', '/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.memberships).toEqual([]);
    });

    it('names the workspace with X-Herald-Workspace when a person belongs to several', async () => {
      const person = await newPerson('several');
      const other = await newPerson('host');
      await stack.db.query(`INSERT INTO members (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [other.workspaceId, person.userId]);
      expect((await as(person)('GET', '/v1/posts')).status).toBe(400);
      expect((await as(person, { 'x-herald-workspace': person.workspaceId })('GET', '/v1/posts')).status).toBe(200);
      expect((await as(person, { 'x-herald-workspace': other.workspaceId })('GET', '/v1/posts')).status).toBe(200);
      // A viewer there may read, not write (the role comes from `members`, through the access module).
      const refused = await as(person, { 'x-herald-workspace': other.workspaceId })('POST', '/v1/api-keys', { name: 'no' });
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/viewer/);
    });
  });
});
