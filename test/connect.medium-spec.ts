/**
 * Connecting accounts through the OAuth flow end to end, against the mock's
 * real authorize and token endpoints: start a flow, follow `authorizeUrl`
 * with an HTTP client (the mock consents at once, as `login_hint` names),
 * Herald's callback, the browser sent on with `channelId=`, and the channel
 * publishing. Mastodon on two instances, one app registered on each and
 * reused; connecting again reconnects the same channel. Every way a flow
 * fails (denied consent, a replayed, expired or unknown state, a wrong
 * code, an installation without the network's app) gives a clear error and
 * no channel.
 */
import { freePort } from './support/ports';
import { http, waitFor } from './support/http';
import { InProcessApp, InProcessStack } from './support/in-process';
import { CONNECTED_URI, redirectOf } from './support/stack';

const BACK = CONNECTED_URI;

describe('connecting accounts through OAuth', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await InProcessStack.start();
    ({ apiKey, id: workspaceId } = await stack.workspace('connect'));
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

  async function start(body: Record<string, unknown>, key = apiKey) {
    return http('POST', `${stack.apiUrl}/v1/channels/connect`, { token: key, body: { redirectUri: BACK, ...body } });
  }

  /** The person consents as `handle`: the network's redirect to Herald's callback. */
  async function consent(authorizeUrl: string, handle: string): Promise<URL> {
    const url = new URL(authorizeUrl);
    url.searchParams.set('login_hint', handle);
    return redirectOf(url.toString());
  }

  /** The whole flow for one account: where the browser lands at the end. */
  async function connect(network: string, handle: string, extra: Record<string, unknown> = {}): Promise<URL> {
    const started = await start({ network, ...extra });
    expect(started.status).toBe(201);
    const callback = await consent(started.body.authorizeUrl, handle);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${stack.apiUrl}/v1/channels/connect/callback`);
    return redirectOf(callback.toString());
  }

  async function channelCount(): Promise<number> {
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM channels WHERE workspace_id = $1`, [workspaceId]);
    return rows[0].n;
  }

  async function publishedTo(channelId: string, text: string) {
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text, channelIds: [channelId], schedule: { mode: 'now' } } });
    expect(created.status).toBe(201);
    return waitFor(`"${text}" to settle`, async () => {
      const post = (await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body;
      return ['published', 'failed'].includes(post.status) ? post : undefined;
    }, { timeoutMs: 20_000 });
  }

  it.each([
    ['x', 'authorization_code'],
    ['linkedin', 'authorization_code'],
    ['threads', 'authorization_code'],
  ])('connects %s: authorize, callback, a channel that publishes', async (network, grantType) => {
    const handle = unique(network);
    const landed = await connect(network, handle);
    expect(`${landed.origin}${landed.pathname}`).toBe(BACK);
    expect(landed.searchParams.get('error')).toBeNull();
    const channelId = landed.searchParams.get('channelId')!;
    expect(channelId).toMatch(/^[0-9a-f-]{36}$/);

    const channel = (await http('GET', `${stack.apiUrl}/v1/channels/${channelId}`, { token: apiKey })).body;
    // LinkedIn's userinfo gives a member's name, no handle: the name is the channel's handle there.
    expect(channel).toMatchObject({ id: channelId, network, handle: network === 'linkedin' ? channel.displayName : handle, status: 'active' });
    expect(channel.displayName).toEqual(expect.any(String));
    expect(channel).not.toHaveProperty('accessToken');
    const { rows } = await stack.db.query(`SELECT account_id, access_token, token_expires_at FROM channels WHERE id = $1`, [channelId]);
    expect(rows[0].account_id).toBeTruthy();
    expect(rows[0].token_expires_at).not.toBeNull();
    // Sealed at rest.
    expect(rows[0].access_token).toMatch(/^v\d+\./);

    const calls = (await http('GET', `${stack.mockUrl}/_mock/oauth?network=${network}`)).body.data;
    expect(calls.find((call: { grantType: string }) => call.grantType === grantType)?.count).toBeGreaterThanOrEqual(1);

    const post = await publishedTo(channelId, `hello from ${handle}`);
    expect(post.status).toBe('published');
    expect((await stack.mockPosts({ network, handle })).map((entry) => entry.text)).toEqual([`hello from ${handle}`]);
  });

  it('connects Mastodon accounts on two instances: one app registered on each, reused by the next account there', async () => {
    const [one, two] = [stack.networkUrl('mastodon', 0), stack.networkUrl('mastodon', 1)];
    const appsOf = async () => (await stack.db.query(`SELECT instance_url, client_id FROM mastodon_apps ORDER BY instance_url`)).rows;
    const before = await appsOf();

    const first = await connect('mastodon', unique('ada'), { instanceUrl: one });
    const second = await connect('mastodon', unique('grace'), { instanceUrl: `${one}/` });
    const third = await connect('mastodon', unique('linus'), { instanceUrl: two });
    const apps = await appsOf();
    expect(apps.filter((app) => app.instance_url === one)).toHaveLength(1);
    expect(apps.filter((app) => app.instance_url === two)).toHaveLength(1);
    expect(apps.length - before.length).toBeLessThanOrEqual(2);
    // Different instances, different apps.
    expect(apps.find((app) => app.instance_url === one)!.client_id).not.toBe(apps.find((app) => app.instance_url === two)!.client_id);

    const ids = [first, second, third].map((landed) => landed.searchParams.get('channelId')!);
    expect(new Set(ids).size).toBe(3);
    const hosts = await Promise.all(ids.map(async (id) => (await http('GET', `${stack.apiUrl}/v1/channels/${id}`, { token: apiKey })).body.host));
    expect(hosts).toEqual([one, one, two]);
    for (const id of ids) expect((await publishedTo(id, `toot ${id}`)).status).toBe('published');
    const posted = await stack.mockPosts({ network: 'mastodon' });
    expect(ids.map((id) => posted.filter((post) => post.text === `toot ${id}`).length)).toEqual([1, 1, 1]);
  });

  it('reconnects an account connected before: the same channel, schedule and queue, with new tokens', async () => {
    const handle = unique('again');
    const first = (await connect('x', handle)).searchParams.get('channelId')!;
    const schedule = { slots: [{ day: 'mon', time: '09:00' }] };
    expect((await http('PATCH', `${stack.apiUrl}/v1/channels/${first}`, { token: apiKey, body: { postingSchedule: schedule } })).status).toBe(200);
    const tokenBefore = (await stack.db.query(`SELECT access_token FROM channels WHERE id = $1`, [first])).rows[0].access_token;
    const count = await channelCount();

    const second = (await connect('x', handle)).searchParams.get('channelId');
    expect(second).toBe(first);
    expect(await channelCount()).toBe(count);
    const channel = (await http('GET', `${stack.apiUrl}/v1/channels/${first}`, { token: apiKey })).body;
    expect(channel.postingSchedule).toEqual({ ...schedule, isDefault: false });
    expect((await stack.db.query(`SELECT access_token FROM channels WHERE id = $1`, [first])).rows[0].access_token).not.toBe(tokenBefore);
  });

  it('sends the browser back with error=access_denied when the person refuses, and makes no channel', async () => {
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'x', denyConsent: true } });
    const count = await channelCount();
    const landed = await connect('x', unique('refuses'));
    expect(`${landed.origin}${landed.pathname}`).toBe(BACK);
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('channelId')).toBeNull();
    expect(await channelCount()).toBe(count);
  });

  it('refuses a replayed state (state_already_used) and connects nothing the second time', async () => {
    const started = await start({ network: 'x' });
    const callback = await consent(started.body.authorizeUrl, unique('replay'));
    expect((await redirectOf(callback.toString())).searchParams.get('channelId')).toBeTruthy();
    const count = await channelCount();
    const replayed = await redirectOf(callback.toString());
    expect(replayed.searchParams.get('error')).toBe('state_already_used');
    expect(replayed.searchParams.get('channelId')).toBeNull();
    expect(await channelCount()).toBe(count);
  });

  it('refuses an expired state (state_expired): a flow lives ten minutes', async () => {
    const started = await start({ network: 'linkedin' });
    expect(Date.parse(started.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(started.body.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 5_000);
    const callback = await consent(started.body.authorizeUrl, unique('late'));
    await stack.db.query(`UPDATE oauth_flows SET expires_at = now() - interval '1 second' WHERE state = $1`, [started.body.state]);
    const count = await channelCount();
    const landed = await redirectOf(callback.toString());
    expect(landed.searchParams.get('error')).toBe('state_expired');
    expect(await channelCount()).toBe(count);
  });

  it('reports a code the network refuses (invalid_grant) and makes no channel; the state is used up', async () => {
    const started = await start({ network: 'x' });
    const count = await channelCount();
    const wrong = new URL(`${stack.apiUrl}/v1/channels/connect/callback`);
    wrong.searchParams.set('state', started.body.state);
    wrong.searchParams.set('code', 'not-a-code-the-network-issued');
    const landed = await redirectOf(wrong.toString());
    expect(landed.searchParams.get('error')).toBe('invalid_grant');
    expect(landed.searchParams.get('error_description')).toBeTruthy();
    expect(await channelCount()).toBe(count);
    // The real code, after a wrong one, comes too late: the state was used.
    const callback = await consent(started.body.authorizeUrl, unique('second_try'));
    expect((await redirectOf(callback.toString())).searchParams.get('error')).toBe('state_already_used');
  });

  it('answers 400 for a state Herald never issued or none at all (there is no redirectUri to go back to)', async () => {
    for (const query of ['?state=never-issued&code=abc', '?code=abc', '']) {
      const answer = await http('GET', `${stack.apiUrl}/v1/channels/connect/callback${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it("binds a flow to its workspace: another workspace cannot read or pick its pending accounts", async () => {
    const other = await stack.workspace('other');
    const started = await start({ network: 'facebook' });
    expect(started.status).toBe(201);
    expect((await http('GET', `${stack.apiUrl}/v1/channels/connect/${started.body.state}/accounts`, { token: other.apiKey })).status).toBe(404);
    expect((await http('POST', `${stack.apiUrl}/v1/channels/connect/${started.body.state}/choose`, { token: other.apiKey, body: { accountId: '1' } })).status).toBe(404);
  });

  it('checks what starts a flow: 400 for a network without OAuth or a bad redirectUri, 422 for Mastodon without an instance or with a private one', async () => {
    const problem = (answer: { status: number; headers: Headers }, status: number) => {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    };
    problem(await start({ network: 'bluesky' }), 400);
    problem(await start({ network: 'myspace' }), 400);
    problem(await start({ network: 'x', redirectUri: 'javascript:alert(1)' }), 400);
    problem(await http('POST', `${stack.apiUrl}/v1/channels/connect`, { token: apiKey, body: { network: 'x' } }), 400);
    problem(await start({ network: 'mastodon' }), 422);
    problem(await start({ network: 'mastodon', instanceUrl: 'http://10.0.0.1' }), 422);
    expect((await http('POST', `${stack.apiUrl}/v1/channels/connect`, { body: { network: 'x', redirectUri: BACK } })).status).toBe(401);
  });

  describe('an installation without the network apps', () => {
    let bare: InProcessApp;
    let bareUrl: string;

    beforeAll(async () => {
      const port = await freePort();
      bareUrl = `http://127.0.0.1:${port}`;
      bare = await stack.startApiInProcess({ PORT: String(port), HERALD_PUBLIC_URL: bareUrl, X_CLIENT_ID: '', X_CLIENT_SECRET: '', META_APP_ID: '', META_APP_SECRET: '' });
      await waitFor('the second API', async () => (await http('GET', `${bareUrl}/health/ready`)).status === 200, { timeoutMs: 30_000 });
    });

    afterAll(async () => {
      await bare?.close();
    });

    it('answers 422 naming the missing settings, and GET /v1/networks says which networks connect here', async () => {
      const refused = await http('POST', `${bareUrl}/v1/channels/connect`, { token: apiKey, body: { network: 'x', redirectUri: BACK } });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(refused.body)).toContain('X_CLIENT_ID');
      expect(JSON.stringify(refused.body)).toContain('X_CLIENT_SECRET');
      const threads = await http('POST', `${bareUrl}/v1/channels/connect`, { token: apiKey, body: { network: 'threads', redirectUri: BACK } });
      expect(threads.status).toBe(422);
      expect(JSON.stringify(threads.body)).toContain('META_APP_ID');

      const networks = (await http('GET', `${bareUrl}/v1/networks`, { token: apiKey })).body.data as { network: string; connect: { connectable: boolean; missingSettings: string[] } }[];
      const connectOf = (name: string) => networks.find((entry) => entry.network === name)!.connect;
      expect(connectOf('x')).toMatchObject({ connectable: false, missingSettings: ['X_CLIENT_ID', 'X_CLIENT_SECRET'] });
      expect(connectOf('facebook').connectable).toBe(false);
      expect(connectOf('linkedin')).toMatchObject({ connectable: true, missingSettings: [] });
      expect(connectOf('mastodon').connectable).toBe(true);
      expect(connectOf('bluesky').connectable).toBe(true);
      // The full installation connects them all.
      const full = (await http('GET', `${stack.apiUrl}/v1/networks`, { token: apiKey })).body.data as { connect: { connectable: boolean } }[];
      expect(full.every((entry) => entry.connect.connectable)).toBe(true);
    });
  });
});
