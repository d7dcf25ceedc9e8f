/**
 * The role matrix, end to end: every route of test/support/routes.ts, called
 * as a signed-in member of each role, an admin and an editor API key, the
 * admin token and nothing, answers as test/support/role-matrix.ts derives
 * from ROLE_ACTIONS (README "Roles"): past the guard (anything but 401 and
 * 403: the ids name nothing, so what is past it is mostly a 404 or a 422),
 * 403 naming the least role that may, or 401. The members are brought in as
 * people are: invited by the owner, each accepting with a password.
 */
import { randomBytes } from 'node:crypto';
import { HttpAnswer, http } from './support/http';
import { ROLE_ACTIONS } from '../apps/api/src/access/permissions';
import { CALLERS, Caller, verdict } from './support/role-matrix';
import { ROUTES } from './support/routes';
import { InProcessStack } from './support/in-process';

const PASSWORD = 'a matrix passphrase';
const NOTHING = '00000000-0000-0000-0000-000000000000';

/** What fills each path parameter: ids that name nothing, a state and a token never issued. */
const PARAMS: Record<string, string> = { id: NOTHING, userId: NOTHING, state: 'never-issued', name: 'publish', token: 'x'.repeat(43), file: 'original' };

/** Bodies valid enough to pass validation, so that what answers is the role check or what follows it (never a 400 before it). */
const BODIES: Record<string, unknown> = {
  'POST /v1/workspaces': { name: 'matrix' },
  'PATCH /v1/workspace': { allowedRedirectOrigins: [] },
  'POST /v1/auth/sign-up': { email: 'someone@example.com', password: 'short' },
  'POST /v1/auth/sign-in': {},
  'POST /v1/auth/password': {},
  'POST /v1/auth/password-reset': { email: 'nobody@example.com' },
  'POST /v1/auth/password-reset/confirm': { token: 'never-issued', password: 'a long enough password' },
  'PATCH /v1/members/:userId': { role: 'viewer' },
  'POST /v1/invitations': { email: 'matrix-invitee@example.com', role: 'viewer' },
  'POST /v1/invitations/accept': { token: 'never-issued' },
  'POST /v1/api-keys': { name: 'matrix', role: 'viewer' },
  'POST /v1/posts/:id/reject': { note: 'not checked: no such post' },
  'POST /v1/channels': { network: 'mastodon', accessToken: 'not checked: no instance' },
  'POST /v1/channels/connect': { network: 'x', redirectUri: 'https://app.example.com/connected' },
  'POST /v1/channels/connect/:state/choose': { accountId: 'a' },
  'PATCH /v1/channels/:id': { timezone: 'UTC' },
  'POST /v1/channel-groups': { name: 'matrix', channelIds: [NOTHING] },
  'PATCH /v1/channel-groups/:id': { name: 'matrix' },
  'POST /v1/channels/:id/queue/reorder': { deliveryIds: [] },
  'POST /v1/posts': { text: 'matrix', channelIds: [NOTHING], schedule: { mode: 'draft' } },
  'POST /v1/posts/bulk': { posts: [{ text: 'matrix', channelIds: [NOTHING], schedule: { mode: 'draft' } }] },
  'PATCH /v1/posts/:id': { text: 'matrix' },
  'POST /v1/media': { url: 'http://127.0.0.1:9/nothing.png' },
  'POST /v1/webhooks': { url: 'http://127.0.0.1:9/hook' },
  'POST /v1/series/preview': { rule: 'FREQ=DAILY', timezone: 'UTC' },
  'POST /v1/series': { text: 'matrix', channelIds: [NOTHING], rule: 'FREQ=DAILY', timezone: 'UTC' },
  'PATCH /v1/series/:id': { text: 'matrix' },
  'POST /v1/tags': { name: 'matrix', colour: '#000000' },
  'PATCH /v1/tags/:id': { colour: '#000000' },
};

/** Routes after which the caller's session has ended (it signs in again). */
const SESSION_ENDERS = ['/v1/auth/sign-out', '/v1/auth/sign-out-everywhere'];

interface Session {
  email: string;
  cookie: string;
  csrfToken: string;
}

let nextAddress = 0;
const address = () => `10.61.${Math.floor(++nextAddress / 250)}.${nextAddress % 250}`;

