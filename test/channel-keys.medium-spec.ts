/**
 * API keys limited to some of a workspace's channels (an agency's key for
 * one client's accounts, an agent's key for one brand): made with
 * `channelIds`, shown in the key list; such a key lists and reaches only its
 * channels and the posts that go to them alone (everything else is "not
 * found", as another workspace's is), posts only to them, reads analytics
 * one of its channels at a time, and is refused (403) on whatever reaches the
 * whole workspace. The same through the MCP server, which forwards the key.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { http } from './support/http';
import { InProcessStack } from './support/in-process';

describe('API keys limited to channels', () => {
  let stack: InProcessStack;
  let adminKey: string;
  let workspaceId: string;
  let mine: { id: string }[];
  let theirs: { id: string };
  let scopedKey: string;
  let scopedKeyId: string;
  const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const api = (method: string, path: string, body?: unknown, token = scopedKey) => http(method, `${stack.apiUrl}${path}`, { token, body });
  const at = () => new Date(Date.now() + 86_400_000).toISOString();

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    ({ apiKey: adminKey, id: workspaceId } = await stack.workspace('channel-keys'));
    mine = await Promise.all([stack.channel(adminKey, { network: 'x', handle: `mine_x_${unique()}` }), stack.channel(adminKey, { network: 'mastodon', handle: `mine_m_${unique()}` })]);
    theirs = await stack.channel(adminKey, { network: 'x', handle: `theirs_${unique()}` });
    const made = await api('POST', '/v1/api-keys', { name: 'client A', role: 'admin', channelIds: mine.map((channel) => channel.id.toUpperCase()) }, adminKey);
    expect(made.status).toBe(201);
    ({ key: scopedKey, id: scopedKeyId } = made.body);
    expect(made.body.channelIds).toEqual(mine.map((channel) => channel.id));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is made for live channels of the workspace only, and the key list says which', async () => {
    const listed = await api('GET', '/v1/api-keys', undefined, adminKey);
    expect(listed.body.data.find((key: { id: string }) => key.id === scopedKeyId).channelIds).toEqual(mine.map((channel) => channel.id));
    expect(listed.body.data.find((key: { id: string }) => key.id !== scopedKeyId).channelIds).toBeNull();

    const unknown = '00000000-0000-4000-8000-000000000000';
    const refused = await api('POST', '/v1/api-keys', { name: 'bad', channelIds: [mine[0]!.id, unknown] }, adminKey);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.errors).toEqual([{ path: 'channelIds[1]', message: `channel ${unknown} is not a channel of this workspace` }]);
    for (const channelIds of [[], ['not-a-uuid'], [mine[0]!.id, mine[0]!.id], 'all']) {
      expect((await api('POST', '/v1/api-keys', { name: 'bad', channelIds }, adminKey)).status).toBe(400);
    }
    // Nothing was made by the refusals.
    const keys = (await stack.db.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1`, [workspaceId])).rows[0].n;
    expect(keys).toBe(2);
  });

  it('lists and reaches only its channels; another channel is not found', async () => {
    const listed = await api('GET', '/v1/channels');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((channel: { id: string }) => channel.id).sort()).toEqual(mine.map((channel) => channel.id).sort());
    expect((await api('GET', `/v1/channels/${mine[0]!.id}`)).status).toBe(200);
    for (const [method, path] of [
      ['GET', `/v1/channels/${theirs.id}`],
      ['GET', `/v1/channels/${theirs.id}/queue`],
      ['POST', `/v1/channels/${theirs.id}/queue/shuffle`],
      ['PATCH', `/v1/channels/${theirs.id}`],
    ] as const) {
      const answer = await api(method, path, method === 'PATCH' ? { timezone: 'Europe/Paris' } : undefined);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
    expect((await api('GET', `/v1/channels/${mine[1]!.id}/queue`)).status).toBe(200);
  });

  it('posts only to its channels (a channel outside is not found, nothing written), and sees only the posts that go to them alone', async () => {
    const own = await api('POST', '/v1/posts', { text: `own ${unique()}`, channelIds: mine.map((channel) => channel.id), schedule: { mode: 'at', at: at() } });
    expect(own.status).toBe(201);
    const before = (await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE workspace_id = $1`, [workspaceId])).rows[0].n;
    const outside = await api('POST', '/v1/posts', { text: 'sneaky', channelIds: [mine[0]!.id, theirs.id], schedule: { mode: 'at', at: at() } });
    expect(outside.status).toBe(404);
    expect(outside.body.detail).toBe(`Channel ${theirs.id} was not found`);
    const dry = await api('POST', '/v1/posts/validate', { text: 'sneaky', channelIds: [theirs.id], schedule: { mode: 'now' } });
    expect(dry.status).toBe(200);
    expect(dry.body.ok).toBe(false);
    expect(dry.body.channels).toEqual([expect.objectContaining({ channelId: theirs.id, ok: false, network: null, problem: expect.objectContaining({ status: 404 }) })]);
    const bulk = await api('POST', '/v1/posts/bulk', { posts: [{ text: 'sneaky', channelIds: [theirs.id], schedule: { mode: 'at', at: at() } }] });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ created: 0, failed: 1, data: [{ index: 0, status: 404 }] });
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM posts WHERE workspace_id = $1`, [workspaceId])).rows[0].n).toBe(before);

    // Posts the whole-workspace key made: one to a channel outside, one to a channel outside and one inside.
    const elsewhere = await api('POST', '/v1/posts', { text: 'elsewhere', channelIds: [theirs.id], schedule: { mode: 'at', at: at() } }, adminKey);
    const straddling = await api('POST', '/v1/posts', { text: 'straddling', channelIds: [theirs.id, mine[0]!.id], schedule: { mode: 'at', at: at() } }, adminKey);
    expect([elsewhere.status, straddling.status]).toEqual([201, 201]);

    const listed = await api('GET', '/v1/posts?limit=100');
    expect(listed.body.data.map((post: { id: string }) => post.id)).toEqual([own.body.id]);
    expect((await api('GET', `/v1/posts?channelId=${theirs.id}`)).body.data).toEqual([]);
    expect((await api('GET', `/v1/posts/${own.body.id}`)).status).toBe(200);
    for (const id of [elsewhere.body.id, straddling.body.id]) {
      for (const [method, path, body] of [
        ['GET', `/v1/posts/${id}`],
        ['PATCH', `/v1/posts/${id}`, { text: 'changed' }],
        ['DELETE', `/v1/posts/${id}`],
        ['POST', `/v1/posts/${id}/retry`],
        ['POST', `/v1/posts/${id}/unpublish`],
        ['POST', `/v1/posts/${id}/approve`],
      ] as const) {
        const answer = await api(method, path, body);
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
      }
    }
    // Untouched: the whole-workspace key still sees them as they were.
    const kept = await api('GET', `/v1/posts/${straddling.body.id}`, undefined, adminKey);
    expect(kept.body).toMatchObject({ text: 'straddling', status: 'scheduled' });
    // Its own post it edits and cancels as its role allows.
    expect((await api('PATCH', `/v1/posts/${own.body.id}`, { text: 'edited' })).status).toBe(200);
    expect((await api('DELETE', `/v1/posts/${own.body.id}`)).status).toBe(200);
  });

  it('reads analytics one of its channels at a time', async () => {
    expect((await api('GET', `/v1/analytics?channelId=${mine[0]!.id}`)).status).toBe(200);
    expect((await api('GET', `/v1/analytics/best-times?channelId=${mine[1]!.id}`)).status).toBe(200);
    expect((await api('GET', `/v1/analytics?channelId=${theirs.id}`)).status).toBe(404);
    const whole = await api('GET', '/v1/analytics');
    expect(whole.status).toBe(400);
    expect(whole.body.errors).toEqual([{ path: 'channelId', message: 'is required for a key limited to channels' }]);
  });

  it('is refused on whatever reaches the whole workspace, naming why', async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys', { name: 'escape', role: 'viewer' }],
      ['GET', '/v1/webhooks'],
      ['GET', '/v1/members'],
      ['GET', '/v1/workspace'],
      ['GET', '/v1/feeds'],
      ['GET', '/v1/series'],
      ['GET', '/v1/calendar'],
      ['GET', '/v1/media'],
      ['POST', '/v1/posts/import', {}],
      ['DELETE', `/v1/channels/${mine[0]!.id}`],
      ['POST', '/v1/channels/connect', { network: 'x' }],
    ] as const) {
      const answer = await api(method, path, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
      expect(answer.body.detail).toMatch(/limited to 2 channels.*needs a key that is not limited to channels/);
    }
    // The channels are still there.
    expect((await api('GET', '/v1/channels')).body.data).toHaveLength(2);
    expect((await api('GET', '/v1/networks')).status).toBe(200);
  });

  it('keeps an agent on the MCP server to the same channels', async () => {
    const client = new Client({ name: 'herald-test-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.apiUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${scopedKey}` } } }));
    try {
      const channels = (await client.callTool({ name: 'list_channels', arguments: {} })) as CallToolResult;
      expect(channels.isError).toBeFalsy();
      expect((channels.structuredContent as { data: { id: string }[] }).data.map((channel) => channel.id).sort()).toEqual(mine.map((channel) => channel.id).sort());
      const outside = (await client.callTool({
        name: 'create_post',
        arguments: { text: 'agent elsewhere', channelIds: [theirs.id], schedule: { mode: 'at', at: at() }, idempotencyKey: unique() },
      })) as CallToolResult;
      expect(outside.isError).toBe(true);
      const [said, problem] = outside.content.map((part) => (part.type === 'text' ? part.text : ''));
      expect(said).toMatch(/create_post was refused: 404/);
      expect((JSON.parse(problem!) as { status: number }).status).toBe(404);
    } finally {
      await client.close();
    }
  });

  it('is refused once revoked, like any key', async () => {
    expect((await api('DELETE', `/v1/api-keys/${scopedKeyId}`, undefined, adminKey)).status).toBe(204);
    expect((await api('GET', '/v1/channels')).status).toBe(401);
  });
});
