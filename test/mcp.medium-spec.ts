/**
 * The MCP server at /mcp, driven by the official MCP client (`Client` over
 * `StreamableHTTPClientTransport`) against the API, a worker and the mock
 * networks: an API key connects, lists the tools, validates and creates a
 * post (seen by REST, published by the worker); the API's rules and roles
 * answer as tool errors; a key in the URL is refused; a replayed
 * idempotency key makes one post, and so does a call resent with the same
 * JSON-RPC id; a client that checks answers against the tools' output
 * schemas (every client that lists them) gets the API's refusals as tool
 * errors, and every tool's answer fits.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';
import { FileServer, image, startFileServer } from './support/media-files';

describe('the MCP server', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let x: { id: string; handle: string };
  let mastodon: { id: string; handle: string };
  const clients: Client[] = [];
  let files: FileServer;

  beforeAll(async () => {
    files = await startFileServer();
    // 127.0.0.2 (the test's file server) is allowed for import_media; 127.0.0.1 (Herald's own host) stays refused.
    stack = await InProcessStack.start({ env: { NETWORK_QUOTAS: 'x=off', HERALD_URL_ALLOWLIST: '127.0.0.2' } });
    ({ apiKey } = await stack.workspace('agents'));
    x = await stack.channel(apiKey, { network: 'x', handle: 'agent_x' });
    mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: 'agent@example.social' });
  });

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await stack?.stop();
    await files?.stop();
  });

  const api = (method: string, path: string, body?: unknown, token = apiKey) => http(method, `${stack.apiUrl}${path}`, { token, body });

  async function connect(token: string | undefined, url = `${stack.apiUrl}/mcp`): Promise<Client> {
    const client = new Client({ name: 'herald-test-agent', version: '1.0.0' });
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    clients.push(client);
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  const textOf = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');

  async function keyWithRole(role: string): Promise<string> {
    const made = await api('POST', '/v1/api-keys', { name: `${role} agent`, role });
    expect(made.status).toBe(201);
    return made.body.key;
  }

  it('connects with an API key and lists one tool per action, with the API\'s own argument schemas', async () => {
    const client = await connect(apiKey);
    expect(client.getServerVersion()?.name).toBe('herald');
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of ['list_channels', 'get_network_rules', 'validate_post', 'create_post', 'list_posts', 'get_post', 'update_post', 'cancel_post', 'retry_post', 'get_queue', 'reorder_queue', 'import_media', 'list_approvals', 'approve_post', 'reject_post', 'unpublish_post']) {
      expect(names).toContain(name);
    }
    const create = tools.find((tool) => tool.name === 'create_post')!;
    // `text` is required unless `parts` (a thread) is given: the schema leaves it optional, as the API's does.
    expect(create.inputSchema.required).toEqual(expect.arrayContaining(['channelIds', 'schedule']));
    expect(Object.keys(create.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['text', 'parts', 'firstComment', 'channelIds', 'media', 'variants', 'schedule', 'idempotencyKey']));
    expect(create.description).toMatch(/POST \/v1\/posts/);
    expect(tools.find((tool) => tool.name === 'list_posts')!.annotations?.readOnlyHint).toBe(true);

    const channels = await call(client, 'list_channels', {});
    expect(channels.isError).toBeFalsy();
    expect((channels.structuredContent as { data: { id: string }[] }).data.map((channel) => channel.id)).toEqual(expect.arrayContaining([x.id, mastodon.id]));
  });

  it('validates a post without writing it, then creates it: REST lists it, the worker publishes it to the network, and the agent takes it back down', async () => {
    const client = await connect(apiKey);
    await client.listTools(); // so the client checks each answer against its tool's output schema
    const text = `From an agent ${Date.now()}`;
    const args = { text, channelIds: [x.id], schedule: { mode: 'now' } };
    const dry = await call(client, 'validate_post', args);
    expect(dry.isError).toBeFalsy();
    expect(dry.structuredContent).toMatchObject({ ok: true, channels: [{ channelId: x.id, ok: true, status: 'scheduled', text: [{ length: text.length, limit: 280 }] }] });
    expect((await api('GET', `/v1/posts?channelId=${x.id}`)).body.data.some((post: { text: string }) => post.text === text)).toBe(false);

    const created = await call(client, 'create_post', args);
    expect(created.isError).toBeFalsy();
    const post = created.structuredContent as { id: string; text: string };
    expect(post.text).toBe(text);
    const listed = await api('GET', `/v1/posts?channelId=${x.id}`);
    expect(listed.body.data.map((one: { id: string }) => one.id)).toContain(post.id);
    const published = await waitFor('the post published', async () => {
      const got = await call(client, 'get_post', { id: post.id });
      return (got.structuredContent as { status: string }).status === 'published' ? got : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(published.isError).toBeFalsy();
    expect((await stack.mockPosts({ network: 'x', handle: x.handle })).filter((one) => one.text === text)).toHaveLength(1);

    // And taken back down: the agent's unpublish deletes it from X.
    const unpublished = await call(client, 'unpublish_post', { id: post.id });
    expect(unpublished.isError).toBeFalsy();
    expect(unpublished.structuredContent).toMatchObject({ id: post.id, unpublish: [{ channelId: x.id, network: 'x' }] });
    await waitFor('the post deleted from X', async () => {
      const got = await call(client, 'get_post', { id: post.id });
      return (got.structuredContent as { status: string }).status === 'deleted';
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect((await stack.mockPosts({ network: 'x', handle: x.handle })).filter((one) => one.text === text)).toHaveLength(0);
  });

  it('validates and creates a thread: each part counted, published in order on Mastodon, each part replying to the one before', async () => {
    const client = await connect(apiKey);
    const stamp = Date.now().toString(36);
    const parts = [{ text: `Thread ${stamp} 1/3` }, { text: `Thread ${stamp} 2/3` }, { text: `Thread ${stamp} 3/3` }];
    const args = { parts, channelIds: [mastodon.id], schedule: { mode: 'now' } };
    const dry = await call(client, 'validate_post', args);
    expect(dry.structuredContent).toMatchObject({
      ok: true,
      channels: [{ channelId: mastodon.id, text: parts.map((part, index) => ({ path: `parts[${index}]`, length: part.text.length, limit: 500 })) }],
    });
    const created = await call(client, 'create_post', args);
    expect(created.isError).toBeFalsy();
    const { id } = created.structuredContent as { id: string };
    await waitFor('the thread published', async () => ((await call(client, 'get_post', { id })).structuredContent as { status: string }).status === 'published', {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const rows = (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network: 'mastodon', handle: mastodon.handle })}`)).body.data as { id: string; text: string; replyTo: string | null }[];
    const thread = parts.map((part) => rows.filter((row) => row.text === part.text));
    expect(thread.map((found) => found.length)).toEqual([1, 1, 1]);
    expect(thread.map((found, index) => found[0]!.replyTo === (index === 0 ? null : thread[index - 1]![0]!.id))).toEqual([true, true, true]);
  });

  it("declares each tool's answer as an output schema (the operation's own), and the answers fit it, as the client checks", async () => {
    const client = await connect(apiKey);
    // Listed first: the official client then checks every structured answer against its tool's output schema, and throws when one does not fit.
    const { tools } = await client.listTools();
    const create = tools.find((tool) => tool.name === 'create_post')!;
    expect(create.outputSchema).toMatchObject({ type: 'object', properties: { id: { type: 'string' }, deliveries: { type: 'array' } } });
    expect(tools.filter((tool) => !tool.outputSchema).map((tool) => tool.name)).toEqual([]);
    const stamp = Date.now().toString(36);
    const results: Record<string, CallToolResult> = {};
    const run = async (name: string, args: Record<string, unknown>) => (results[name] = await call(client, name, args));
    await run('list_channels', {});
    await run('get_network_rules', {});
    await run('validate_post', { text: `fits ${stamp}`, channelIds: [x.id], schedule: { mode: 'draft' } });
    const created = await run('create_post', { text: `fits ${stamp}`, channelIds: [x.id, mastodon.id], firstComment: { text: 'and more' }, schedule: { mode: 'at', at: new Date(Date.now() + 86_400_000).toISOString() } });
    const id = (created.structuredContent as { id: string }).id;
    await run('get_post', { id });
    await run('update_post', { id, text: `still fits ${stamp}` });
    await run('list_posts', { channelId: x.id, limit: 5 });
    await run('list_approvals', {});
    await run('get_queue', { id: x.id });
    await run('get_analytics', { channelId: x.id });
    await run('cancel_post', { id });
    expect(Object.entries(results).filter(([, result]) => result.isError).map(([name, result]) => [name, textOf(result)])).toEqual([]);
  });

  it("answers a text too long for X as a tool error naming X's limit and what to change", async () => {
    const client = await connect(apiKey);
    const result = await call(client, 'create_post', { text: 'a'.repeat(300), channelIds: [x.id], schedule: { mode: 'now' } });
    expect(result.isError).toBe(true);
    const message = textOf(result);
    expect(message).toMatch(/create_post was refused: 422/);
    expect(message).toMatch(/\bx\b/);
    expect(message).toMatch(/280/);
    expect(message).toMatch(/- text: /);
    expect(message).toMatch(/validate_post/);
  });

  it('lets a read-only (viewer) key read but not create', async () => {
    const client = await connect(await keyWithRole('viewer'));
    expect((await call(client, 'list_posts', {})).isError).toBeFalsy();
    const refused = await call(client, 'create_post', { text: 'not allowed', channelIds: [mastodon.id], schedule: { mode: 'draft' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/403/);
    expect(textOf(refused)).toMatch(/viewer/);
    expect((await api('GET', `/v1/posts?channelId=${mastodon.id}`)).body.data.some((post: { text: string }) => post.text === 'not allowed')).toBe(false);
  });

  it('refuses a key given in the URL, and a connection without one', async () => {
    await expect(connect(undefined, `${stack.apiUrl}/mcp?api_key=${apiKey}`)).rejects.toThrow();
    await expect(connect(undefined, `${stack.apiUrl}/mcp?token=${apiKey}`)).rejects.toThrow();
    // Even beside a valid header: the key is in the URL, so in some log already.
    const withBoth = await fetch(`${stack.apiUrl}/mcp?key=${apiKey}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(withBoth.status).toBe(400);
    expect(((await withBoth.json()) as { detail: string }).detail).toMatch(/Never put an API key in a URL/);
    await expect(connect(undefined)).rejects.toThrow();
    const anonymous = await fetch(`${stack.apiUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('makes one post of a create replayed with the same idempotency key', async () => {
    const client = await connect(apiKey);
    const text = `Once only ${Date.now()}`;
    const args = { text, channelIds: [mastodon.id], schedule: { mode: 'draft' }, idempotencyKey: `agent-${Date.now()}` };
    const first = await call(client, 'create_post', args);
    const again = await call(await connect(apiKey), 'create_post', args);
    expect(first.isError).toBeFalsy();
    expect(again.isError).toBeFalsy();
    expect((again.structuredContent as { id: string }).id).toBe((first.structuredContent as { id: string }).id);
    const listed = await api('GET', `/v1/posts?channelId=${mastodon.id}&status=draft`);
    expect(listed.body.data.filter((post: { text: string }) => post.text === text)).toHaveLength(1);
  });

  it('makes one post of a call resent with the same JSON-RPC id and no idempotency key, and a second of a new call', async () => {
    const text = `Resent ${Date.now()}`;
    /** One raw JSON-RPC message to /mcp, as a client resending after a lost answer sends it; its structured answer. */
    const send = async (id: number) => {
      const response = await fetch(`${stack.apiUrl}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'create_post', arguments: { text, channelIds: [mastodon.id], schedule: { mode: 'draft' } } } }),
      });
      expect(response.status).toBe(200);
      const raw = await response.text();
      // An SSE stream of one event, or plain JSON: either way, the one JSON-RPC answer.
      const message = JSON.parse(raw.trimStart().startsWith('{') ? raw : raw.split('\n').find((line) => line.startsWith('data: '))!.slice(6)) as { id: number; result: CallToolResult };
      expect(message.id).toBe(id);
      expect(message.result.isError).toBeFalsy();
      return (message.result.structuredContent as { id: string }).id;
    };
    const first = await send(7001);
    expect(await send(7001)).toBe(first);
    const second = await send(7002);
    expect(second).not.toBe(first);
    const listed = await api('GET', `/v1/posts?channelId=${mastodon.id}&status=draft`);
    expect(listed.body.data.filter((post: { text: string }) => post.text === text).map((post: { id: string }) => post.id).sort()).toEqual([first, second].sort());
  });

  it('answers refusals as tool errors to a client that checks answers against output schemas, as every client that lists the tools does', async () => {
    const client = await connect(apiKey);
    await client.listTools();
    const tooLong = await call(client, 'create_post', { text: 'b'.repeat(300), channelIds: [x.id], schedule: { mode: 'now' } });
    expect(tooLong.isError).toBe(true);
    expect(textOf(tooLong)).toMatch(/create_post was refused: 422[\s\S]*280/);
    // The API's problem, whole, for an agent that reads JSON.
    expect(textOf(tooLong)).toContain('"status":422');
    const missing = await call(client, 'get_post', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/get_post was refused: 404/);
    const malformed = await call(client, 'list_posts', { limit: 'many' });
    expect(malformed.isError).toBe(true);
    expect(textOf(malformed)).toMatch(/list_posts was refused: 400[\s\S]*limit/);
  });

  it('imports media from a URL, validates it per channel (resized where the network needs it), and creates, retries, reorders, approves and rejects, each answer fitting its output schema', async () => {
    const client = await connect(apiKey);
    await client.listTools();
    const stamp = Date.now().toString(36);
    // Wider than Bluesky's 2,000 pixels, within Mastodon's limits.
    files.put(`/wide-${stamp}.png`, await image('png', 2400, 120), 'image/png');
    const imported = await call(client, 'import_media', { url: `${files.url}/wide-${stamp}.png` });
    expect(imported.isError).toBeFalsy();
    const media = imported.structuredContent as { id: string; width: number; networks: Record<string, { accepted: boolean; resized: boolean }> };
    expect(media).toMatchObject({ width: 2400, networks: { bluesky: { accepted: true, resized: true }, mastodon: { accepted: true, resized: false } } });

    const sky = await stack.channel(apiKey, { network: 'bluesky', handle: `agent${stamp}.bsky.social` });
    const dry = await call(client, 'validate_post', { text: `wide ${stamp}`, media: [{ mediaId: media.id }], channelIds: [sky.id, mastodon.id], schedule: { mode: 'draft' } });
    expect(dry.isError).toBeFalsy();
    expect(dry.structuredContent).toMatchObject({ ok: true, channels: [{ channelId: sky.id, media: [{ index: 0, resized: true }] }, { channelId: mastodon.id, media: [{ index: 0, resized: false }] }] });

    // A delivery that fails on the network (a permanent refusal, once), retried by the agent and published.
    const handle = `retry${stamp}@example.social`;
    const failing = await stack.channel(apiKey, { network: 'mastodon', handle });
    expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'mastodon', handle, status: 422, message: 'Validation failed', times: 1 } })).status).toBeLessThan(300);
    const text = `retried ${stamp}`;
    const created = await call(client, 'create_post', { text, media: [{ mediaId: media.id }], channelIds: [failing.id], schedule: { mode: 'now' } });
    expect(created.isError).toBeFalsy();
    const { id } = created.structuredContent as { id: string };
    const statusOf = async () => ((await call(client, 'get_post', { id })).structuredContent as { status: string }).status;
    await waitFor('the delivery failed', async () => (await statusOf()) === 'failed', { timeoutMs: 30_000, intervalMs: 250 });
    const retried = await call(client, 'retry_post', { id });
    expect(retried.isError).toBeFalsy();
    expect(retried.structuredContent).toMatchObject({ id, deliveries: [{ status: 'scheduled' }] });
    await waitFor('the retried post published', async () => (await statusOf()) === 'published', { timeoutMs: 30_000, intervalMs: 250 });
    expect((await stack.mockPosts({ network: 'mastodon', handle })).filter((one) => one.text === text)).toHaveLength(1);

    // A channel's queue, read and put in a new order.
    const queued = await stack.channel(apiKey, { network: 'mastodon', handle: `queue${stamp}@example.social`, postingSchedule: { slots: [{ day: 'mon', time: '09:00' }, { day: 'thu', time: '09:00' }] } });
    for (const one of ['first', 'second']) expect((await call(client, 'create_post', { text: `${one} ${stamp}`, channelIds: [queued.id], schedule: { mode: 'queue' } })).isError).toBeFalsy();
    const queue = (await call(client, 'get_queue', { id: queued.id })).structuredContent as { data: { deliveryId: string; text: string; scheduledAt: string }[] };
    expect(queue.data.map((entry) => entry.text)).toEqual([`first ${stamp}`, `second ${stamp}`]);
    const reordered = await call(client, 'reorder_queue', { id: queued.id, deliveryIds: queue.data.map((entry) => entry.deliveryId).reverse() });
    expect(reordered.isError).toBeFalsy();
    expect((reordered.structuredContent as { data: { text: string; scheduledAt: string }[] }).data.map((entry) => [entry.text, entry.scheduledAt])).toEqual([
      [`second ${stamp}`, queue.data[0]!.scheduledAt],
      [`first ${stamp}`, queue.data[1]!.scheduledAt],
    ]);

    // A contributor's posts wait for approval; the agent (an admin's key) approves one and sends the other back.
    const contributor = await connect(await keyWithRole('contributor'));
    const submit = async (what: string) => {
      const submitted = await call(contributor, 'create_post', { text: `${what} ${stamp}`, channelIds: [mastodon.id], schedule: { mode: 'at', at: new Date(Date.now() + 86_400_000).toISOString() } });
      expect(submitted.structuredContent).toMatchObject({ status: 'pending_approval' });
      return (submitted.structuredContent as { id: string }).id;
    };
    const [yes, no] = [await submit('approve me'), await submit('reject me')];
    const waiting = (await call(client, 'list_approvals', {})).structuredContent as { data: { id: string }[] };
    expect(waiting.data.map((post) => post.id)).toEqual(expect.arrayContaining([yes, no]));
    const approved = await call(client, 'approve_post', { id: yes });
    expect(approved.isError).toBeFalsy();
    expect(approved.structuredContent).toMatchObject({ id: yes, status: 'scheduled' });
    const rejected = await call(client, 'reject_post', { id: no, note: 'Say when it ships' });
    expect(rejected.isError).toBeFalsy();
    expect(rejected.structuredContent).toMatchObject({ id: no, status: 'draft', review: { note: 'Say when it ships' } });
    // The contributor may not approve: a tool error, not an exception.
    expect(textOf(await call(contributor, 'approve_post', { id: no }))).toMatch(/approve_post was refused: 403/);
  });
});
