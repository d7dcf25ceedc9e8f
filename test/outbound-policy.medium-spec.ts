/**
 * PRODUCT.md section 15: every request Herald makes to an address a user
 * gave goes through one policy that checks the address each name resolves
 * to. A DNS server this test runs (HERALD_DNS_SERVERS) makes names resolve
 * to loopback, where a capture server stands for an internal service: for
 * webhook creation and delivery, link cards, media imports, Mastodon
 * instances, Bluesky services and a did:web handle's document, the request
 * is refused and the capture server sees nothing; where an internal address
 * is allowed (HERALD_URL_ALLOWLIST), its answers are not echoed back.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { startDns, type TestDns } from './support/dns-server';
import { http, waitFor } from './support/http';
import { image, startFileServer, type FileServer } from './support/media-files';
import { InProcessStack } from './support/in-process';
import { CONNECTED_URI } from './support/stack';

async function listen(host: string, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('outbound requests to addresses users give (one policy)', () => {
  let dns: TestDns;
  let stack: InProcessStack;
  let apiKey: string;
  let files: FileServer;
  // The internal service: whatever reaches it is recorded, and it answers with a body that must never come back.
  const captured: string[] = [];
  let capture: Server;
  let capturePort: number;
  // A page on an allowed address, to show link cards are fetched at all.
  const pageHits: string[] = [];
  let page: Server;
  let pagePort: number;

  beforeAll(async () => {
    dns = await startDns();
    ({ server: capture, port: capturePort } = await listen('127.0.0.1', (request, response) => {
      captured.push(`${request.method} ${request.url}`);
      request.resume();
      response.writeHead(418, { 'content-type': 'text/plain' }).end(`capture-418 body from ${capturePort}`);
    }));
    ({ server: page, port: pagePort } = await listen('127.0.0.2', (request, response) => {
      pageHits.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><meta property="og:title" content="Allowed page"></head></html>');
    }));
    files = await startFileServer('127.0.0.2');
    dns.set('inside.test', '127.0.0.1');
    dns.set('mapped.test', '::ffff:7f00:1');
    dns.set('card.test', '127.0.0.2');
    dns.set('files.test', '127.0.0.2');
    dns.set('echo.test', '127.0.0.1');
    stack = await InProcessStack.start({
      env: {
        HERALD_DNS_SERVERS: dns.server,
        // 127.0.0.2 (the page and file servers) whatever name reaches it; echo.test by that name only (it resolves to the capture server).
        HERALD_URL_ALLOWLIST: '127.0.0.2,echo.test',
        WEBHOOK_MAX_ATTEMPTS: '1',
        RETRY_BACKOFF_MS: '100',
      },
    });
    ({ apiKey } = await stack.workspace('outbound'));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await files?.stop();
    await Promise.all([capture, page].map((server) => server && new Promise((resolve) => server.close(resolve))));
    await dns?.stop();
  });

  beforeEach(() => {
    captured.length = 0;
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const inside = (path: string, name = 'inside.test') => `http://${name}:${capturePort}${path}`;
  const echoesNothing = (value: unknown) => {
    const text = JSON.stringify(value);
    expect(text).not.toMatch(/capture-418|\b418\b/);
    expect(text).not.toContain('127.0.0.1');
  };

  it('refuses a webhook whose name resolves inside, at creation', async () => {
    for (const url of [inside('/hook'), inside('/hook', 'mapped.test')]) {
      const created = await api('POST', '/v1/webhooks', { url, events: ['post.published'] });
      expect(created.status).toBe(422);
      expect(created.headers.get('content-type')).toContain('application/problem+json');
      expect(created.body.detail).toMatch(/private or loopback/);
    }
    expect((await api('GET', '/v1/webhooks')).body.data).toEqual([]);
    expect(captured).toEqual([]);
  });

  it('refuses at send a webhook whose name resolved outside at creation and inside since; an allowed internal receiver is not echoed', async () => {
    dns.set('flip.test', '93.184.216.34');
    const flipped = await api('POST', '/v1/webhooks', { url: inside('/flip', 'flip.test'), events: ['post.published'] });
    expect(flipped.status).toBe(201);
    const echoed = await api('POST', '/v1/webhooks', { url: inside('/echo', 'echo.test'), events: ['post.published'] });
    expect(echoed.status).toBe(201);
    dns.set('flip.test', '127.0.0.1');

    const channel = await stack.channel(apiKey, { network: 'facebook', handle: 'outbound-hooks' });
    expect((await api('POST', '/v1/posts', { text: 'hooks', channelIds: [channel.id], schedule: { mode: 'now' } })).status).toBe(201);
    const history = async (id: string) =>
      waitFor(`webhook ${id} tried`, async () => {
        const entry = (await api('GET', `/v1/webhooks/${id}/deliveries`)).body.data[0];
        return entry?.status === 'failed' ? entry : undefined;
      }, { timeoutMs: 30_000 });

    const refused = await history(flipped.body.id);
    expect(refused).toMatchObject({ attempts: 1, lastStatus: null, lastError: expect.stringMatching(/^Refused: the URL resolves to a private or loopback address/) });
    echoesNothing(refused);

    // Allowed by name, the internal receiver was called; its status is kept, its body is not.
    const allowed = await history(echoed.body.id);
    expect(allowed).toMatchObject({ attempts: 1, lastStatus: 418, lastError: 'HTTP 418: the receiver refused' });
    expect(JSON.stringify(allowed)).not.toContain('capture-418');
    expect(captured).toEqual(['POST /echo']);
    for (const id of [flipped.body.id, echoed.body.id]) expect((await api('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
  });

  it('makes no link card from a page whose name resolves inside (and does from an allowed one)', async () => {
    const channel = await stack.channel(apiKey, { network: 'bluesky', handle: 'outbound-cards' });
    const published = async (text: string) => {
      const created = await api('POST', '/v1/posts', { text, channelIds: [channel.id], schedule: { mode: 'now' } });
      expect(created.status).toBe(201);
      return waitFor(`post ${created.body.id} published`, async () => {
        const post = (await api('GET', `/v1/posts/${created.body.id}`)).body;
        if (post.status === 'failed') throw new Error(`failed: ${JSON.stringify(post.deliveries)}`);
        return post.status === 'published' ? post : undefined;
      }, { timeoutMs: 30_000 });
    };
    await published(`An allowed page: http://card.test:${pagePort}/ok`);
    expect(pageHits).toContain('GET /ok');
    await published(`Inside: ${inside('/card')}`);
    await published(`Inside, by a mapped address: ${inside('/card6', 'mapped.test')}`);
    expect(captured).toEqual([]);
  });

  it('refuses a media import from a name resolving inside, directly or by a redirect', async () => {
    files.put('/ok.png', await image('png', 20, 20), 'image/png');
    expect((await api('POST', '/v1/media', { url: `http://files.test:${(new URL(files.url)).port}/ok.png` })).status).toBe(201);
    files.redirect('/away', inside('/y.png'));
    for (const [url, detail] of [
      [inside('/x.png'), /^The URL's host resolves to a private or loopback address/],
      [inside('/x.png', 'mapped.test'), /resolves to a private or loopback address/],
      [`http://files.test:${new URL(files.url).port}/away`, /redirects to .* which resolves to a private or loopback address/],
    ] as const) {
      const answer = await api('POST', '/v1/media', { url });
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toMatch(detail);
      echoesNothing(answer.body);
    }
    expect(captured).toEqual([]);
  });

  it('refuses a Mastodon instance whose name resolves inside: app registration, a pasted token', async () => {
    const started = await api('POST', '/v1/channels/connect', { network: 'mastodon', instanceUrl: inside(''), redirectUri: CONNECTED_URI });
    expect(started.status).toBe(422);
    expect(started.body.detail).toMatch(/private or loopback/);
    echoesNothing(started.body);
    const pasted = await api('POST', '/v1/channels', { network: 'mastodon', instanceUrl: inside('', 'mapped.test'), accessToken: 'token' });
    expect(pasted.status).toBe(422);
    echoesNothing(pasted.body);
    expect(captured).toEqual([]);

    // An internal instance the operator allowed is called, and its answer is not shown: no status, no body.
    const allowed = await api('POST', '/v1/channels/connect', { network: 'mastodon', instanceUrl: inside('', 'echo.test'), redirectUri: CONNECTED_URI });
    expect(allowed.status).toBe(422);
    expect(allowed.body.detail).toMatch(/did not answer as Mastodon does/);
    echoesNothing(allowed.body);
    expect(captured).toEqual(['POST /api/v1/apps']);
  });

  it('refuses a Bluesky service whose name resolves inside, and does not echo an allowed one', async () => {
    const login = { network: 'bluesky', handle: 'someone.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };
    const refused = await api('POST', '/v1/channels', { ...login, service: inside('') });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/private or loopback/);
    echoesNothing(refused.body);
    expect(captured).toEqual([]);

    const allowed = await api('POST', '/v1/channels', { ...login, service: inside('', 'echo.test') });
    expect(allowed.status).toBeGreaterThanOrEqual(400);
    expect(allowed.status).toBeLessThan(500);
    expect(allowed.body.detail).toMatch(/did not answer as a Bluesky PDS does/);
    echoesNothing(allowed.body);
    expect(captured).toEqual(['GET /xrpc/com.atproto.identity.resolveHandle?handle=someone.bsky.social']);
  });

  it("refuses a handle's did:web document whose name resolves inside (the handle resolution itself)", async () => {
    // In-process: an entryway of the operator's answers a did:web DID on a name that resolves inside.
    const { BlueskySessions } = await import('../libs/channels/src/networks/bluesky/bluesky.session');
    const { NetworkGuard, Outbound, systemResolver } = await import('../libs/channels/src/outbound');
    const { UrlPolicy } = await import('../libs/channels/src/url-policy');
    dns.set('did.test', '127.0.0.1');
    const { server: entryway, port } = await listen('127.0.0.1', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ did: 'did:web:did.test' }));
    });
    const outbound = new Outbound(new UrlPolicy([]), systemResolver([dns.server]));
    try {
      const entry = `http://127.0.0.1:${port}`;
      const endpoints = { bluesky: { entryway: entry, plc: `${entry}/plc` } } as unknown as ConstructorParameters<typeof BlueskySessions>[0];
      const sessions = new BlueskySessions(endpoints, 5000, new NetworkGuard(outbound, [entry]));
      const attempt = sessions.connect({ handle: 'web.example', appPassword: 'abcd-efgh-ijkl-mnop' });
      await expect(attempt).rejects.toMatchObject({ code: 'address_refused', errorClass: 'rejected' });
      expect(dns.asked.get('did.test')).toBeGreaterThan(0);
    } finally {
      await outbound.close();
      await new Promise((resolve) => entryway.close(resolve));
    }
  });
});
