/**
 * A connect flow belongs to whoever started it, and sends the browser only
 * where the workspace allows (PRODUCT.md section 15). `redirectUri` must be
 * on the web app's origin (HERALD_PUBLIC_URL) or one the workspace allowed
 * (`PATCH /v1/workspace {allowedRedirectOrigins}`), else 422 at the start. A
 * person's flow is finished only by the browser session that started it: a
 * callback without that cookie (or with another person's) makes nothing,
 * leaves the state unused and lands on Herald's own page. An API key's flow
 * needs no browser session and is bound to the key: revoked, its callback
 * makes nothing. A used, expired or refused state never sends the browser
 * off-site (the open redirect the attacker test found: `?state=<used>&error=x`
 * went to any redirectUri given at the start).
 */
import { randomBytes } from 'node:crypto';
import { HttpAnswer, http } from './support/http';
import { InProcessStack } from './support/in-process';
import { redirectOf } from './support/stack';

const PASSWORD = 'a connect passphrase';
const APP = 'https://app.acme.example';

interface Person {
  userId: string;
  cookie: string;
  csrfToken: string;
}

let nextAddress = 0;
const address = () => `10.74.${Math.floor(++nextAddress / 250)}.${nextAddress % 250}`;
const cookieOf = (answer: HttpAnswer) => answer.headers.getSetCookie().find((line) => line.startsWith('herald_session='))!.split(';')[0]!;
const unique = (name: string) => `${name}_${randomBytes(3).toString('hex')}`;

