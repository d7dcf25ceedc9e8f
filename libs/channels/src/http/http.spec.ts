import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { NetworkError } from '../errors';
import { call, classifyAnswer, encodeMultipart, retryAfterMs } from './http';

/** A real local HTTP server per test: how each way a call can die reaches the taxonomy. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function failure(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetworkError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('call', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function start(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
    const { url, server } = await serve(handler);
    servers.push(server);
    return url;
  }

  it('sends the method, token, headers and JSON body, and parses a JSON answer with its headers', async () => {
    let seen: { method?: string; authorization?: string; custom?: string; type?: string; body?: string } = {};
    const url = await start((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen = { method: request.method, authorization: request.headers.authorization, custom: request.headers['x-custom'] as string, type: request.headers['content-type'], body };
        response.writeHead(201, { 'content-type': 'application/json', 'X-Restli-Id': 'urn:li:share:1' });
        response.end(JSON.stringify({ id: 'abc' }));
      });
    });
    const reply = await call({ method: 'POST', url: `${url}/posts`, token: 'tok', body: { text: 'hi' }, headers: { 'x-custom': 'yes' }, timeoutMs: 2000 });
    expect(seen).toEqual({ method: 'POST', authorization: 'Bearer tok', custom: 'yes', type: 'application/json', body: '{"text":"hi"}' });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ id: 'abc' });
    expect(reply.headers.get('x-restli-id')).toBe('urn:li:share:1');
    expect(reply.headers.get('X-Restli-Id')).toBe('urn:li:share:1');
    expect(reply.headers.get('absent')).toBeNull();
  });

  it('keeps a plain-text answer as text and an empty one as undefined', async () => {
    const url = await start((request, response) => {
      if (request.url === '/empty') {
        response.writeHead(204).end();
        return;
      }
      response.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
    });
    expect((await call({ method: 'GET', url: `${url}/text`, timeoutMs: 2000 })).body).toBe('upstream exploded');
    expect((await call({ method: 'GET', url: `${url}/empty`, timeoutMs: 2000 })).body).toBeUndefined();
  });

  it('a refused connection is transient and not ambiguous: nothing was sent', async () => {
    const { url, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(call({ method: 'POST', url, body: {}, timeoutMs: 2000 }));
    expect(error.errorClass).toBe('transient');
    expect(error.code).toBe('connection_refused');
    expect(error.ambiguous).toBe(false);
  });

  it('a connection dropped after the request arrived is ambiguous: the network may have acted', async () => {
    const url = await start((request) => {
      request.on('data', () => undefined);
      request.on('end', () => request.socket.destroy());
    });
    const error = await failure(call({ method: 'POST', url, body: { text: 'x' }, timeoutMs: 2000 }));
    expect(error.errorClass).toBe('transient');
    expect(error.code).toBe('connection_lost');
    expect(error.ambiguous).toBe(true);
  });

  it('no answer within the timeout is an ambiguous timeout, given up on at the timeout', async () => {
    const url = await start(() => undefined);
    const started = Date.now();
    const error = await failure(call({ method: 'POST', url, body: {}, timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.ambiguous).toBe(true);
    // The server never answers: without the deadline the call would wait for ever. The upper bound is loose on
    // purpose (a loaded CI machine), the lower one shows the call did wait for its timeout.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a body that trickles on past the timeout is a timeout too: the deadline covers the whole call', async () => {
    const url = await start((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      const trickle = setInterval(() => response.write('0,'), 50);
      response.on('close', () => clearInterval(trickle));
    });
    const started = Date.now();
    const error = await failure(call({ method: 'GET', url, timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    // The body would trickle on for ever: anything well short of that shows the deadline covers the whole call.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps connections open between calls instead of opening one per call', async () => {
    const sockets = new Set<unknown>();
    const url = await start((request, response) => {
      sockets.add(request.socket);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    for (let index = 0; index < 20; index += 1) await call({ method: 'GET', url, timeoutMs: 2000 });
    // A connection is back in the pool a moment after its answer ends, so a second may open; never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});

describe('a streamed multipart upload', () => {
  it('sends the fields and the file read piece by piece, with a Content-Length its bytes match, as a multipart form holding the same parts', async () => {
    const file = Buffer.alloc(9 * 1024 * 1024 + 17, 7);
    file.write('the start', 0);
    file.write('the end', file.length - 7);
    const reads: Array<[number, number]> = [];
    let received: { length: number; declared: number; type: string; body: Buffer } | undefined;
    const { url, server } = await serve((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        received = { length: body.length, declared: Number(request.headers['content-length']), type: String(request.headers['content-type']), body };
        response.writeHead(204).end();
      });
    });
    try {
      const reply = await call({
        method: 'POST',
        url,
        timeoutMs: 10_000,
        streamedMultipart: {
          fields: { key: 'uploads/1.mp4', policy: 'abc' },
          file: { field: 'file', filename: 'clip.mp4', contentType: 'video/mp4', size: file.length, readRange: async (start, end) => (reads.push([start, end]), file.subarray(start, end)) },
        },
      });
      expect(reply.status).toBe(204);
    } finally {
      server.close();
    }
    // Read in pieces of at most 4 MiB, never the whole file at once.
    expect(reads).toEqual([[0, 4 * 1024 * 1024], [4 * 1024 * 1024, 8 * 1024 * 1024], [8 * 1024 * 1024, file.length]]);
    expect(received!.declared).toBe(received!.length);
    const boundary = /boundary=(.+)$/.exec(received!.type)![1]!;
    // The same parts a whole-file multipart body holds, in the same order (only the boundary differs).
    const whole = encodeMultipart({ fields: { key: 'uploads/1.mp4', policy: 'abc' }, files: [{ field: 'file', filename: 'clip.mp4', contentType: 'video/mp4', bytes: file }] });
    const wholeBoundary = /boundary=(.+)$/.exec(whole.contentType)![1]!;
    expect(received!.body.toString('latin1').split(boundary).join('B')).toBe(whole.bytes.toString('latin1').split(wholeBoundary).join('B'));
  });
});

describe('retryAfterMs and classifyAnswer', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

  it('reads Retry-After in seconds or as a date, and x-rate-limit-reset in epoch seconds', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(headers({ 'x-rate-limit-reset': String(now / 1000 + 7) }), now)).toBe(7000);
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });

  it('maps 429 with its wait, 5xx to transient, 401 to revoked, others to rejected', () => {
    expect(classifyAnswer({ status: 429, headers: headers({ 'retry-after': '3' }), body: undefined }, '', false).retryAfterMs).toBe(3000);
    expect(classifyAnswer({ status: 503, headers: headers({}), body: undefined }, '', false).errorClass).toBe('transient');
    expect(classifyAnswer({ status: 401, headers: headers({}), body: undefined }, '', false).errorClass).toBe('auth_revoked');
    expect(classifyAnswer({ status: 422, headers: headers({}), body: undefined }, 'too long', false).errorClass).toBe('rejected');
  });
});
