/**
 * Channels people can tell apart, and a first run that works: each network's
 * name, handle and avatar read at connect (the avatar fetched, made a
 * 128×128 WebP and served by Herald with an ETag), an account renamed on its
 * network reconnecting to the same channel (matched by the network's account
 * id, not its handle) with its new handle and name, a profile refresh showing
 * a renamed account's new name; new channels taking the workspace's zone
 * (from sign-up, changeable) and the default schedule, and saying so until
 * it is edited; saved groups of channels; schedule, zone and webhook changes
 * in the audit log.
 */
import sharp from 'sharp';
import { HttpAnswer, http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

describe('channel identity and first run', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true' } });
    ({ apiKey } = await stack.workspace('identity'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const api = (method: string, path: string, body?: unknown, key = apiKey) => http(method, `${stack.apiUrl}${path}`, { token: key, body });
  const rename = async (body: Record<string, unknown>) => expect((await http('POST', `${stack.mockUrl}/_mock/accounts/rename`, { body })).status).toBe(200);

  async function connected(network: string, handle: string, extra: Record<string, unknown> = {}, key = apiKey): Promise<string> {
    const landed = await stack.connectThroughOAuth(key, network, handle, extra);
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting ${network} ${handle} failed: ${landed.toString()}`);
    return channelId;
  }

  async function avatarOf(channelId: string, headers: Record<string, string> = {}): Promise<{ answer: Response; bytes: Buffer }> {
    const answer = await fetch(`${stack.apiUrl}/v1/channels/${channelId}/avatar`, { headers: { authorization: `Bearer ${apiKey}`, ...headers } });
    return { answer, bytes: Buffer.from(await answer.arrayBuffer()) };
  }

  it('reads each network\'s name, handle and avatar at connect, and serves the avatar itself as a 128×128 WebP', async () => {
    const mastodonUrl = stack.networkUrl('mastodon', 0);
    const cases: { network: string; connect: () => Promise<string>; handle: RegExp; displayName: string }[] = [
      { network: 'x', connect: () => connected('x', 'ada_x'), handle: /^ada_x$/, displayName: 'Ada X' },
      { network: 'mastodon', connect: () => connected('mastodon', 'ada_m', { instanceUrl: mastodonUrl }), handle: new RegExp(`^@ada_m@${new URL(mastodonUrl).host.replace(/\./g, '\\.')}$`), displayName: 'Ada M' },
      { network: 'linkedin', connect: () => connected('linkedin', 'ada_l'), handle: /^Ada L$/, displayName: 'Ada L' },
      { network: 'threads', connect: () => connected('threads', 'ada_t'), handle: /^ada_t$/, displayName: 'Ada T' },
      { network: 'instagram', connect: () => connected('instagram', 'ada_i'), handle: /^ada_i$/, displayName: 'Ada I' },
      { network: 'facebook', connect: () => connected('facebook', 'ada_f'), handle: /^ada_f's Page$/, displayName: "ada_f's Page" },
      { network: 'bluesky', connect: async () => (await stack.channel(apiKey, { network: 'bluesky', handle: 'ada-b.bsky.social' })).id, handle: /^ada-b\.bsky\.social$/, displayName: 'Ada B' },
    ];
    const etags = new Set<string>();
    for (const { network, connect, handle, displayName } of cases) {
      const id = await connect();
      const channel = (await api('GET', `/v1/channels/${id}`)).body;
      expect({ network: channel.network, handle: channel.handle, displayName: channel.displayName, avatarUrl: channel.avatarUrl }).toEqual({
        network,
        handle: expect.stringMatching(handle),
        displayName,
        avatarUrl: `/v1/channels/${id}/avatar`,
      });
      expect(Date.parse(channel.profileRefreshedAt)).toBeGreaterThan(Date.now() - 60_000);
      const { answer, bytes } = await avatarOf(id);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/webp');
      expect(answer.headers.get('cache-control')).toMatch(/private/);
      const meta = await sharp(bytes).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'webp', width: 128, height: 128 });
      etags.add(answer.headers.get('etag')!);
      // The browser's copy is still good: 304, no body.
      const again = await avatarOf(id, { 'if-none-match': answer.headers.get('etag')! });
      expect(again.answer.status).toBe(304);
      expect(again.bytes.length).toBe(0);
    }
    // Each account's avatar is its own.
    expect(etags.size).toBe(cases.length);
  });

  it('reconnects an account whose handle and name changed to the same channel (by its account id), showing the new ones', async () => {
    const instanceUrl = stack.networkUrl('mastodon', 0);
    const host = new URL(instanceUrl).host;
    const first = unique('brand');
    const id = await connected('mastodon', first, { instanceUrl });
    const before = (await api('GET', `/v1/channels/${id}`)).body;
    expect(before.handle).toBe(`@${first}@${host}`);
    const schedule = { slots: [{ day: 'tue', time: '10:15' }] };
    expect((await api('PATCH', `/v1/channels/${id}`, { postingSchedule: schedule })).status).toBe(200);
    const oldAvatar = (await avatarOf(id)).answer.headers.get('etag');

    const renamed = unique('rebrand');
    await rename({ network: 'mastodon', instanceUrl, handle: first, newHandle: renamed, displayName: 'Rebrand Inc' });
    const again = await connected('mastodon', first, { instanceUrl });
    expect(again).toBe(id);
    const after = (await api('GET', `/v1/channels/${id}`)).body;
    expect({ handle: after.handle, displayName: after.displayName, schedule: after.postingSchedule.slots }).toEqual({ handle: `@${renamed}@${host}`, displayName: 'Rebrand Inc', schedule: schedule.slots });
    expect((await avatarOf(id)).answer.headers.get('etag')).not.toBe(oldAvatar);
    // Still one channel for the account.
    const list = (await api('GET', '/v1/channels?limit=100')).body.data as { id: string; handle: string }[];
    expect(list.filter((channel) => channel.handle.includes(first) || channel.handle.includes(renamed)).map((channel) => channel.id)).toEqual([id]);

    // And an X account renamed, connected again with the token Herald checks.
    const xFirst = unique('xbrand');
    const x = await connected('x', xFirst);
    const xRenamed = unique('xrebrand');
    await rename({ network: 'x', handle: xFirst, newHandle: xRenamed, displayName: 'X Rebrand' });
    expect(await connected('x', xFirst)).toBe(x);
    expect((await api('GET', `/v1/channels/${x}`)).body).toMatchObject({ handle: xRenamed, displayName: 'X Rebrand' });

    // A Bluesky account that changed its handle keeps its DID: connected with the new handle, it is the same channel.
    const skyFirst = `${unique('sky').replace(/_/g, '-')}.bsky.social`;
    const sky = await stack.channel(apiKey, { network: 'bluesky', handle: skyFirst });
    const skyRenamed = `${unique('skynew').replace(/_/g, '-')}.bsky.social`;
    await rename({ network: 'bluesky', handle: skyFirst, newHandle: skyRenamed, displayName: 'Sky Rebrand' });
    const reconnected = await http('POST', `${stack.apiUrl}/v1/channels`, { token: apiKey, body: { network: 'bluesky', handle: skyRenamed, appPassword: 'abcd-efgh-ijkl-mnop' } });
    expect(reconnected.status).toBe(200);
    expect(reconnected.body).toMatchObject({ id: sky.id, handle: skyRenamed, displayName: 'Sky Rebrand' });
  });

  it('reads a renamed account\'s new name on a profile refresh', async () => {
    const handle = unique('refresh');
    const id = await connected('linkedin', handle);
    const before = (await api('GET', `/v1/channels/${id}`)).body;
    await rename({ network: 'linkedin', handle, displayName: 'Grace Hopper' });
    // Nothing changes until Herald reads the network again.
    expect((await api('GET', `/v1/channels/${id}`)).body.displayName).toBe(before.displayName);
    const refreshed = await api('POST', `/v1/channels/${id}/profile/refresh`);
    expect(refreshed.status).toBe(200);
    expect({ handle: refreshed.body.handle, displayName: refreshed.body.displayName, id: refreshed.body.id }).toEqual({ handle: 'Grace Hopper', displayName: 'Grace Hopper', id });
    expect(Date.parse(refreshed.body.profileRefreshedAt)).toBeGreaterThan(Date.parse(before.profileRefreshedAt));

    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `${handle.replace(/_/g, '-')}.bsky.social` });
    await rename({ network: 'bluesky', handle: bluesky.handle, displayName: 'Sky Renamed' });
    expect((await api('POST', `/v1/channels/${bluesky.id}/profile/refresh`)).body.displayName).toBe('Sky Renamed');

    const missing = await api('POST', '/v1/channels/00000000-0000-0000-0000-000000000000/profile/refresh');
    expect(missing.status).toBe(404);
    expect((await avatarOf('00000000-0000-0000-0000-000000000000')).answer.status).toBe(404);
  });

  it('reads the profile again when the worker renews a token and the last reading is a day old', async () => {
    const handle = unique('renewed');
    const id = await connected('x', handle);
    await rename({ network: 'x', handle, displayName: 'Renewed Name' });
    // A token about to lapse, and a profile read two days ago: the worker's sweep renews it, then reads the profile.
    await stack.db.query(`UPDATE channels SET token_expires_at = now() + interval '1 minute', profile_refreshed_at = now() - interval '2 days' WHERE id = $1`, [id]);
    await stack.startWorkerInProcess();
    const renamed = await waitFor('the profile read after the renewal', async () => {
      const channel = (await api('GET', `/v1/channels/${id}`)).body;
      return channel.displayName === 'Renewed Name' && channel;
    }, { timeoutMs: 20_000 });
    expect(Date.parse(renamed.profileRefreshedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(renamed.tokenExpiresAt)).toBeGreaterThan(Date.now() + 3_600_000);
  });

  it('connects and refreshes an account whose avatar cannot be fetched, keeping the avatar it had', async () => {
    const handle = unique('noavatar');
    await rename({ network: 'x', handle, avatar: 'broken' });
    const id = await connected('x', handle);
    const channel = (await api('GET', `/v1/channels/${id}`)).body;
    expect({ displayName: channel.displayName, avatarUrl: channel.avatarUrl }).toEqual({ displayName: expect.any(String), avatarUrl: null });
    expect((await avatarOf(id)).answer.status).toBe(404);

    await rename({ network: 'x', handle, avatar: 'drawn' });
    const drawn = await api('POST', `/v1/channels/${id}/profile/refresh`);
    expect(drawn.body.avatarUrl).toBe(`/v1/channels/${id}/avatar`);
    const kept = (await avatarOf(id)).answer.headers.get('etag');

    await rename({ network: 'x', handle, displayName: 'Lost Avatar', avatar: 'broken' });
    const refreshed = await api('POST', `/v1/channels/${id}/profile/refresh`);
    expect(refreshed.status).toBe(200);
    expect({ displayName: refreshed.body.displayName, avatarUrl: refreshed.body.avatarUrl }).toEqual({ displayName: 'Lost Avatar', avatarUrl: `/v1/channels/${id}/avatar` });
    expect((await avatarOf(id)).answer.headers.get('etag')).toBe(kept);
  });

  it('gives a new channel the workspace\'s zone and the default schedule, and says so until someone edits it', async () => {
    const fresh = await api('GET', '/v1/channels/' + (await connected('threads', unique('zone'))));
    expect(fresh.body.timezone).toBe('UTC');
    expect(fresh.body.postingSchedule.isDefault).toBe(true);
    expect(fresh.body.postingSchedule.slots).toHaveLength(15);
    expect(fresh.body.postingSchedule.slots.slice(0, 3)).toEqual([
      { day: 'mon', time: '09:00' },
      { day: 'mon', time: '12:30' },
      { day: 'mon', time: '17:00' },
    ]);

    const bad = await api('PATCH', '/v1/workspace', { timezone: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await api('GET', '/v1/workspace')).body.timezone).toBe('UTC');
    const set = await api('PATCH', '/v1/workspace', { timezone: 'America/New_York' });
    expect(set.status).toBe(200);
    expect(set.body.timezone).toBe('America/New_York');
    // The redirect origins stay as they were when only the zone is given.
    expect(set.body.allowedRedirectOrigins).toEqual(['https://app.example']);

    const id = await connected('x', unique('newyork'));
    const channel = (await api('GET', `/v1/channels/${id}`)).body;
    expect({ timezone: channel.timezone, isDefault: channel.postingSchedule.isDefault }).toEqual({ timezone: 'America/New_York', isDefault: true });
    // A first "Add to queue" needs no settings first: the default schedule has slots.
    const queued = await api('POST', '/v1/posts', { text: 'first queued post', channelIds: [id], schedule: { mode: 'queue' } });
    expect(queued.status).toBe(201);

    const zoned = await api('PATCH', `/v1/channels/${id}`, { timezone: 'Europe/Berlin' });
    expect(zoned.body.postingSchedule.isDefault).toBe(true);
    const edited = await api('PATCH', `/v1/channels/${id}`, { postingSchedule: { slots: [{ day: 'mon', time: '08:00' }] } });
    expect(edited.body.postingSchedule).toEqual({ slots: [{ day: 'mon', time: '08:00' }], isDefault: false });

    const audit = (await api('GET', '/v1/audit?limit=20')).body.data as { action: string; subject: { id: string }; details: Record<string, unknown> }[];
    const mine = audit.filter((event) => event.subject.id === id);
    expect(mine.find((event) => event.action === 'channel.timezone_changed')?.details).toEqual({ from: 'America/New_York', to: 'Europe/Berlin' });
    expect(mine.find((event) => event.action === 'channel.schedule_changed')?.details).toMatchObject({ to: [{ day: 'mon', time: '08:00' }] });
    expect(audit.find((event) => event.action === 'workspace.updated')?.details).toEqual({ timezone: { from: 'UTC', to: 'America/New_York' } });
  });

  it('takes the browser\'s zone at sign-up for the new workspace, and refuses an unknown one; an <img> names its workspace in the query', async () => {
    const refused = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `${unique('zone')}@example.com`, password: 'a long enough password', timezone: 'Nowhere/Land' } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'timezone' })]);
    const email = `${unique('tokyo')}@example.com`;
    const signedUp = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: 'a long enough password', timezone: 'Asia/Tokyo' } });
    expect(signedUp.status).toBe(201);
    const cookie = signedUp.headers.getSetCookie().find((line) => line.startsWith('herald_session='))!.split(';')[0]!;
    const workspace = await http('GET', `${stack.apiUrl}/v1/workspace`, { headers: { cookie, 'x-herald-workspace': signedUp.body.memberships[0].workspaceId } });
    expect(workspace.body.timezone).toBe('Asia/Tokyo');
    // An <img> sends the cookie but no header: a person in several workspaces names one in the query.
    const channelId = await connected('x', unique('img'));
    const invited = await api('POST', '/v1/invitations', { email, role: 'viewer' });
    const accepted = await http('POST', `${stack.apiUrl}/v1/invitations/accept`, { body: { token: invited.body.token }, headers: { cookie, 'x-csrf-token': signedUp.body.csrfToken } });
    expect(accepted.status).toBe(200);
    const mine = accepted.body.workspaceId as string;
    const img = (query: string) => fetch(`${stack.apiUrl}/v1/channels/${channelId}/avatar${query}`, { headers: { cookie } });
    expect((await img('')).status).toBe(400);
    const shown = await img(`?workspace=${mine}`);
    expect([shown.status, shown.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect((await img(`?workspace=${signedUp.body.memberships[0].workspaceId}`)).status).toBe(404);

    const plain = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `${unique('utc')}@example.com`, password: 'a long enough password' } });
    const plainCookie = plain.headers.getSetCookie().find((line) => line.startsWith('herald_session='))!.split(';')[0]!;
    expect((await http('GET', `${stack.apiUrl}/v1/workspace`, { headers: { cookie: plainCookie, 'x-herald-workspace': plain.body.memberships[0].workspaceId } })).body.timezone).toBe('UTC');
  });

  it('keeps saved groups of the workspace\'s channels, names unique, and drops a removed channel from them', async () => {
    const a = await connected('x', unique('ga'));
    const b = await connected('threads', unique('gb'));
    const other = await stack.workspace('other');
    const foreign = await connected('x', unique('foreign'), {}, other.apiKey);

    const created = await api('POST', '/v1/channel-groups', { name: 'Client A', channelIds: [b, a] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Client A', channelIds: [b, a] });
    const group = created.body.id as string;

    const twice = await api('POST', '/v1/channel-groups', { name: 'client a', channelIds: [] });
    expect(twice.status).toBe(409);
    const notOurs: HttpAnswer = await api('POST', '/v1/channel-groups', { name: 'Client B', channelIds: [a, foreign] });
    expect(notOurs.status).toBe(422);
    expect(notOurs.body.errors).toEqual([{ path: 'channelIds[1]', message: 'is not a channel of this workspace' }]);
    expect((await api('PATCH', `/v1/channel-groups/${group}`, { channelIds: [foreign] })).status).toBe(422);
    // Another workspace sees no such group.
    expect((await api('PATCH', `/v1/channel-groups/${group}`, { name: 'Mine now' }, other.apiKey)).status).toBe(404);

    const renamed = await api('PATCH', `/v1/channel-groups/${group}`, { name: 'Client A (EU)', channelIds: [a, b] });
    expect(renamed.body).toMatchObject({ name: 'Client A (EU)', channelIds: [a, b] });
    expect((await api('DELETE', `/v1/channels/${a}`)).status).toBe(204);
    const listed = (await api('GET', '/v1/channel-groups')).body.data as { id: string; channelIds: string[] }[];
    expect(listed.find((entry) => entry.id === group)?.channelIds).toEqual([b]);

    expect((await api('DELETE', `/v1/channel-groups/${group}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/channel-groups/${group}`)).status).toBe(404);
    const audit = (await api('GET', '/v1/audit?limit=50')).body.data as { action: string; subject: { id: string } }[];
    expect(audit.filter((event) => event.subject.id === group).map((event) => event.action)).toEqual(['channel_group.deleted', 'channel_group.updated', 'channel_group.created']);
  });

  it('records webhooks created and deleted in the audit log', async () => {
    const hook = await api('POST', '/v1/webhooks', { url: 'https://hooks.example.com/herald', events: ['post.published'] });
    expect(hook.status).toBe(201);
    expect((await api('DELETE', `/v1/webhooks/${hook.body.id}`)).status).toBe(204);
    const audit = (await api('GET', '/v1/audit?limit=10')).body.data as { action: string; subject: { type: string; id: string }; details: Record<string, unknown> }[];
    expect(audit.filter((event) => event.subject.id === hook.body.id).map((event) => [event.action, event.details])).toEqual([
      ['webhook.deleted', { url: 'https://hooks.example.com/herald' }],
      ['webhook.created', { url: 'https://hooks.example.com/herald', events: ['post.published'] }],
    ]);
  });
});