describe('connect flows bound to their starter', () => {
  let stack: InProcessStack;
  let owner: Person;
  let workspaceId: string;
  let apiKey: string;
  const url = (path: string) => `${stack.apiUrl}${path}`;
  /** Herald's own page for how a flow ended. */
  const heraldPage = () => url('/channels/connected');

  const as = (person: Person) => (method: string, path: string, body?: unknown) =>
    http(method, url(path), { body, headers: { cookie: person.cookie, 'x-csrf-token': person.csrfToken, 'x-forwarded-for': address(), 'x-herald-workspace': workspaceId } });

  function personFrom(answer: HttpAnswer): Person {
    if (answer.status !== 200 && answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return { userId: answer.body.user.id, cookie: cookieOf(answer), csrfToken: answer.body.csrfToken };
  }

  /** The browser at the callback, with or without a session cookie: where it is sent. */
  async function callbackAs(callback: URL | string, cookie?: string): Promise<URL> {
    const response = await fetch(callback, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    const location = response.headers.get('location');
    if (response.status !== 302 || !location) throw new Error(`expected a 302 from the callback, got ${response.status}: ${await response.text()}`);
    return new URL(location, callback);
  }

  /** The person consents at the mock network as `handle`: its redirect to Herald's callback. */
  async function consent(authorizeUrl: string, handle: string): Promise<URL> {
    const authorize = new URL(authorizeUrl);
    authorize.searchParams.set('login_hint', handle);
    return redirectOf(authorize);
  }

  const channelCount = async () => (await stack.db.query(`SELECT count(*)::int AS n FROM channels WHERE workspace_id = $1`, [workspaceId])).rows[0].n as number;
  const usedAt = async (state: string) => (await stack.db.query(`SELECT used_at FROM oauth_flows WHERE state = $1`, [state])).rows[0].used_at as Date | null;
  const at = (landed: URL) => `${landed.origin}${landed.pathname}`;

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    owner = personFrom(await http('POST', url('/v1/auth/sign-up'), { body: { email: `owner-${randomBytes(3).toString('hex')}@example.com`, password: PASSWORD, name: 'Olive' } }));
    workspaceId = (await as(owner)('GET', '/v1/auth/me')).body.memberships[0].workspaceId;
    apiKey = (await as(owner)('POST', '/v1/api-keys', { name: 'connector', role: 'admin' })).body.key;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses at the start a redirectUri on neither the web app's origin nor one the workspace allowed (422)", async () => {
    const start = (redirectUri: string) => as(owner)('POST', '/v1/channels/connect', { network: 'x', redirectUri });
    for (const redirectUri of ['https://phish.example/channels/connected', `${APP}/back`, `${APP}.phish.example/back`, 'http://127.0.0.1:1/channels/connected']) {
      const refused = await start(redirectUri);
      expect({ redirectUri, status: refused.status }).toEqual({ redirectUri, status: 422 });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors[0].path).toBe('redirectUri');
    }
    expect((await start(heraldPage())).status).toBe(201);

    // The workspace allows its own app's origin; then that origin, and only it, is accepted.
    const workspace = await as(owner)('GET', '/v1/workspace');
    expect(workspace.body).toMatchObject({ id: workspaceId, webAppOrigin: new URL(stack.apiUrl).origin, allowedRedirectOrigins: [] });
    const allowed = await as(owner)('PATCH', '/v1/workspace', { allowedRedirectOrigins: [`${APP}/`] });
    expect(allowed.status).toBe(200);
    expect(allowed.body.allowedRedirectOrigins).toEqual([APP]);
    expect((await start(`${APP}/back`)).status).toBe(201);
    expect((await start(`${APP}.phish.example/back`)).status).toBe(422);
    expect((await http('POST', url('/v1/channels/connect'), { token: apiKey, body: { network: 'x', redirectUri: 'https://phish.example/x' } })).status).toBe(422);

    // Only origins, set by owners and admins, in the audit log.
    for (const origins of [['https://app.example/path'], ['javascript:alert(1)'], ['https://user:pw@app.example'], ['not a url']]) {
      const refused = await as(owner)('PATCH', '/v1/workspace', { allowedRedirectOrigins: origins });
      expect({ origins, status: refused.status }).toEqual({ origins, status: 422 });
    }
    const editorKey = (await as(owner)('POST', '/v1/api-keys', { name: 'editor', role: 'editor' })).body.key;
    expect((await http('PATCH', url('/v1/workspace'), { token: editorKey, body: { allowedRedirectOrigins: ['https://evil.example'] } })).status).toBe(403);
    expect((await as(owner)('GET', '/v1/workspace')).body.allowedRedirectOrigins).toEqual([APP]);
    const events = (await as(owner)('GET', '/v1/audit')).body.data as { action: string; details: Record<string, unknown> }[];
    expect(events.find((event) => event.action === 'workspace.updated')!.details).toEqual({ allowedRedirectOrigins: { from: [], to: [APP] } });
  });

  it("finishes a person's flow only in the session that started it: without it, or with another person's, nothing is made and nobody leaves Herald", async () => {
    const started = await as(owner)('POST', '/v1/channels/connect', { network: 'x', redirectUri: heraldPage() });
    expect(started.status).toBe(201);
    const callback = await consent(started.body.authorizeUrl, unique('bound'));
    const count = await channelCount();

    // A browser without the starter's cookie (the victim of a forged link, or anyone who got the URL).
    const stranger = await callbackAs(callback);
    expect(at(stranger)).toBe(heraldPage());
    expect(stranger.searchParams.get('error')).toBe('not_your_connection');
    expect(stranger.searchParams.get('channelId')).toBeNull();
    // Another member's session.
    const invited = await as(owner)('POST', '/v1/invitations', { email: `other-${randomBytes(3).toString('hex')}@example.com`, role: 'admin' });
    const other = personFrom(await http('POST', url('/v1/invitations/accept'), { body: { token: invited.body.token, password: PASSWORD } }));
    expect((await callbackAs(callback, other.cookie)).searchParams.get('error')).toBe('not_your_connection');
    expect(await channelCount()).toBe(count);
    expect(await usedAt(started.body.state)).toBeNull();

    // The starter's own browser finishes it.
    const landed = await callbackAs(callback, owner.cookie);
    expect(at(landed)).toBe(heraldPage());
    expect(landed.searchParams.get('channelId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await channelCount()).toBe(count + 1);

    // Replayed, even by the starter: Herald's page, nothing more.
    const replayed = await callbackAs(callback, owner.cookie);
    expect(at(replayed)).toBe(heraldPage());
    expect(replayed.searchParams.get('error')).toBe('state_already_used');
    expect(await channelCount()).toBe(count + 1);
  });

  it("binds an API key's flow to the key: it finishes without a browser session while the key is live, and makes nothing once it is revoked", async () => {
    const key = (await as(owner)('POST', '/v1/api-keys', { name: 'short-lived', role: 'admin' })).body;
    const start = () => http('POST', url('/v1/channels/connect'), { token: key.key, body: { network: 'linkedin', redirectUri: `${APP}/channels` } });

    const first = await start();
    const landed = await callbackAs(await consent(first.body.authorizeUrl, unique('keyed')));
    expect(at(landed)).toBe(`${APP}/channels`);
    expect(landed.searchParams.get('channelId')).toBeTruthy();

    const second = await start();
    const callback = await consent(second.body.authorizeUrl, unique('revoked'));
    expect((await as(owner)('DELETE', `/v1/api-keys/${key.id}`)).status).toBe(204);
    const count = await channelCount();
    const refused = await callbackAs(callback);
    expect(at(refused)).toBe(heraldPage());
    expect(refused.searchParams.get('error')).toBe('access_ended');
    expect(await channelCount()).toBe(count);
  });

  it('sends a used, expired or no longer allowed state to Herald\'s own page, never to its redirectUri (no open redirect)', async () => {
    const started = await http('POST', url('/v1/channels/connect'), { token: apiKey, body: { network: 'x', redirectUri: `${APP}/done` } });
    const callback = await consent(started.body.authorizeUrl, unique('used'));
    expect(at(await callbackAs(callback))).toBe(`${APP}/done`);
    // The attacker's request: a used state, with error=x.
    const used = await callbackAs(url(`/v1/channels/connect/callback?state=${started.body.state}&error=x`));
    expect(at(used)).toBe(heraldPage());
    expect(used.searchParams.get('error')).toBe('state_already_used');

    const late = await http('POST', url('/v1/channels/connect'), { token: apiKey, body: { network: 'x', redirectUri: `${APP}/done` } });
    await stack.db.query(`UPDATE oauth_flows SET expires_at = now() - interval '1 second' WHERE state = $1`, [late.body.state]);
    const expired = await callbackAs(url(`/v1/channels/connect/callback?state=${late.body.state}&error=x`));
    expect(at(expired)).toBe(heraldPage());
    expect(expired.searchParams.get('error')).toBe('state_expired');

    // A flow whose redirectUri is not (or no longer) allowed, as one stored before this release could be: refused at the callback too.
    const planted = await http('POST', url('/v1/channels/connect'), { token: apiKey, body: { network: 'x', redirectUri: `${APP}/done` } });
    await stack.db.query(`UPDATE oauth_flows SET redirect_uri = 'https://phish.example/steal' WHERE state = $1`, [planted.body.state]);
    const count = await channelCount();
    const refused = await callbackAs(await consent(planted.body.authorizeUrl, unique('planted')));
    expect(at(refused)).toBe(heraldPage());
    expect(refused.searchParams.get('error')).toBe('redirect_not_allowed');
    expect(await channelCount()).toBe(count);
    const failed = await callbackAs(url(`/v1/channels/connect/callback?state=${planted.body.state}&error=access_denied`));
    expect(failed.origin).toBe(new URL(stack.apiUrl).origin);
  });

  it('refuses a flow started before flows were bound (no starter recorded): Herald\'s page, no channel', async () => {
    const started = await as(owner)('POST', '/v1/channels/connect', { network: 'x', redirectUri: heraldPage() });
    await stack.db.query(`UPDATE oauth_flows SET started_session_id = NULL WHERE state = $1`, [started.body.state]);
    const count = await channelCount();
    const landed = await callbackAs(await consent(started.body.authorizeUrl, unique('legacy')), owner.cookie);
    expect(at(landed)).toBe(heraldPage());
    expect(landed.searchParams.get('error')).toBe('state_unbound');
    expect(await channelCount()).toBe(count);
  });
});
