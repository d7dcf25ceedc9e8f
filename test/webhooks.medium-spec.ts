/**
 * Webhooks: a local receiver gets a Standard-Webhooks-signed `post.published`
 * (verified here with the endpoint's secret), retried after it first answered
 * 500; the endpoint's history shows both tries; other workspaces see 404.
 */
import { createHmac } from 'node:crypto';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('webhooks', () => {
  let stack: InProcessStack;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let failFirst = true;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        const fail = failFirst;
        failFirst = false;
        response.writeHead(fail ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    stack = await InProcessStack.start({ env: { HERALD_URL_ALLOWLIST: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '300' } });
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('delivers a signed post.published, retried after a 500, with its history', async () => {
    const { apiKey } = await stack.workspace('hooks');
    const endpoint = await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: receiverUrl, events: ['post.published', 'delivery.failed'] } });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);
    const listed = await http('GET', `${stack.apiUrl}/v1/webhooks`, { token: apiKey });
    expect(JSON.stringify(listed.body)).not.toContain(endpoint.body.secret);
    expect((await stack.db.query('SELECT secret FROM webhook_endpoints')).rows[0].secret).not.toContain(endpoint.body.secret.slice(6));

    const channel = await stack.channel(apiKey, { network: 'facebook', handle: 'hooked' });
    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'tell me', channelIds: [channel.id], schedule: { mode: 'now' } } });
    await waitFor('two tries at the receiver', async () => received.length >= 2, { timeoutMs: 20_000 });

    const [first, second] = received;
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    const id = String(second!.headers['webhook-id']);
    const timestamp = String(second!.headers['webhook-timestamp']);
    const key = Buffer.from(endpoint.body.secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${second!.body}`).digest('base64');
    expect(second!.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const event = JSON.parse(second!.body);
    expect(event).toEqual({ type: 'post.published', timestamp: expect.any(String), data: { postId: post.body.id, status: 'published' } });

    const history = await waitFor('delivered in the history', async () => {
      const page = await http('GET', `${stack.apiUrl}/v1/webhooks/${endpoint.body.id}/deliveries`, { token: apiKey });
      return page.body.data[0]?.status === 'delivered' ? page.body.data : undefined;
    });
    expect(history[0]).toEqual(expect.objectContaining({ type: 'post.published', status: 'delivered', attempts: 2, lastStatus: 204 }));

    const other = await stack.workspace('other');
    expect((await http('GET', `${stack.apiUrl}/v1/webhooks/${endpoint.body.id}`, { token: other.apiKey })).status).toBe(404);
    expect((await http('DELETE', `${stack.apiUrl}/v1/webhooks/${endpoint.body.id}`, { token: other.apiKey })).status).toBe(404);
    expect((await http('GET', `${stack.apiUrl}/v1/webhooks/${endpoint.body.id}/deliveries`, { token: other.apiKey })).status).toBe(404);
  });

  it('refuses private URLs and unknown events', async () => {
    const { apiKey } = await stack.workspace('refused');
    expect((await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: 'http://10.0.0.1/hook' } })).status).toBe(422);
    expect((await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: receiverUrl, events: ['post.exploded'] } })).status).toBe(400);
    expect((await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: 'ftp://example.com/x' } })).status).toBe(422);
  });
});
