/**
 * Approvals end to end, with the API, a worker and the mock networks: a
 * contributor's post waits (`pending_approval`: no slot, no job, never
 * published while it waits, even when its time passes or a stray job names
 * it); approved, it is published once at its time, or, its time passed, at
 * the next free slot of its channel (or now, on a channel without a posting
 * schedule), saying so; rejected, it is a draft with the reviewer's note, and
 * the contributor's next edit with a schedule submits it again. Owners,
 * admins, editors and API keys schedule directly; contributors and viewers
 * may not approve (403 naming the role); another workspace's post is a 404.
 * The three webhooks arrive signed. Posts say who created, edited and
 * approved them.
 */
import { Queue } from 'bullmq';
import { createHmac } from 'node:crypto';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { QUEUES } from '../libs/queue/src';
import { nextFreeSlot } from '../libs/scheduling/src';
import { REDIS_URL } from './support/env';
import { http, sleep, waitFor } from './support/http';
import { Person, addMember, as, signUp } from './support/people';
import { InProcessStack } from './support/in-process';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('approvals', () => {
  let stack: InProcessStack;
  let queue: Queue;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let secret: string;

  let owner: Person;
  let admin: Person;
  let editor: Person;
  let contributor: Person;
  let viewer: Person;
  /** The owner's workspace, where the others are members. */
  let workspaceId: string;
  let apiKey: string;
  /** An X channel with a posting schedule (a slot every day, hours away), a Bluesky channel without one. */
  let x: { id: string; handle: string; apiHandle: string };
  let sky: { id: string; handle: string; apiHandle: string };
  const schedule = { slots: [] as { day: string; time: string }[] };

  const inOwn = (person: Person) => as(stack, person, workspaceId);
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

  /** The events of a type the receiver got for a post, each with its signature checked against the endpoint's secret. */
  function eventsOf(type: string, postId: string): { type: string; data: Record<string, unknown> }[] {
    return received
      .filter((hook) => {
        const event = JSON.parse(hook.body);
        return event.type === type && event.data.postId === postId;
      })
      .map((hook) => {
        const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
        const signed = createHmac('sha256', key).update(`${String(hook.headers['webhook-id'])}.${String(hook.headers['webhook-timestamp'])}.${hook.body}`).digest('base64');
        expect(hook.headers['webhook-signature']).toBe(`v1,${signed}`);
        return JSON.parse(hook.body);
      });
  }

  const eventArrives = (type: string, postId: string) => waitFor(`${type} for ${postId}`, async () => eventsOf(type, postId)[0]);

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    // Mastodon capped at 2 posts an hour, to see the caps checked at submission and again at approval.
    stack = await InProcessStack.start({ env: { AUTH_OPEN_SIGNUP: 'true', HERALD_URL_ALLOWLIST: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '300', NETWORK_QUOTAS: 'mastodon=2/1h' } });
    queue = new Queue(QUEUES.publish, { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: stack.queuePrefix });

    owner = await signUp(stack, 'Olive');
    workspaceId = owner.workspaceId;
    [admin, editor, contributor, viewer] = [await signUp(stack, 'Ada'), await signUp(stack, 'Eddie'), await signUp(stack, 'Cora'), await signUp(stack, 'Vic')];
    await addMember(stack, workspaceId, admin, 'admin');
    await addMember(stack, workspaceId, editor, 'editor');
    await addMember(stack, workspaceId, contributor, 'contributor');
    await addMember(stack, workspaceId, viewer, 'viewer');

    // An admin key: it connects the channels and the webhook below (a key is an editor unless made otherwise).
    const key = await inOwn(owner)('POST', '/v1/api-keys', { name: 'scheduler bot', role: 'admin' });
    apiKey = key.body.key;
    // A slot every day six hours from now (UTC): the next free one is hours away, never reached during the test.
    const sixHours = new Date(Date.now() + 6 * 3_600_000).toISOString().slice(11, 16);
    schedule.slots = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, time: sixHours }));
    x = await stack.channel(apiKey, { network: 'x', handle: `approvals_${Date.now().toString(36)}`, postingSchedule: schedule });
    // No posting schedule (a new channel would get the default one).
    sky = await stack.channel(apiKey, { network: 'bluesky', handle: `approvals-${Date.now().toString(36)}`, postingSchedule: { slots: [] } });
    const endpoint = await http('POST', `${stack.apiUrl}/v1/webhooks`, {
      token: apiKey,
      body: { url: receiverUrl, events: ['post.pending_approval', 'post.approved', 'post.rejected'] },
    });
    expect(endpoint.status).toBe(201);
    secret = endpoint.body.secret;
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('keeps a contributor\'s post waiting: no slot, no job, not published when its time passes (nor by a stray job); listed as pending_approval', async () => {
    const at = inSeconds(2);
    const created = await inOwn(contributor)('POST', '/v1/posts', { text: 'waiting for a yes', channelIds: [x.id, sky.id], schedule: { mode: 'at', at } });
    expect(created.status).toBe(201);
    const post = created.body;
    expect(post.status).toBe('pending_approval');
    expect(post.schedule).toEqual({ mode: 'at', at });
    expect(post.createdBy).toEqual({ kind: 'user', id: contributor.userId, name: 'Cora' });
    expect(post.updatedBy).toEqual(post.createdBy);
    expect(post).toEqual(expect.objectContaining({ approvedBy: null, approvedAt: null, review: null }));
    for (const delivery of post.deliveries) expect(delivery).toEqual(expect.objectContaining({ status: 'pending_approval', scheduledAt: new Date(at).toISOString() }));
    expect((await inOwn(contributor)('GET', `/v1/posts/${post.id}`)).body).toEqual(post);

    const submittedEvent = await eventArrives('post.pending_approval', post.id);
    expect(submittedEvent.data).toEqual({ postId: post.id, status: 'pending_approval', by: { kind: 'user', id: contributor.userId } });

    // No job, and not due in Postgres: the reconciler (every second) has nothing to put in Redis.
    for (const delivery of post.deliveries) expect(await queue.getJob(delivery.id)).toBeUndefined();
    const { rows } = await stack.db.query('SELECT due_at FROM deliveries WHERE post_id = $1', [post.id]);
    expect(rows.map((row: { due_at: Date | null }) => row.due_at)).toEqual([null, null]);

    // Its time passes; a stray job naming one of its deliveries is handed to the worker too: nothing is published.
    await sleep(3_000);
    await queue.add('publish', { deliveryId: post.deliveries[0].id }, { jobId: `stray-${post.deliveries[0].id}` });
    await waitFor('the stray job to be done', async () => (await queue.getJob(`stray-${post.deliveries[0].id}`))?.finishedOn);
    await sleep(1_500);
    expect(await stack.mockPosts({ handle: x.handle })).toEqual([]);
    expect(await stack.mockPosts({ handle: sky.handle })).toEqual([]);
    const later = await inOwn(owner)('GET', `/v1/posts/${post.id}`);
    expect(later.body.status).toBe('pending_approval');
    expect(later.body.deliveries.map((delivery: { attemptCount: number }) => delivery.attemptCount)).toEqual([0, 0]);

    const pending = await inOwn(viewer)('GET', '/v1/posts?status=pending_approval');
    expect(pending.status).toBe(200);
    expect(pending.body.data.map((item: { id: string }) => item.id)).toContain(post.id);
    expect(pending.body.data.every((item: { status: string }) => item.status === 'pending_approval')).toBe(true);
    expect(pending.body.data.find((item: { id: string }) => item.id === post.id).createdBy).toEqual({ kind: 'user', id: contributor.userId, name: 'Cora' });
  }, 30_000);

  it('approves a post whose time passed: the next free slot where the channel has a schedule, now where it has none, saying so', async () => {
    const at = inSeconds(1.5);
    const post = (await inOwn(contributor)('POST', '/v1/posts', { text: 'late approval', channelIds: [x.id, sky.id], schedule: { mode: 'at', at } })).body;
    await sleep(2_000);
    const before = new Date();
    const approvedAnswer = await inOwn(editor)('POST', `/v1/posts/${post.id}/approve`);
    const after = new Date();
    expect(approvedAnswer.status).toBe(200);
    const approved = approvedAnswer.body;
    const xDelivery = approved.deliveries.find((delivery: { channelId: string }) => delivery.channelId === x.id);
    const slot = xDelivery.scheduledAt;
    expect([nextFreeSlot(schedule as never, 'UTC', before, [])!.toISOString(), nextFreeSlot(schedule as never, 'UTC', after, [])!.toISOString()]).toContain(slot);
    expect(xDelivery.status).toBe('scheduled');
    expect(approved.notice).toContain(`The asked time ${new Date(at).toISOString()} has passed: `);
    expect(approved.notice).toContain(`scheduled at the next free slot of x ${x.apiHandle}, ${slot}`);
    expect(approved.notice).toContain(`published now on bluesky ${sky.apiHandle} (it has no posting schedule)`);
    expect(approved.approvedBy).toEqual({ kind: 'user', id: editor.userId, name: 'Eddie' });
    expect(approved.review).toEqual({ state: 'approved', note: null, by: approved.approvedBy, at: approved.approvedAt });
    expect(new Date(approved.approvedAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

    // The X delivery is in its channel's queue now; the Bluesky one is published, once.
    const slotQueue = await inOwn(contributor)('GET', `/v1/channels/${x.id}/queue`);
    expect(slotQueue.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ deliveryId: xDelivery.id, scheduledAt: slot })]));
    await waitFor('published on Bluesky', async () => (await stack.mockPosts({ handle: sky.handle })).some((entry) => entry.text === 'late approval'));
    await sleep(1_000);
    expect((await stack.mockPosts({ handle: sky.handle })).filter((entry) => entry.text === 'late approval')).toHaveLength(1);
    expect((await stack.mockPosts({ handle: x.handle })).filter((entry) => entry.text === 'late approval')).toHaveLength(0);

    const event = await eventArrives('post.approved', post.id);
    expect(event.data).toEqual({ postId: post.id, status: 'scheduled', by: { kind: 'user', id: editor.userId }, notice: approved.notice });
    // Not awaiting any more: a second approval, or a rejection, is a 409.
    expect((await inOwn(editor)('POST', `/v1/posts/${post.id}/approve`)).status).toBe(409);
    expect((await inOwn(editor)('POST', `/v1/posts/${post.id}/reject`, { note: 'too late' })).status).toBe(409);
  }, 30_000);

  it('publishes an approved post at its asked time, exactly once', async () => {
    const at = inSeconds(4);
    const post = (await inOwn(contributor)('POST', '/v1/posts', { text: 'approved in time', channelIds: [x.id], schedule: { mode: 'at', at } })).body;
    const approved = await inOwn(admin)('POST', `/v1/posts/${post.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.notice).toBeNull();
    expect(approved.body.deliveries[0]).toEqual(expect.objectContaining({ status: 'scheduled', scheduledAt: new Date(at).toISOString() }));
    expect(approved.body.approvedBy).toEqual({ kind: 'user', id: admin.userId, name: 'Ada' });
    expect(approved.body.createdBy).toEqual({ kind: 'user', id: contributor.userId, name: 'Cora' });
    expect(await queue.getJob(post.deliveries[0].id)).toBeDefined();

    const published = await waitFor('published', async () => {
      const read = await inOwn(contributor)('GET', `/v1/posts/${post.id}`);
      return read.body.status === 'published' ? read.body : undefined;
    });
    expect(new Date(published.deliveries[0].publishedAt).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
    await sleep(1_500);
    expect((await stack.mockPosts({ handle: x.handle })).filter((entry) => entry.text === 'approved in time')).toHaveLength(1);
    // Who approved it is still shown once it is published.
    expect(published.approvedBy).toEqual({ kind: 'user', id: admin.userId, name: 'Ada' });
  }, 30_000);

  it('rejects with a note: a draft showing it; the contributor\'s edit keeps it a draft until it names a schedule, which submits it again', async () => {
    const created = await inOwn(contributor)('POST', '/v1/posts', { text: 'queue me', channelIds: [x.id], schedule: { mode: 'queue' } });
    expect(created.status).toBe(201);
    const post = created.body;
    expect(post.status).toBe('pending_approval');
    expect(post.deliveries[0]).toEqual(expect.objectContaining({ status: 'pending_approval', scheduledAt: null }));
    // It holds no slot: the queue does not list it.
    const queued = await inOwn(owner)('GET', `/v1/channels/${x.id}/queue`);
    expect(queued.body.data.map((entry: { deliveryId: string }) => entry.deliveryId)).not.toContain(post.deliveries[0].id);

    for (const body of [{}, { note: '' }, { note: '   ' }, { note: 'x'.repeat(2001) }, { note: 5 }, { note: 'fine', extra: true }]) {
      const refused = await inOwn(owner)('POST', `/v1/posts/${post.id}/reject`, body);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await inOwn(owner)('GET', `/v1/posts/${post.id}`)).body.status).toBe('pending_approval');

    const note = 'Say "December", not "November": the launch moved.';
    const rejectedAnswer = await inOwn(owner)('POST', `/v1/posts/${post.id}/reject`, { note });
    expect(rejectedAnswer.status).toBe(200);
    const rejected = rejectedAnswer.body;
    expect(rejected.status).toBe('draft');
    expect(rejected.deliveries[0]).toEqual(expect.objectContaining({ status: 'draft', scheduledAt: null }));
    expect(rejected.review).toEqual({ state: 'rejected', note, by: { kind: 'user', id: owner.userId, name: 'Olive' }, at: expect.any(String) });
    expect(rejected.approvedBy).toBeNull();
    // The schedule asked is kept, to submit again.
    expect(rejected.schedule).toEqual({ mode: 'queue' });
    const event = await eventArrives('post.rejected', post.id);
    expect(event.data).toEqual({ postId: post.id, status: 'draft', by: { kind: 'user', id: owner.userId }, note });
    expect((await inOwn(owner)('POST', `/v1/posts/${post.id}/approve`)).status).toBe(409);
    expect((await inOwn(owner)('POST', `/v1/posts/${post.id}/reject`, { note })).status).toBe(409);

    // An edit of the text only: still a draft, the note still shown.
    const edited = await inOwn(contributor)('PATCH', `/v1/posts/${post.id}`, { text: 'queue me in December' });
    expect(edited.status).toBe(200);
    expect(edited.body.status).toBe('draft');
    expect(edited.body.review).toEqual(rejected.review);
    expect(edited.body.updatedBy).toEqual({ kind: 'user', id: contributor.userId, name: 'Cora' });

    // Naming a schedule submits it again: pending, the rejection gone, the webhook again.
    const at = inSeconds(3600);
    const resubmitted = await inOwn(contributor)('PATCH', `/v1/posts/${post.id}`, { schedule: { mode: 'at', at } });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.status).toBe('pending_approval');
    expect(resubmitted.body.review).toBeNull();
    expect(resubmitted.body.schedule).toEqual({ mode: 'at', at });
    expect(resubmitted.body.deliveries[0]).toEqual(expect.objectContaining({ status: 'pending_approval', scheduledAt: new Date(at).toISOString() }));
    await waitFor('a second post.pending_approval', async () => eventsOf('post.pending_approval', post.id).length === 2);
  }, 30_000);

  it('sends an approved post back to approval when a contributor edits it: its slot and job are let go', async () => {
    const post = (await inOwn(contributor)('POST', '/v1/posts', { text: 'to be queued', channelIds: [x.id], schedule: { mode: 'queue' } })).body;
    const approved = await inOwn(editor)('POST', `/v1/posts/${post.id}/approve`);
    expect(approved.status).toBe(200);
    const deliveryId = post.deliveries[0].id;
    expect(approved.body.deliveries[0].status).toBe('scheduled');
    const inQueue = async () => (await inOwn(owner)('GET', `/v1/channels/${x.id}/queue`)).body.data.map((entry: { deliveryId: string }) => entry.deliveryId);
    expect(await inQueue()).toContain(deliveryId);

    // An editor's edit of the text keeps it scheduled and approved.
    const byEditor = await inOwn(editor)('PATCH', `/v1/posts/${post.id}`, { text: 'to be queued, polished' });
    expect(byEditor.body.status).toBe('scheduled');
    expect(byEditor.body.approvedBy).toEqual({ kind: 'user', id: editor.userId, name: 'Eddie' });
    expect(byEditor.body.updatedBy).toEqual({ kind: 'user', id: editor.userId, name: 'Eddie' });

    const byContributor = await inOwn(contributor)('PATCH', `/v1/posts/${post.id}`, { text: 'to be queued, my way' });
    expect(byContributor.status).toBe(200);
    expect(byContributor.body.status).toBe('pending_approval');
    expect(byContributor.body.deliveries[0]).toEqual(expect.objectContaining({ status: 'pending_approval', scheduledAt: null }));
    expect(byContributor.body.approvedBy).toBeNull();
    expect(byContributor.body.review).toBeNull();
    expect(await inQueue()).not.toContain(deliveryId);
    expect(await queue.getJob(deliveryId)).toBeUndefined();
    await waitFor('a second post.pending_approval', async () => eventsOf('post.pending_approval', post.id).length === 2);

    // Approved again, it takes a slot again; a contributor may withdraw it to a draft, or cancel it.
    expect((await inOwn(editor)('POST', `/v1/posts/${post.id}/approve`)).body.deliveries[0].status).toBe('scheduled');
    expect(await inQueue()).toContain(deliveryId);
    const other = (await inOwn(contributor)('POST', '/v1/posts', { text: 'never mind', channelIds: [x.id], schedule: { mode: 'next' } })).body;
    expect((await inOwn(contributor)('PATCH', `/v1/posts/${other.id}`, { schedule: { mode: 'draft' } })).body.status).toBe('draft');
    const third = (await inOwn(contributor)('POST', '/v1/posts', { text: 'cancel me', channelIds: [x.id], schedule: { mode: 'now' } })).body;
    expect(third.status).toBe('pending_approval');
    expect((await inOwn(contributor)('DELETE', `/v1/posts/${third.id}`)).body.status).toBe('cancelled');
  }, 30_000);

  it('schedules directly what owners, admins, editors and API keys write; a contributor\'s draft stays a draft; a queue needs slots', async () => {
    const body = (text: string) => ({ text, channelIds: [x.id], schedule: { mode: 'at', at: inSeconds(7200) } });
    for (const [person, name] of [[owner, 'Olive'], [admin, 'Ada'], [editor, 'Eddie']] as const) {
      const created = await inOwn(person)('POST', '/v1/posts', body(`by ${name}`));
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('scheduled');
      expect(created.body.createdBy).toEqual({ kind: 'user', id: person.userId, name });
      expect(await queue.getJob(created.body.deliveries[0].id)).toBeUndefined(); // two hours out: past the horizon, not yet in Redis
    }
    const byKey = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: body('by the key') });
    expect(byKey.body.status).toBe('scheduled');
    expect(byKey.body.createdBy).toEqual({ kind: 'api_key', id: expect.any(String), name: 'scheduler bot' });
    const bulk = await inOwn(contributor)('POST', '/v1/posts/bulk', { posts: [body('bulk one'), { ...body('bulk two'), schedule: { mode: 'queue' } }, { ...body('bulk three'), schedule: { mode: 'draft' } }] });
    expect(bulk.body).toEqual(expect.objectContaining({ created: 3, failed: 0 }));
    const statuses = await Promise.all(bulk.body.data.map(async (item: { id: string }) => (await inOwn(contributor)('GET', `/v1/posts/${item.id}`)).body.status));
    expect(statuses).toEqual(['pending_approval', 'pending_approval', 'draft']);
    await waitFor('each submitted bulk post announced', async () => bulk.body.data.slice(0, 2).every((item: { id: string }) => eventsOf('post.pending_approval', item.id).length === 1));

    const draft = await inOwn(contributor)('POST', '/v1/posts', { text: 'just a draft', channelIds: [x.id], schedule: { mode: 'draft' } });
    expect(draft.body.status).toBe('draft');
    // Asked for a queue the channel does not have: 422, as an editor would get.
    const noQueue = await inOwn(contributor)('POST', '/v1/posts', { text: 'queue nowhere', channelIds: [sky.id], schedule: { mode: 'queue' } });
    expect(noQueue.status).toBe(422);
    expect(noQueue.body.detail).toMatch(/no posting schedule/);
  }, 30_000);

  it('lets only owners, admins and editors approve or reject: a contributor or viewer gets a 403 naming the role; another workspace\'s post is a 404', async () => {
    const post = (await inOwn(contributor)('POST', '/v1/posts', { text: 'not yours to approve', channelIds: [x.id], schedule: { mode: 'at', at: inSeconds(3600) } })).body;
    for (const [person, role] of [[contributor, 'contributor'], [viewer, 'viewer']] as const) {
      for (const [path, body] of [[`/v1/posts/${post.id}/approve`, undefined], [`/v1/posts/${post.id}/reject`, { note: 'no' }]] as const) {
        const refused = await inOwn(person)('POST', path, body);
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(refused.body.detail).toContain(`Your role (${role})`);
        expect(refused.body.detail).toContain('it needs editor or above');
      }
    }
    expect((await inOwn(viewer)('POST', '/v1/posts', { text: 'viewers write nothing', channelIds: [x.id], schedule: { mode: 'draft' } })).status).toBe(403);

    // The owner of another workspace (an owner there), and an API key of another workspace: 404, by both routes.
    const stranger = await signUp(stack, 'Stan');
    const elsewhere = await stack.workspace('elsewhere');
    for (const ask of [as(stack, stranger), (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: elsewhere.apiKey, body })]) {
      expect((await ask('POST', `/v1/posts/${post.id}/approve`)).status).toBe(404);
      expect((await ask('POST', `/v1/posts/${post.id}/reject`, { note: 'no' })).status).toBe(404);
      expect((await ask('GET', `/v1/posts/${post.id}`)).status).toBe(404);
    }
    expect((await inOwn(editor)('POST', '/v1/posts/00000000-0000-0000-0000-000000000000/approve')).status).toBe(404);
    const still = await inOwn(owner)('GET', `/v1/posts/${post.id}`);
    expect(still.body).toEqual(expect.objectContaining({ status: 'pending_approval', review: null, approvedBy: null }));
  }, 30_000);

  it('checks the content rules again at approval (422), changing nothing', async () => {
    const post = (await inOwn(contributor)('POST', '/v1/posts', { text: 'short enough', channelIds: [x.id], schedule: { mode: 'at', at: inSeconds(3600) } })).body;
    // As if the rules had tightened since: the stored text is now too long for X.
    await stack.db.query(`UPDATE posts SET text = $2 WHERE id = $1`, [post.id, 'x'.repeat(400)]);
    const refused = await inOwn(editor)('POST', `/v1/posts/${post.id}/approve`);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain(x.id);
    const read = await inOwn(editor)('GET', `/v1/posts/${post.id}`);
    expect(read.body).toEqual(expect.objectContaining({ status: 'pending_approval', approvedBy: null }));
    expect(read.body.deliveries[0].status).toBe('pending_approval');
    expect(eventsOf('post.approved', post.id)).toEqual([]);
  });

  it('checks the posting caps at submission and again at approval: what awaits approval holds no place until approved', async () => {
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: `capped_${Date.now().toString(36)}` });
    const submit = (text: string, minutes: number) =>
      inOwn(contributor)('POST', '/v1/posts', { text, channelIds: [mastodon.id], schedule: { mode: 'at', at: inSeconds(7200 + minutes * 60) } });
    // Three submitted within one hour: waiting, none counts, so all are taken.
    const posts = [];
    for (const [index, minutes] of [0, 10, 20].entries()) {
      const answer = await submit(`capped ${index}`, minutes);
      expect(answer.status).toBe(201);
      posts.push(answer.body);
    }
    expect((await inOwn(editor)('POST', `/v1/posts/${posts[0].id}/approve`)).status).toBe(200);
    expect((await inOwn(editor)('POST', `/v1/posts/${posts[1].id}/approve`)).status).toBe(200);
    // The third would be the third in an hour: refused, and it still waits.
    const refused = await inOwn(editor)('POST', `/v1/posts/${posts[2].id}/approve`);
    expect(refused.status).toBe(422);
    expect(refused.body.title).toBe('Posting quota exceeded');
    expect(refused.body.detail).toContain(mastodon.id);
    expect((await inOwn(editor)('GET', `/v1/posts/${posts[2].id}`)).body).toEqual(expect.objectContaining({ status: 'pending_approval', approvedBy: null }));
    // A fourth submitted into that full hour is refused at once, as an editor's would be.
    const fourth = await submit('capped 3', 30);
    expect(fourth.status).toBe(422);
    expect(fourth.body.title).toBe('Posting quota exceeded');
  });

  it('records each approval and rejection in the audit log, with who decided and the note', async () => {
    const at = inSeconds(7200);
    const [yes, no] = [
      (await inOwn(contributor)('POST', '/v1/posts', { text: 'audited yes', channelIds: [sky.id], schedule: { mode: 'at', at } })).body,
      (await inOwn(contributor)('POST', '/v1/posts', { text: 'audited no', channelIds: [sky.id], schedule: { mode: 'at', at } })).body,
    ];
    expect((await inOwn(editor)('POST', `/v1/posts/${yes.id}/approve`)).status).toBe(200);
    expect((await inOwn(admin)('POST', `/v1/posts/${no.id}/reject`, { note: 'not on brand' })).status).toBe(200);
    const audit = await inOwn(owner)('GET', '/v1/audit?limit=100');
    expect(audit.status).toBe(200);
    const about = (id: string) => audit.body.data.filter((event: { subject: { id: string } }) => event.subject.id === id);
    // Newest first: the decision, then the contributor's creation of the post.
    const created = expect.objectContaining({ action: 'post.created', actor: expect.objectContaining({ kind: 'user', id: contributor.userId }) });
    expect(about(yes.id)).toEqual([expect.objectContaining({ action: 'post.approved', actor: expect.objectContaining({ kind: 'user', id: editor.userId }), subject: { type: 'post', id: yes.id } }), created]);
    expect(about(no.id)).toEqual([expect.objectContaining({ action: 'post.rejected', actor: expect.objectContaining({ kind: 'user', id: admin.userId }), details: { note: 'not on brand' } }), created]);
  });
});
