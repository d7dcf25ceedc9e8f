/**
 * OAuth for people's MCP clients, end to end with the official MCP client:
 * discovery from the 401, dynamic client registration, the consent page of
 * a signed-in person, PKCE, the token, tool calls as that member with their
 * role (a viewer refused on create), codes and refresh tokens used once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { http } from './support/http';
import { InProcessStack } from './support/in-process';
import { Person, addMember, as, signUp } from './support/people';

const REDIRECT = 'http://127.0.0.1:33418/callback';

interface ServerMetadata {
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
  code_challenge_methods_supported: string[];
}
interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  error?: string;
}
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe('OAuth for MCP clients', () => {
  let stack: InProcessStack;
  let owner: Person;
  let viewer: Person;
  let channelId: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true' } });
    owner = await signUp(stack, 'Olive');
    viewer = await signUp(stack, 'Vic');
    await addMember(stack, owner.workspaceId, viewer, 'viewer');
    const key = await as(stack, owner)('POST', '/v1/api-keys', { name: 'setup', role: 'admin' });
    channelId = (await stack.channel(key.body.key, { network: 'mastodon', handle: `oauth${Date.now().toString(36)}@example.social` })).id;
  });

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await stack?.stop();
  });

  const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

  /** Registration, consent as `person` in the owner's workspace, and the token exchange, as an MCP client does them. */
  async function authorize(person: Person): Promise<{ clientId: string; tokens: TokenAnswer }> {
    const unauthorized = await fetch(`${stack.apiUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const resourceMetadata = /resource_metadata="([^"]+)"/.exec(unauthorized.headers.get('www-authenticate') ?? '')?.[1];
    expect(resourceMetadata).toBeDefined();
    const resource = await json<{ authorization_servers: string[] }>(await fetch(resourceMetadata!));
    const server = await json<ServerMetadata>(await fetch(`${resource.authorization_servers[0]}/.well-known/oauth-authorization-server`));
    expect(server.code_challenge_methods_supported).toEqual(['S256']);

    const registered = await http('POST', server.registration_endpoint, { body: { client_name: 'Test agent', redirect_uris: [REDIRECT] } });
    expect(registered.status).toBe(201);
    const clientId = registered.body.client_id as string;

    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz' });
    const anonymous = await fetch(`${server.authorization_endpoint}?${query}`);
    expect(anonymous.status).toBe(401);
    // It sends the person to the web app's sign-in, which comes back to this very page.
    const signIn = /<a href="([^"]+)">Sign in<\/a>/.exec(await anonymous.text())?.[1]?.replaceAll('&#38;', '&');
    expect(signIn).toBeDefined();
    const signInUrl = new URL(signIn!, stack.apiUrl);
    expect(signInUrl.pathname).toBe('/sign-in');
    expect(new URL(signInUrl.searchParams.get('redirect')!, stack.apiUrl).href).toBe(`${server.authorization_endpoint}?${query}`);
    const cookie = `herald_session=${person.token}`;
    const page = await fetch(`${server.authorization_endpoint}?${query}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Test agent');
    expect(html).toContain(owner.workspaceId);

    const fields = Object.fromEntries(query);
    // Without the session's CSRF token the form is refused.
    expect((await form(server.authorization_endpoint, { ...fields, workspace_id: owner.workspaceId }, { cookie })).status).toBe(403);
    const allowed = await form(server.authorization_endpoint, { ...fields, workspace_id: owner.workspaceId, csrf: person.csrfToken }, { cookie });
    expect(allowed.status).toBe(302);
    const back = new URL(allowed.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code')!;

    const exchange = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier };
    const wrongVerifier = await form(server.token_endpoint, { ...exchange, code_verifier: randomBytes(32).toString('base64url') });
    expect(wrongVerifier.status).toBe(400);
    expect((await json<TokenAnswer>(wrongVerifier)).error).toBe('invalid_grant');
    // The code is good once, even to two requests at the same moment.
    const answers = await Promise.all([form(server.token_endpoint, exchange), form(server.token_endpoint, exchange)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    const token = answers.find((answer) => answer.status === 200)!;
    await answers.find((answer) => answer.status === 400)!.body?.cancel();
    const tokens = await json<TokenAnswer>(token);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const replayed = await form(server.token_endpoint, exchange);
    expect(replayed.status).toBe(400);
    expect((await json<TokenAnswer>(replayed)).error).toBe('invalid_grant');
    return { clientId, tokens };
  }

  async function connect(accessToken: string): Promise<Client> {
    const client = new Client({ name: 'oauth-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.apiUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }));
    clients.push(client);
    return client;
  }

  it('authorizes a client for a signed-in owner, whose tool calls act as them; refresh tokens rotate', async () => {
    const { clientId, tokens } = await authorize(owner);
    const client = await connect(tokens.access_token);
    const created = (await client.callTool({ name: 'create_post', arguments: { text: 'via OAuth', channelIds: [channelId], schedule: { mode: 'draft' } } })) as CallToolResult;
    expect(created.isError).toBeFalsy();
    expect((created.structuredContent as { createdBy: unknown }).createdBy).toMatchObject({ kind: 'user', id: owner.userId });

    const refreshed = await form(`${stack.apiUrl}/oauth/token`, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    expect(refreshed.status).toBe(200);
    const next = await json<TokenAnswer>(refreshed);
    expect((await form(`${stack.apiUrl}/oauth/token`, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId })).status).toBe(400);
    // The old access token went with its session; the new one works.
    await expect(connect(tokens.access_token)).rejects.toThrow();
    const again = await connect(next.access_token);
    expect(((await again.callTool({ name: 'list_posts', arguments: {} })) as CallToolResult).isError).toBeFalsy();
  });

  it("acts with a viewer's role: reads, and is refused on create", async () => {
    const { tokens } = await authorize(viewer);
    const client = await connect(tokens.access_token);
    expect(((await client.callTool({ name: 'list_channels', arguments: {} })) as CallToolResult).isError).toBeFalsy();
    const refused = (await client.callTool({ name: 'create_post', arguments: { text: 'viewer post', channelIds: [channelId], schedule: { mode: 'draft' } } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n')).toMatch(/403[\s\S]*viewer/);
  });

  it('refuses a registration with a redirect that is neither https nor loopback, and a token that is not one of ours', async () => {
    expect((await http('POST', `${stack.apiUrl}/oauth/register`, { body: { redirect_uris: ['http://evil.example/cb'] } })).status).toBe(400);
    const forged = await fetch(`${stack.apiUrl}/mcp`, { method: 'POST', headers: { authorization: 'Bearer hmcp_at_v1.x.y.z.w', 'content-type': 'application/json' }, body: '{}' });
    expect(forged.status).toBe(401);
  });
});
