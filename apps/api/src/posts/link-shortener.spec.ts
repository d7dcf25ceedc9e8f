/**
 * Each shortener's API as Herald calls it (Kutt `POST /api/v2/links`, Dub
 * `PUT /links/upsert`, Shlink `POST /rest/v3/short-urls`), against a server
 * on loopback that answers as each does; a slow or failing shortener is a
 * reason, never a throw; a post asking for short links where none is set up
 * is a 422 naming `links.shorten`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeraldConfig, LinkShortenerSettings } from '@herald/config';
import { ChannelsRepository } from '@herald/db';
import { LinkShortener, shortLinkOf } from './link-shortener';

describe('shortLinkOf', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, headers: request.headers, body: raw ? JSON.parse(raw) : undefined });
        const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (request.url === '/api/v2/links') return json(201, { id: 'k1', link: 'https://kutt.example/ab12', target: (JSON.parse(raw) as { target: string }).target });
        if (request.url === '/links/upsert') return json(200, { id: 'link_1', shortLink: 'https://dub.sh/xyz', url: (JSON.parse(raw) as { url: string }).url });
        if (request.url === '/slow/rest/v3/short-urls') return void setTimeout(() => json(200, { shortUrl: 'https://s.example/late' }), 500);
        if (request.url === '/nolink/rest/v3/short-urls') return json(200, { shortCode: 'x' });
        return json(400, { error: { message: 'url is not valid' } });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const settings = (kind: LinkShortenerSettings['kind'], path = '', extra: Partial<LinkShortenerSettings> = {}): LinkShortenerSettings => ({ kind, url: `${base}${path}`, apiKey: 'key-1', timeoutMs: 2000, ...extra });

  it("calls Kutt's API with its key header and reads `link`", async () => {
    expect(await shortLinkOf(settings('kutt', '', { domain: 'go.example' }), 'https://example.com/a')).toEqual({ shortUrl: 'https://kutt.example/ab12' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/v2/links', headers: { 'x-api-key': 'key-1' }, body: { target: 'https://example.com/a', domain: 'go.example' } });
  });

  it("upserts on Dub with a bearer token and reads `shortLink`", async () => {
    expect(await shortLinkOf(settings('dub'), 'https://example.com/b')).toEqual({ shortUrl: 'https://dub.sh/xyz' });
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/links/upsert', headers: { authorization: 'Bearer key-1' }, body: { url: 'https://example.com/b' } });
  });

  it('answers a reason for a refusal, an answer without a short link, a shortener too slow, and one not there', async () => {
    expect(await shortLinkOf(settings('shlink', '/bad'), 'https://example.com/c')).toEqual({ reason: 'the shortener answered HTTP 400: url is not valid' });
    expect(seen.at(-1)).toMatchObject({ url: '/bad/rest/v3/short-urls', headers: { 'x-api-key': 'key-1' }, body: { longUrl: 'https://example.com/c', findIfExists: true } });
    expect(await shortLinkOf(settings('shlink', '/nolink'), 'https://example.com/d')).toEqual({ reason: 'the shortener answered without a short link' });
    expect(await shortLinkOf(settings('shlink', '/slow', { timeoutMs: 100 }), 'https://example.com/e')).toEqual({ reason: 'the shortener did not answer within 100 ms' });
    // A port nothing listens on (one that was free a moment ago).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await shortLinkOf({ ...settings('shlink'), url: `http://127.0.0.1:${port}` }, 'https://example.com/f')).toEqual({ reason: 'the shortener could not be reached (ECONNREFUSED)' });
  });
});

describe('LinkShortener without a shortener set up', () => {
  const shortener = new LinkShortener({ linkShortener: undefined } as HeraldConfig, {} as ChannelsRepository);

  it('refuses a post asking for short links with a 422 naming links.shorten, and lets the others be', () => {
    const refused = shortener.refusal({ links: { shorten: true } });
    expect(refused).toMatchObject({ status: 422, errors: [{ path: 'links.shorten', message: 'no link shortener is configured' }] });
    expect(shortener.refusal({ links: { utm: true } })).toBeUndefined();
    expect(shortener.refusal({})).toBeUndefined();
  });
});
