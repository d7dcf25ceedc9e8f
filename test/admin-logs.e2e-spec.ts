/**
 * Operators follow a post through the logs: the API's and the worker's JSON
 * lines carry its request id, each process's own (read from each process's
 * output: one logger per process), with no key in any line. The rest of the
 * operators' tools (/admin/queues, metrics, jobs) is test/admin.medium-spec.ts's.
 */
import { http, waitFor } from './support/http';
import { Stack } from './support/stack';

describe('admin and health: the logs', () => {
  let stack: Stack;
  let apiKey: string;

  beforeAll(async () => {
    // Request lines are debug (libs/config logging.ts): this file reads them.
    stack = await Stack.start({ env: { LOG_LEVEL: 'debug' } });
    ({ apiKey } = await stack.workspace('ops'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('logs JSON lines whose request id follows a post from the API into the worker, with no key in any line', async () => {
    const channel = await stack.channel(apiKey, { network: 'x', handle: `trace_${Date.now()}` });
    const requestId = `trace-${Date.now()}`;
    const created = await http('POST', `${stack.apiUrl}/v1/posts`, {
      token: apiKey,
      headers: { 'x-request-id': requestId },
      body: { text: 'traced', channelIds: [channel.id], schedule: { mode: 'now' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(requestId);
    const lines = (output: string[]) => output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    await waitFor('the worker to log the publish', async () =>
      stack.workers.some((worker) => lines(worker.output).some((line) => line.msg === 'published' && line.requestId === requestId)),
    );
    const apiLine = lines(stack.api!.output).find((line) => line.requestId === requestId);
    expect(apiLine).toEqual(expect.objectContaining({ level: 'debug', service: 'herald-api', req: { method: 'POST', path: '/v1/posts' }, res: { statusCode: 201 } }));
    const workerLine = stack.workers.flatMap((worker) => lines(worker.output)).find((line) => line.requestId === requestId && line.msg === 'published');
    expect(workerLine).toEqual(expect.objectContaining({ level: 'info', service: 'herald-worker', postId: created.body.id }));
    const everything = [stack.api!, ...stack.workers].flatMap((running) => running.output).join('\n');
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(stack.adminToken);
  });
});
