/**
 * /metrics tells the process's memory, the routes called and how often: it
 * answers the operator's admin token only (401 problem otherwise, an API key
 * included). METRICS_PORT serves the same without the token on a port of
 * its own, for a scraper inside a private network; the API's port still
 * wants the token.
 */
import { http } from './support/http';
import { freePort } from './support/ports';
import { InProcessStack } from './support/in-process';

describe('/metrics behind the admin token, or on a port of its own', () => {
  let stack: InProcessStack;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    stack = await InProcessStack.start({ workers: 0, env: { METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses /metrics on the API port without the admin token, with an API key, or with a wrong token', async () => {
    const { apiKey } = await stack.workspace('metrics');
    for (const token of [undefined, apiKey, `${stack.adminToken}x`]) {
      const answer = await http('GET', `${stack.apiUrl}/metrics`, token ? { token } : {});
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.detail).toMatch(/admin token/);
    }
  });

  it('serves the Prometheus text to the admin token', async () => {
    await http('GET', `${stack.apiUrl}/health/live`);
    const answer = await http('GET', `${stack.apiUrl}/metrics`, { token: stack.adminToken });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    expect(answer.body).toMatch(/^herald_api_process_resident_memory_bytes \d+/m);
    expect(answer.body).toMatch(/herald_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/);
  });

  it('serves the same without a token on METRICS_PORT, and nothing else there', async () => {
    const answer = await http('GET', `http://127.0.0.1:${metricsPort}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^herald_api_process_resident_memory_bytes \d+/m);
    expect((await http('GET', `http://127.0.0.1:${metricsPort}/admin/queues`)).status).toBe(404);
    expect((await http('GET', `http://127.0.0.1:${metricsPort}/v1/posts`)).status).toBe(404);
  });
});