describe('the role matrix', () => {
  let stack: InProcessStack;
  let workspaceId: string;
  const sessions = new Map<Caller, Session>();
  const keys = new Map<Caller, string>();

  const cookieOf = (answer: HttpAnswer) => answer.headers.getSetCookie().find((line) => line.startsWith('herald_session='))!.split(';')[0]!;

  async function signIn(email: string): Promise<Session> {
    const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-in`, { body: { email, password: PASSWORD }, headers: { 'x-forwarded-for': address() } });
    if (answer.status !== 200) throw new Error(`sign-in: ${answer.status} ${JSON.stringify(answer.body)}`);
    return { email, cookie: cookieOf(answer), csrfToken: answer.body.csrfToken };
  }

  function call(caller: Caller, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'x-forwarded-for': address() };
    const session = sessions.get(caller);
    if (session) Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'x-herald-workspace': workspaceId });
    const token = caller === 'admin-token' ? stack.adminToken : keys.get(caller);
    return http(method, `${stack.apiUrl}${path}`, { token, body, headers });
  }

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    const owner = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: 'owner@example.com', password: PASSWORD, workspaceName: 'Matrix' } });
    if (owner.status !== 201) throw new Error(`sign-up: ${owner.status} ${JSON.stringify(owner.body)}`);
    workspaceId = owner.body.memberships[0].workspaceId;
    sessions.set('owner', { email: 'owner@example.com', cookie: cookieOf(owner), csrfToken: owner.body.csrfToken });
    for (const role of ['admin', 'editor', 'contributor', 'viewer'] as const) {
      const email = `${role}-${randomBytes(3).toString('hex')}@example.com`;
      const invited = await call('owner', 'POST', '/v1/invitations', { email, role });
      if (invited.status !== 201) throw new Error(`invitation: ${invited.status} ${JSON.stringify(invited.body)}`);
      const accepted = await http('POST', `${stack.apiUrl}/v1/invitations/accept`, { body: { token: invited.body.token, password: PASSWORD, name: role } });
      if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      // Each membership says what its role may do: the access module's list, which the web app shows by.
      expect(accepted.body.memberships).toEqual([{ workspaceId, name: 'Matrix', role, permissions: [...ROLE_ACTIONS[role]] }]);
      sessions.set(role, { email, cookie: cookieOf(accepted), csrfToken: accepted.body.csrfToken });
    }
    for (const role of ['admin', 'editor'] as const) {
      const key = await call('owner', 'POST', '/v1/api-keys', { name: `${role} key`, role });
      if (key.status !== 201) throw new Error(`key: ${key.status} ${JSON.stringify(key.body)}`);
      expect(key.body.role).toBe(role);
      keys.set(`key:${role}`, key.body.key);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('has a row in routes.ts for every route the API documents', async () => {
    const spec = await http('GET', `${stack.apiUrl}/docs/openapi.json`);
    const documented = Object.entries(spec.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .filter((route) => !/ \/(health|metrics)/.test(route));
    const rows = ROUTES.map(([method, path]) => `${method} ${path}`);
    expect(documented.filter((route) => !rows.includes(route))).toEqual([]);
  });

  it.each(ROUTES.map(([method, path, needs]) => [`${method} ${path}`, needs] as const))('%s (needs %s) answers each caller as the matrix says', async (route, needs) => {
    const [method, template] = route.split(' ') as [string, string];
    const path = template.replace(/:(\w+)/g, (_, name: string) => PARAMS[name]!);
    const answers: string[] = [];
    const wrong: string[] = [];
    for (const caller of CALLERS) {
      const answer = await call(caller, method, path, BODIES[route]);
      answers.push(`${caller}: ${answer.status}`);
      const expected = verdict(needs, caller);
      if (needs === 'signed-link') {
        // No caller's credentials count: the link's signature is all (here none, so a 403 for everyone).
        if (answer.status !== 403 || !/link is not valid/.test(answer.body?.detail)) wrong.push(`${caller}: ${answer.status} ${JSON.stringify(answer.body)}`);
      } else if (expected.answer === 'allowed') {
        if (answer.status === 401 || answer.status === 403 || answer.status >= 500) wrong.push(`${caller}: expected past the guard, got ${answer.status} ${JSON.stringify(answer.body)}`);
      } else if (expected.answer === 403) {
        const detail = String(answer.body?.detail);
        if (answer.status !== 403 || !detail.includes(`it needs ${expected.needs} or above`)) wrong.push(`${caller}: expected 403 naming ${expected.needs}, got ${answer.status} ${detail}`);
      } else if (answer.status !== 401) {
        wrong.push(`${caller}: expected 401, got ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      if (SESSION_ENDERS.includes(template) && sessions.has(caller) && answer.status < 300) sessions.set(caller, await signIn(sessions.get(caller)!.email));
    }
    expect({ route, wrong }).toEqual({ route, wrong: [] });
  });

  // What the transport refuses for every route alike (JSON that does not parse, a NUL byte: README "Input") comes first; the
  // route's own reading of its body and query comes after the role check.
  it("refuses a role before it reads the request: a body or query of the wrong shape too still answers 403, never 400", async () => {
    const wrong: string[] = [];
    for (const [method, template, needs] of ROUTES) {
      const expected = verdict(needs, 'viewer');
      if (expected.answer !== 403) continue;
      const path = template.replace(/:(\w+)/g, (_, name: string) => PARAMS[name]!) + (method === 'GET' ? '?limit=-5&cursor=not-a-cursor&status=nonsense' : '');
      const answer = await call('viewer', method, path, method === 'GET' || method === 'DELETE' ? undefined : { unknown: [1, { deeper: true }], text: 42 });
      if (answer.status !== 403 || !String(answer.body?.detail).includes(`it needs ${expected.needs} or above`)) wrong.push(`${method} ${template}: ${answer.status} ${answer.body?.detail}`);
    }
    expect(wrong).toEqual([]);
  });
});
