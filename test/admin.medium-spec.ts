/**
 * Operators: /admin/queues shows BullMQ's counts and Postgres's view of the
 * schedule; pausing the publish queue holds due posts until it resumes.
 * (That the API's and the worker's own log lines carry a post's request id
 * is test/admin-logs.e2e-spec.ts's: it reads each process's output.)
 */
import { http, sleep, waitFor } from './support/http';
import { InProcessStack } from './support/in-process';

describe('admin and health', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start();
    ({ apiKey } = await stack.workspace('ops'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const admin = (method: string, path: string) => http(method, `${stack.apiUrl}${path}`, { token: stack.adminToken });

  it('answers liveness and readiness', async () => {
    expect((await http('GET', `${stack.apiUrl}/health/live`)).status).toBe(200);
    const ready = await http('GET', `${stack.apiUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details.postgres.status).toBe('up');
    expect(ready.body.details.redis.status).toBe('up');
  });

  it('refuses /admin without the admin token', async () => {
    expect((await http('GET', `${stack.apiUrl}/admin/queues`)).status).toBe(401);
    expect((await http('GET', `${stack.apiUrl}/admin/queues`, { token: apiKey })).status).toBe(401);
  });

  it('shows queue counts and the schedule, and pause holds due posts until resume', async () => {
    // The schedule's figures cover the whole database: count from what other tests left.
    const baseline = (await admin('GET', '/admin/queues')).body.schedule;
    const channel = await stack.channel(apiKey, { network: 'x', handle: `ops_${Date.now().toString(36)}` });
    const later = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: apiKey,
      body: { text: 'in an hour', channelIds: [channel.id], schedule: { mode: 'at', at: new Date(Date.now() + 3_600_000).toISOString() } },
    });
    expect(later.status).toBe(201);

    const paused = await admin('POST', '/admin/queues/publish/pause');
    expect(paused.status).toBe(200);
    expect(paused.body.paused).toBe(true);

    const now = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: apiKey,
      body: { text: 'held while paused', channelIds: [channel.id], schedule: { mode: 'now' } },
    });
    expect(now.status).toBe(201);
    await sleep(1500);
    expect(await stack.mockPosts({ handle: channel.handle })).toHaveLength(0);

    const overview = await admin('GET', '/admin/queues');
    expect(overview.status).toBe(200);
    const publish = overview.body.queues.find((queue: { name: string }) => queue.name === 'publish');
    expect(publish.paused).toBe(true);
    expect(publish.counts.waiting + publish.counts.paused).toBeGreaterThanOrEqual(1);
    expect(publish.workers.length).toBeGreaterThanOrEqual(1);
    expect(overview.body.schedule.scheduled).toBe(baseline.scheduled + 2);
    expect(overview.body.schedule.dueNow).toBe(baseline.dueNow + 1);

    const resumed = await admin('POST', '/admin/queues/publish/resume');
    expect(resumed.body.paused).toBe(false);
    await waitFor('the held post', async () => (await stack.mockPosts({ handle: channel.handle })).length === 1);
    const after = await admin('GET', '/admin/queues');
    await waitFor('the schedule to show it published', async () => (await admin('GET', '/admin/queues')).body.schedule.publishedLastHour === baseline.publishedLastHour + 1);
    expect(after.body.schedule.scheduled).toBeLessThanOrEqual(baseline.scheduled + 2);
  });

  it('exports Prometheus metrics: publish lateness and outcomes from the worker, request durations from the API', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `metrics_${Date.now().toString(36)}@example.social` });
    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'measured', channelIds: [channel.id], schedule: { mode: 'now' } } });
    await waitFor('publish', async () => (await http('GET', `${stack.apiUrl}/v1/posts/${post.body.id}`, { token: apiKey })).body.status === 'published');
    const worker = await http('GET', `http://127.0.0.1:${stack.inProcessWorkers[0]!.metricsPort}/metrics`);
    expect(worker.status).toBe(200);
    const count = worker.body.match(/^herald_publish_lateness_seconds_count\{network="mastodon"\} (\d+)/m);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
    expect(worker.body).toMatch(/^herald_publishes_total\{network="mastodon",outcome="published"\} \d+/m);
    expect(worker.body).toMatch(/^herald_publish_attempts_total\{network="mastodon",error_class="none"\} \d+/m);
    expect(worker.body).toMatch(/^herald_queue_jobs\{queue="publish",state="delayed"\} \d+/m);
    const api = await http('GET', `${stack.apiUrl}/metrics`, { token: stack.adminToken });
    expect(api.status).toBe(200);
    expect(api.body).toMatch(/herald_http_request_duration_seconds_count\{method="POST",route="\/v1\/posts",status="201"\} \d+/);
  });

  it('lists failed jobs with their delivery and failure reason, and retries one', async () => {
    const channel = await stack.channel(apiKey, { network: 'linkedin', handle: `jobs_${Date.now().toString(36)}` });
    await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'linkedin', handle: channel.handle, revokeToken: true } });
    const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: 'doomed', channelIds: [channel.id], schedule: { mode: 'now' } } });
    const deliveryId = post.body.deliveries[0].id;
    const failed = await waitFor('the failed job', async () => {
      const page = await admin('GET', '/admin/queues/publish/jobs?state=failed&limit=10');
      return page.body.data.find((job: { id: string }) => job.id === deliveryId);
    });
    expect(failed.failedReason).toContain('auth_revoked');
    expect(failed.delivery).toEqual(expect.objectContaining({ id: deliveryId, status: 'failed', attemptCount: 1, lastError: expect.objectContaining({ code: 'auth_revoked' }) }));
    const retried = await admin('POST', `/admin/queues/publish/jobs/${deliveryId}/retry`);
    expect(retried.status).toBe(200);
    await waitFor('the job to leave the failed set', async () => {
      const page = await admin('GET', '/admin/queues/publish/jobs?state=failed&limit=50');
      return !page.body.data.some((job: { id: string }) => job.id === deliveryId);
    });
    expect((await admin('POST', `/admin/queues/publish/jobs/${deliveryId}/retry`)).status).toBe(409);
    expect((await admin('POST', '/admin/queues/publish/jobs/nope/retry')).status).toBe(404);
    expect((await admin('GET', '/admin/queues/publish/jobs?state=bogus')).status).toBe(400);
    expect((await admin('POST', '/admin/queues/publish/retry-failed')).status).toBe(200);
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  it('serves the bull-board dashboard at /admin/ui behind the admin token', async () => {
    expect((await http('GET', `${stack.apiUrl}/admin/ui`)).status).toBe(401);
    expect((await http('GET', `${stack.apiUrl}/admin/ui`, { token: apiKey })).status).toBe(401);
    const basic = Buffer.from(`operator:${stack.adminToken}`).toString('base64');
    const page = await http('GET', `${stack.apiUrl}/admin/ui`, { headers: { authorization: `Basic ${basic}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('<title>Herald queues</title>');
    const queues = await http('GET', `${stack.apiUrl}/admin/ui/api/queues`, { token: stack.adminToken });
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['publish', 'reconcile', 'unpublish', 'webhooks']);
  });

  it('answers 404 for an unknown queue', async () => {
    expect((await admin('POST', '/admin/queues/nope/pause')).status).toBe(404);
    // Found by the fuzz test: a name from Object.prototype is not a queue either.
    expect((await admin('POST', '/admin/queues/toString/pause')).status).toBe(404);
    expect((await admin('GET', '/admin/queues/constructor/jobs')).status).toBe(404);
  });
});
