import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { LinkPreviewer } from './link-preview';
import { Outbound } from './outbound';
import { UrlPolicy } from './url-policy';

describe('link cards', () => {
  let server: Server;
  let base: string;
  const pages: Record<string, { status?: number; type?: string; body?: string; location?: string }> = {
    '/og': { body: '<html><head><meta property="og:title" content="Herald &amp; friends"><meta property="og:description" content="Posts, on time &#128640;"></head></html>' },
    '/plain': { body: '<html><head><title> A plain page </title><meta name="description" content="Just text"></head></html>' },
    '/moved': { status: 301, location: '/og' },
    '/loop': { status: 302, location: '/loop' },
    '/json': { type: 'application/json', body: '{"title":"no"}' },
    '/missing': { status: 404, body: 'gone' },
    '/huge': { body: `<html><head>${' '.repeat(300 * 1024)}<meta property="og:title" content="too far"></head></html>` },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const page = pages[request.url ?? ''] ?? { status: 404 };
      response.writeHead(page.status ?? 200, { 'content-type': page.type ?? 'text/html; charset=utf-8', ...(page.location ? { location: page.location } : {}) });
      response.end(page.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  const open = new Outbound(new UrlPolicy(['127.0.0.1']));
  const closed = new Outbound(new UrlPolicy([]));
  const allowed = new LinkPreviewer(open);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.all([open.close(), closed.close()]);
  });

  it("reads a page's Open Graph title and description, entities decoded", async () => {
    expect(await allowed.preview(`${base}/og`)).toEqual({ uri: `${base}/og`, title: 'Herald & friends', description: 'Posts, on time 🚀' });
  });

  it('falls back to <title> and the description meta tag, and follows redirects (keeping the link as written)', async () => {
    expect(await allowed.preview(`${base}/plain`)).toEqual({ uri: `${base}/plain`, title: 'A plain page', description: 'Just text' });
    expect(await allowed.preview(`${base}/moved`)).toMatchObject({ uri: `${base}/moved`, title: 'Herald & friends' });
  });

  it('makes no card for a redirect loop, a page that is not HTML or not there, or what lies past 256 KB', async () => {
    for (const path of ['/loop', '/json', '/missing']) expect(await allowed.preview(`${base}${path}`)).toBeUndefined();
    expect((await allowed.preview(`${base}/huge`))?.title).toBe('');
  });

  it('never reads an address the URL policy refuses', async () => {
    expect(await new LinkPreviewer(closed).preview(`${base}/og`)).toBeUndefined();
  });
});
