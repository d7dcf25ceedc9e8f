import { LookupAddress } from 'node:dns';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { NetworkError } from './errors';
import { NetworkClient } from './http/network-client';
import { NetworkGuard, Outbound, OutboundFailed, OutboundRefused, ResolveName, refusalOf } from './outbound';
import { UrlPolicy } from './url-policy';

/** A resolver the test controls: each name to the addresses it says (no /etc/hosts, no real DNS). */
function names(table: Record<string, string[]>): ResolveName {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('Outbound: requests to addresses users give', () => {
  let capture: Server;
  let capturePort: number;
  const seen: string[] = [];
  let front: Server;
  let frontPort: number;

  beforeAll(async () => {
    // What must never be reached: a service on loopback.
    capture = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.writeHead(418, { 'content-type': 'text/plain' }).end('capture-418 body');
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    capturePort = (capture.address() as AddressInfo).port;
    // A server the policy admits (127.0.0.2 allowed by address), redirecting where it is told.
    front = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://front');
      if (url.pathname === '/to') response.writeHead(302, { location: url.searchParams.get('u')! }).end();
      else if (url.pathname === '/loop') response.writeHead(302, { location: '/loop' }).end();
      else if (url.pathname === '/big') response.writeHead(200).end(Buffer.alloc(100_000, 'a'));
      else if (url.pathname === '/slow') setTimeout(() => response.writeHead(200).end('late'), 2_000);
      else response.writeHead(200, { 'content-type': 'text/plain' }).end('front page');
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.2', resolve));
    frontPort = (front.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all([new Promise((resolve) => capture.close(resolve)), new Promise((resolve) => front.close(resolve))]);
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const resolve = names({
    'inside.test': ['127.0.0.1'],
    'mapped.test': ['::ffff:127.0.0.1'],
    'nat64.test': ['64:ff9b::7f00:1'],
    'metadata.test': ['169.254.169.254'],
    'split.test': ['93.184.216.34', '127.0.0.1'],
    'front.test': ['127.0.0.2'],
    'named.test': ['127.0.0.1'],
  });

  const made: Outbound[] = [];
  function outbound(allowlist: string[] = ['127.0.0.2']): Outbound {
    const one = new Outbound(new UrlPolicy(allowlist), resolve);
    made.push(one);
    return one;
  }
  afterAll(() => Promise.all(made.map((one) => one.close())));

  describe('with only the front server allowed', () => {
    const guarded = outbound();

    it.each(['inside.test', 'mapped.test', 'nat64.test', 'metadata.test', 'split.test'])('refuses %s at connect time, and the address is never reached', async (name) => {
      const attempt = guarded.fetch(`http://${name}:${capturePort}/hook`, { method: 'POST', body: '{}', timeoutMs: 5000, maxBytes: 1000 });
      await expect(attempt).rejects.toBeInstanceOf(OutboundRefused);
      await expect(attempt).rejects.toMatchObject({ reason: 'resolves to a private or loopback address', hop: 0 });
      expect(seen).toEqual([]);
    });

    it('checks every redirect: to a name resolving inside, and to an address written inside', async () => {
      for (const target of [`http://inside.test:${capturePort}/x`, `http://127.0.0.1:${capturePort}/x`, `http://[::ffff:7f00:1]:${capturePort}/x`]) {
        const attempt = guarded.fetch(`http://front.test:${frontPort}/to?u=${encodeURIComponent(target)}`, { timeoutMs: 5000, maxBytes: 1000, maxRedirects: 3 });
        await expect(attempt).rejects.toMatchObject({ name: 'OutboundRefused', hop: 1 });
      }
      expect(seen).toEqual([]);
    });

    it('follows a few redirects, not endless ones, reads a capped body, and keeps its deadline', async () => {
      const followed = await guarded.fetch(`http://front.test:${frontPort}/to?u=${encodeURIComponent('/page')}`, { timeoutMs: 5000, maxBytes: 1000, maxRedirects: 3 });
      expect(followed).toMatchObject({ status: 200, url: `http://front.test:${frontPort}/page` });
      expect(followed.body.toString()).toBe('front page');
      await expect(guarded.fetch(`http://front.test:${frontPort}/loop`, { timeoutMs: 5000, maxBytes: 1000, maxRedirects: 3 })).rejects.toMatchObject({ code: 'too_many_redirects' });
      await expect(guarded.fetch(`http://front.test:${frontPort}/big`, { timeoutMs: 5000, maxBytes: 1000 })).rejects.toMatchObject({ code: 'too_large' });
      expect((await guarded.fetch(`http://front.test:${frontPort}/big`, { timeoutMs: 5000, maxBytes: 1000, truncate: true })).body.length).toBe(1000);
      await expect(guarded.fetch(`http://front.test:${frontPort}/slow`, { timeoutMs: 300, maxBytes: 1000 })).rejects.toBeInstanceOf(OutboundFailed);
    });

    it('hands a redirect back without following it when the request has a body', async () => {
      const answer = await guarded.fetch(`http://front.test:${frontPort}/to?u=${encodeURIComponent(`http://inside.test:${capturePort}/x`)}`, { method: 'POST', body: '{}', timeoutMs: 5000, maxBytes: 1000, maxRedirects: 3 });
      expect(answer.status).toBe(302);
      expect(seen).toEqual([]);
    });

    it('checks a URL before any call too (a webhook at creation): its text and what its name resolves to now', async () => {
      expect(await guarded.refusal(`http://inside.test:${capturePort}/hook`)).toBe('resolves to a private or loopback address');
      expect(await guarded.refusal(`http://[::1]:${capturePort}/hook`)).toBe('points at a private or loopback address');
      expect(await guarded.refusal(`http://front.test:${frontPort}/hook`)).toBeUndefined();
      expect(seen).toEqual([]);
    });
  });

  it('lets an allowed address in whatever name reaches it, and an allowed name by that name only', async () => {
    const byAddress = outbound(['127.0.0.1']);
    expect((await byAddress.fetch(`http://inside.test:${capturePort}/a`, { timeoutMs: 5000, maxBytes: 1000 })).status).toBe(418);
    const byName = outbound(['named.test']);
    expect((await byName.fetch(`http://named.test:${capturePort}/b`, { timeoutMs: 5000, maxBytes: 1000 })).status).toBe(418);
    await expect(byName.fetch(`http://inside.test:${capturePort}/c`, { timeoutMs: 5000, maxBytes: 1000 })).rejects.toBeInstanceOf(OutboundRefused);
    expect(seen).toEqual(['GET /a', 'GET /b']);
  });

  describe("the adapters' calls (NetworkGuard)", () => {
    const guarded = outbound();
    const toError = (reply: { status: number }) => new NetworkError('rejected', `http_${reply.status}`, `HTTP ${reply.status}`, { httpStatus: reply.status });

    it("refuses a user-given host that resolves inside, and calls the installation's own endpoints as they are", async () => {
      const guard = new NetworkGuard(guarded, [`http://127.0.0.1:${capturePort}`]);
      const user = new NetworkClient(`http://inside.test:${capturePort}`, 5000, {}, toError, guard);
      await expect(user.post('/api/v1/apps', {})).rejects.toMatchObject({ code: 'address_refused', errorClass: 'rejected' });
      await expect(new NetworkClient(`http://[::1]:${capturePort}`, 5000, {}, toError, guard).get('/x')).rejects.toMatchObject({ code: 'address_refused' });
      expect(seen).toEqual([]);
      const own = new NetworkClient(`http://127.0.0.1:${capturePort}`, 5000, {}, toError, guard);
      await expect(own.get('/_own')).rejects.toMatchObject({ httpStatus: 418 });
      expect(seen).toEqual(['GET /_own']);
    });

    it("routes the fetch an OAuth library is given (a Mastodon instance's /oauth/token) the same way", async () => {
      const guard = new NetworkGuard(guarded, []);
      const exchange = guard.fetch(`http://inside.test:${capturePort}/oauth/token`, { method: 'POST', body: 'grant_type=authorization_code' });
      const failure = await exchange.then(() => undefined, (error: unknown) => error);
      expect(refusalOf(failure)).toBe('resolves to a private or loopback address');
      await expect(guard.fetch(`http://[::1]:${capturePort}/oauth/token`, { method: 'POST' })).rejects.toMatchObject({ code: 'address_refused' });
      expect(seen).toEqual([]);
    });

    it("words a user-given host's failure itself: no status, no text of the host's", async () => {
      const open = outbound(['127.0.0.1']);
      const guard = new NetworkGuard(open, []);
      const client = new NetworkClient(`http://inside.test:${capturePort}`, 5000, {}, toError, guard);
      const failed = guard.inOwnWords(`http://inside.test:${capturePort}`, 'Mastodon', () => client.post('/api/v1/apps', {}));
      await expect(failed).rejects.toMatchObject({ code: 'unexpected_answer', message: `http://inside.test:${capturePort} did not answer as Mastodon does` });
      await expect(failed).rejects.not.toMatchObject({ message: expect.stringMatching(/418|capture/) });
    });
  });
});
