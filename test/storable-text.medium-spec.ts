/**
 * Text Postgres cannot store (U+0000, unpaired surrogates), from both sides.
 * From people: the requests of issue 16 answer 400 naming the field and the
 * character, and write nothing. From outside: a network whose error message
 * holds them is recorded with U+FFFD in their place, not lost to a database
 * error; a webhook receiver whose answer holds NUL bytes and bytes that are
 * not UTF-8 is recorded by its status (its body is not kept: section 15).
 */
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

const COUNT_ROWS = `SELECT (SELECT count(*) FROM workspaces) AS workspaces, (SELECT count(*) FROM api_keys) AS api_keys,
  (SELECT count(*) FROM channels) AS channels, (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM webhook_endpoints) AS webhooks`;

/** What the receiver answers every delivery: a 500 whose body holds a NUL byte and two bytes that are not UTF-8. */
const RECEIVER_ANSWER = Buffer.concat([Buffer.from('receiver broke: '), Buffer.from([0x00]), Buffer.from(' and '), Buffer.from([0xff, 0xfe]), Buffer.from(' end')]);

describe('text Postgres cannot store', () => {
  let stack: InProcessStack;
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(500, { 'content-type': 'text/plain' }).end(RECEIVER_ANSWER));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    stack = await InProcessStack.start({
      env: { HERALD_URL_ALLOWLIST: '127.0.0.1', MAX_PUBLISH_ATTEMPTS: '2', RETRY_BACKOFF_MS: '100', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_MAX_ATTEMPTS: '2' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('refuses NUL, unpaired surrogates, bad percent-encoding and deep nesting with a 400 naming the field and the character, writing nothing', async () => {
    const { apiKey } = await stack.workspace('refusals');
    const channel = await stack.channel(apiKey, { network: 'x', handle: 'refusals' });
    const post = (fields: Record<string, unknown>) => ({ text: 'hello', channelIds: [channel.id], schedule: { mode: 'draft' }, ...fields });
    const before = (await stack.db.query(COUNT_ROWS)).rows[0];
    const cases: [string, string, string, unknown, string, RegExp][] = [
      ['POST', '/v1/posts', 'key', post({ text: 'a\u0000b' }), 'text', /U\+0000 \(NUL\) at index 1/],
      ['POST', '/v1/posts', 'key', post({ variants: { [channel.id]: 'v\u0000' } }), `variants.${channel.id}`, /U\+0000/],
      ['POST', '/v1/posts', 'key', post({ media: [{ url: 'https://cdn.example.com/a.png', alt: '\u0000' }] }), 'media[0].alt', /U\+0000/],
      ['POST', '/v1/posts', 'key', post({ text: 'x\ud800' }), 'text', /an unpaired surrogate U\+D800 at index 1/],
      ['POST', '/v1/posts/bulk', 'key', { posts: [post({}), post({ text: '\udfff' })] }, 'posts[1].text', /an unpaired surrogate U\+DFFF/],
      ['POST', '/v1/channels', 'key', { network: 'x', handle: 'ac\u0000me' }, 'handle', /U\+0000/],
      ['POST', '/v1/webhooks', 'key', { url: 'https://hooks.example.com/\u0000' }, 'url', /U\+0000/],
      ['POST', '/v1/workspaces', 'admin', { name: 'Ac\u0000me' }, 'name', /U\+0000/],
      ['POST', '/v1/api-keys', 'key', { name: 'ci\u0000' }, 'name', /U\+0000/],
    ];
    for (const [method, path, token, body, field, message] of cases) {
      const answer = await http(method, `${stack.apiUrl}${path}`, { token: token === 'key' ? apiKey : stack.adminToken, body });
      expect({ path, field, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ path, field, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(answer.body).toEqual(expect.objectContaining({ title: 'Malformed request', status: 400, detail: expect.stringContaining(field) }));
      expect(answer.body.errors).toEqual([{ path: field, message: expect.stringMatching(message) }]);
    }

    const urls: [string, string, RegExp][] = [
      ['/v1/posts?cursor=%E0%A4%A', 'query.cursor', /percent-encoding/],
      ['/v1/posts?status=%ZZ', 'query.status', /percent-encoding/],
      ['/v1/posts?status=draft%00', 'query.status', /U\+0000/],
      ['/v1/posts/%00', 'path', /U\+0000/],
      ['/v1/posts/%ED%A0%80', 'path', /percent-encoding/],
    ];
    for (const [url, field, message] of urls) {
      const answer = await http('GET', `${stack.apiUrl}${url}`, { token: apiKey });
      expect({ url, status: answer.status, errors: answer.body.errors }).toEqual({ url, status: 400, errors: [{ path: field, message: expect.stringMatching(message) }] });
    }

    const deep = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, rawBody: '['.repeat(50_000) + ']'.repeat(50_000) });
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toMatch(/nested deeper than 32 levels/);
    const notUtf8 = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, rawBody: '{"text": "caf\u00e9"}', headers: { 'content-type': 'application/json; charset=utf-16le' } });
    expect(notUtf8.status).toBe(415);
    expect((await stack.db.query(COUNT_ROWS)).rows[0]).toEqual(before);
  });

  it("keeps the text people send as sent: controls, bidi overrides and long grapheme clusters in a post's text", async () => {
    const { apiKey } = await stack.workspace('kept');
    const channel = await stack.channel(apiKey, { network: 'facebook', handle: 'kept' });
    const text = `tab\there \u0007 \u0085 \u202eevil\u202c 'e${'\u0301'.repeat(500)}' 👩🏽‍💻`;
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text, channelIds: [channel.id], schedule: { mode: 'draft' } } });
    expect(created.status).toBe(201);
    expect(created.body.text).toBe(text);
    expect((await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey })).body.text).toBe(text);
    const refused = await http('POST', `${stack.apiUrl}/v1/channels`, { token: apiKey, body: { network: 'x', handle: 'ac\u202eme' } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'handle', message: expect.stringMatching(/formatting characters/) }]);
  });

  it("records a network's error message holding NUL and a lone surrogate in the attempts, the delivery and the webhook event, with U+FFFD", async () => {
    const { apiKey } = await stack.workspace('network');
    await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: receiverUrl, events: ['delivery.failed'] } });
    const channel = await stack.channel(apiKey, { network: 'x', handle: 'dirty' });
    const fault = await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'x', handle: 'dirty', status: 503, message: 'down\u0000for\ud800now' } });
    expect(fault.status).toBe(201);
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'into the storm', channelIds: [channel.id], schedule: { mode: 'now' } } });
    expect(created.status).toBe(201);

    const failed = await waitFor('the delivery to fail after its two attempts', async () => {
      const answer = await http('GET', `${stack.apiUrl}/v1/posts/${created.body.id}`, { token: apiKey });
      return answer.body.status === 'failed' ? answer.body : undefined;
    }, { timeoutMs: 20_000 });
    const [delivery] = failed.deliveries;
    // The delivery says why it gave up (the attempts' ceiling, set to 2 here), with the network's last words in it.
    expect(delivery.lastError).toEqual({ code: 'attempts_exhausted', message: expect.stringContaining('the last: down\ufffdfor\ufffdnow') });
    expect(delivery.attempts.map((attempt: { errorMessage: string; httpStatus: number }) => [attempt.httpStatus, attempt.errorMessage])).toEqual([
      [503, 'down\ufffdfor\ufffdnow'],
      [503, 'down\ufffdfor\ufffdnow'],
    ]);
    const event = await stack.db.query(`SELECT payload FROM webhook_events WHERE type = 'delivery.failed' AND payload->'data'->>'deliveryId' = $1`, [delivery.id]);
    expect(event.rows[0].payload.data.error).toEqual({ code: 'attempts_exhausted', message: expect.stringContaining('the last: down\ufffdfor\ufffdnow') });
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it("records a webhook receiver's refusal holding NUL and bytes that are not UTF-8 by its status, not its body (PRODUCT.md section 15)", async () => {
    const { apiKey } = await stack.workspace('receiver');
    const endpoint = await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: receiverUrl, events: ['post.published'] } });
    const channel = await stack.channel(apiKey, { network: 'facebook', handle: 'clean' });
    await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'tell the receiver', channelIds: [channel.id], schedule: { mode: 'now' } } });

    const history = await waitFor('the webhook delivery to fail after its two tries', async () => {
      const page = await http('GET', `${stack.apiUrl}/v1/webhooks/${endpoint.body.id}/deliveries`, { token: apiKey });
      return page.body.data[0]?.status === 'failed' ? page.body.data : undefined;
    }, { timeoutMs: 20_000 });
    expect(history[0]).toEqual(
      expect.objectContaining({ type: 'post.published', status: 'failed', attempts: 2, lastStatus: 500, lastError: 'HTTP 500: the receiver refused' }),
    );
  });
});
