/**
 * An MCP client's OAuth, as a person lives it in a real Chromium (the built
 * web app served by serveBuiltWebApp, the in-process API): the client opens
 * Herald's authorize URL in a browser that is not signed in; the page sends
 * the person to the web app's sign-in, which comes back to the consent page;
 * they pick the workspace and allow; the browser lands on the client's
 * redirect with the code and state, and the code, exchanged with the PKCE
 * verifier, gives a token the official MCP client acts with. Both of the
 * API's pages checked by axe and for sideways scroll at 1400 and 375 px.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Browser, BrowserContext } from 'playwright-core';
import { checkPage, launchChromium, personContext, serveBuiltWebApp } from './support/browser';
import { http } from './support/http';
import { InProcessStack } from './support/in-process';

jest.setTimeout(120_000);

const stamp = Date.now().toString(36);
const email = `agent-${stamp}@example.com`;
const password = 'a long enough password';

let stack: InProcessStack;
let browser: Browser;
let context: BrowserContext;
let workspaceId: string;
/** The client's redirect: a listener of the test's own, which keeps each URL the browser arrives at. */
let client: Server;
let REDIRECT: string;
const arrivals: URL[] = [];

beforeAll(async () => {
  client = createServer((request, response) => {
    arrivals.push(new URL(request.url ?? '/', REDIRECT));
    response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Back in the client</title>');
  });
  await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
  REDIRECT = `http://127.0.0.1:${(client.address() as AddressInfo).port}/callback`;
  [stack, browser] = await Promise.all([InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true' } }), launchChromium()]);
  const signedUp = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password, name: 'Ada', timezone: 'Europe/Berlin' } });
  expect(signedUp.status).toBe(201);
  workspaceId = signedUp.body.memberships[0].workspaceId;
  context = await personContext(browser, stack.apiUrl);
  await serveBuiltWebApp(context, stack.apiUrl);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
  client?.closeAllConnections();
  await new Promise((resolve) => client?.close(resolve));
});

it('signs the person in and comes back to the consent page, whose Allow hands the client a code it exchanges for a working token', async () => {
  const registered = await http('POST', `${stack.apiUrl}/oauth/register`, { body: { client_name: 'Browser agent', redirect_uris: [REDIRECT] } });
  expect(registered.status).toBe(201);
  const clientId = registered.body.client_id as string;
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: `s-${stamp}`,
  });

  const page = await context.newPage();
  await page.goto(`/oauth/authorize?${query}`);
  await page.getByRole('heading', { name: 'Sign in to Herald first' }).waitFor();
  expect(await checkPage(page, 'mcp-sign-in-first')).toEqual([]);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in to Herald', exact: true }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await page.getByRole('heading', { name: 'Allow Browser agent?' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/oauth/authorize');
  expect(new URL(page.url()).searchParams.get('state')).toBe(`s-${stamp}`);
  expect(await checkPage(page, 'mcp-consent')).toEqual([]);
  await page.getByLabel('Workspace').selectOption(workspaceId);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${REDIRECT}**`);
  await page.waitForLoadState('load');
  const arrived = arrivals.find((url) => url.pathname === '/callback');
  expect(arrived?.searchParams.get('state')).toBe(`s-${stamp}`);
  const code = arrived!.searchParams.get('code')!;

  const token = await fetch(`${stack.apiUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }).toString(),
  });
  expect(token.status).toBe(200);
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const client = new Client({ name: 'browser-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.apiUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }));
  try {
    const channels = (await client.callTool({ name: 'list_channels', arguments: {} })) as CallToolResult;
    expect(channels.isError).toBeFalsy();
  } finally {
    await client.close();
  }
});

it('never sends the person signing in to another origin, whatever the link says', async () => {
  const page = await context.newPage();
  await context.clearCookies();
  await page.goto(`/sign-in?${new URLSearchParams({ redirect: '/\\evil.example/oauth/authorize' })}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  expect(new URL(page.url()).origin).toBe(stack.apiUrl);
  expect(new URL(page.url()).pathname).not.toMatch(/evil/);
});
