/**
 * Unpublish (issue 35): `POST /v1/posts/:id/unpublish` through the API, the
 * worker and the mock networks in process, on real Postgres and Redis. A
 * post out on all eight networks is taken down from the seven whose API
 * deletes (Instagram's cannot: reported `unsupported`, with why): gone from
 * the mock, its deliveries `deleted`, an attempt each, `post.deleted` at a
 * webhook receiver, an audit entry; a delete that fails once (X answering
 * 503) is retried and then succeeds; a second unpublish changes nothing. A
 * thread on X and Bluesky loses every part, the last first, and its first
 * comment. A post already gone from its network counts as deleted; an
 * unpublish whose job Redis lost is found by the reconciler. Bad input
 * answers a 4xx problem and changes nothing.
 */
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, waitFor } from './support/http';
import { image, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';
import { mockCalls } from './support/mock-networks';
import { CONNECTED_URI, redirectOf } from './support/stack';

const SEVEN = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;

interface DeliveryView {
  id: string;
  channelId: string;
  network: string;
  status: string;
  externalId: string | null;
  deletedAt: string | null;
  unpublish: { status: string; attempts: number; lastError: { code: string } | null } | null;
  parts: { index: number; status: string; externalId: string | null }[];
  firstComment: { status: string; externalId: string | null } | null;
  attempts?: { outcome: string; errorCode: string | null }[];
}

describe('unpublish: taking a post back down from its networks', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let receiver: Server;
  const received: { headers: IncomingHttpHeaders; body: { type: string; data: Record<string, unknown> } }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: JSON.parse(text) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stack = await InProcessStack.start({ env: { HERALD_URL_ALLOWLIST: '127.0.0.1', NETWORK_QUOTAS: 'x=off', RETRY_BACKOFF_MS: '200', LOOKUP_SETTLE_MS: '300' } });
    ({ apiKey } = await stack.workspace('unpublish'));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    expect((await api('POST', '/v1/webhooks', { url, events: ['post.deleted'] })).status).toBe(201);
  });

  afterEach(async () => {
    await http('DELETE', `${stack.mockUrl}/_mock/faults`);
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const mockRows = async (network: string, handle: string) =>
    (await http('GET', `${stack.mockUrl}/_mock/posts?${new URLSearchParams({ network, handle })}`)).body.data as { id: string; text: string; kind: string }[];
  const calls = async (network: string, handle: string) =>
    (await mockCalls({ controlUrl: stack.mockUrl }, { network, handle })).data.map((call) => `${call.method} ${decodeURIComponent(call.path.split('?')[0]!)} ${call.status}`);
  const suffixOf = (tag: string) => `${tag}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const handleFor = (network: string, suffix: string) => (network === 'mastodon' ? `m_${suffix}@example.social` : `${network}_${suffix}`);
  const postOf = async (id: string) => (await api('GET', `/v1/posts/${id}`)).body as { status: string; deliveries: DeliveryView[] };
  const until = (what: string, id: string, done: (post: { status: string; deliveries: DeliveryView[] }) => boolean) =>
    waitFor(
      what,
      async () => {
        const post = await postOf(id);
        return done(post) ? post : undefined;
      },
      { timeoutMs: 40_000 },
    );

  /** Pinterest connects through its OAuth flow only (its channel names a board). */
  async function pinterest(handle: string): Promise<{ id: string; network: string; handle: string }> {
    const started = await api('POST', '/v1/channels/connect', { network: 'pinterest', redirectUri: CONNECTED_URI });
    expect(started.status).toBe(201);
    const authorize = new URL(started.body.authorizeUrl);
    authorize.searchParams.set('login_hint', handle);
    const landed = await redirectOf((await redirectOf(authorize.toString())).toString());
    const channelId = landed.searchParams.get('channelId');
    if (!channelId) throw new Error(`connecting pinterest ended with ${landed.toString()}`);
    return { ...(await api('GET', `/v1/channels/${channelId}`)).body, handle };
  }

  it('takes a post down from every network whose API deletes, retrying a failed delete; Instagram is reported unsupported; a second unpublish changes nothing', async () => {
    const suffix = suffixOf('all');
    const channels = [...(await Promise.all(SEVEN.map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })))), await pinterest(`pin_${suffix}`)];
    const photo = await upload(stack.apiUrl, apiKey, await image('jpeg', 1080, 1080), 'square.jpg', 'image/jpeg');
    expect([200, 201]).toContain(photo.status);
    const text = `Wrong text ${suffix}`;
    const created = await api('POST', '/v1/posts', { text, media: [{ mediaId: photo.body.id, alt: 'A square' }], channelIds: channels.map((channel) => channel.id), schedule: { mode: 'now' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const published = await until(`post ${id} published`, id, (post) => post.status === 'published' || post.deliveries.some((delivery) => delivery.status === 'failed'));
    expect(published.deliveries.map((delivery) => `${delivery.network}:${delivery.status}`).sort()).toEqual(channels.map((channel) => `${channel.network}:published`).sort());
    for (const channel of channels) expect(await mockRows(channel.network, channel.handle)).toHaveLength(1);

    // X answers the first delete with a 503: it is retried, with backoff, and then succeeds.
    const x = channels.find((channel) => channel.network === 'x')!;
    const tweetId = published.deliveries.find((delivery) => delivery.network === 'x')!.externalId!;
    expect((await http('PUT', `${stack.mockUrl}/_mock/faults`, { body: { network: 'x', handle: x.handle, path: `/2/tweets/${tweetId}`, status: 503, times: 1 } })).status).toBe(201);

    const answer = await api('POST', `/v1/posts/${id}/unpublish`);
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(id);
    const results = new Map((answer.body.unpublish as { network: string; result: string; reason: string | null }[]).map((result) => [result.network, result]));
    expect([...results.keys()].sort()).toEqual(channels.map((channel) => channel.network).sort());
    expect(results.get('instagram')).toMatchObject({ result: 'unsupported', reason: expect.stringMatching(/Instagram.*cannot delete/) });
    for (const network of channels.map((channel) => channel.network).filter((network) => network !== 'instagram')) expect(results.get(network)).toMatchObject({ result: 'deleting', reason: null });
    // While it is under way, each delivery says so (or is deleted already); Instagram's is left as it is.
    for (const delivery of answer.body.deliveries as DeliveryView[]) {
      if (delivery.network === 'instagram') expect(delivery.unpublish).toBeNull();
      else expect(delivery.status === 'deleted' || delivery.unpublish?.status === 'pending').toBe(true);
    }

    const done = await until(`post ${id} unpublished`, id, (post) => post.deliveries.every((delivery) => delivery.network === 'instagram' || delivery.status === 'deleted'));
    for (const channel of channels) {
      const delivery = done.deliveries.find((candidate) => candidate.channelId === channel.id)!;
      if (channel.network === 'instagram') {
        expect(delivery).toMatchObject({ status: 'published', deletedAt: null, unpublish: null });
        expect(await mockRows(channel.network, channel.handle)).toHaveLength(1);
        continue;
      }
      expect(delivery).toMatchObject({ status: 'deleted', unpublish: null, parts: [{ index: 0, status: 'deleted' }] });
      expect(Date.parse(delivery.deletedAt!)).not.toBeNaN();
      // Gone from the network: not listed, not found by id.
      expect(await mockRows(channel.network, channel.handle)).toHaveLength(0);
      expect((await calls(channel.network, channel.handle)).filter((call) => call.startsWith('DELETE ') || call.includes('deleteRecord'))).not.toHaveLength(0);
    }
    // Out on Instagram still: the post is as Instagram has it.
    expect(done.status).toBe('published');
    // X: the 503, then the delete that took it down; both recorded as attempts.
    expect((await calls('x', x.handle)).filter((call) => call.startsWith('DELETE'))).toEqual([`DELETE /2/tweets/${tweetId} 503`, `DELETE /2/tweets/${tweetId} 200`]);
    const xDelivery = done.deliveries.find((delivery) => delivery.network === 'x')!;
    expect(xDelivery.attempts!.map((attempt) => [attempt.outcome, attempt.errorCode])).toEqual([
      ['published', null],
      ['delete_failed', 'http_503'],
      ['deleted', null],
    ]);

    // post.deleted once per channel taken down, signed, at the receiver.
    const events = await stack.db.query(`SELECT payload->'data' AS data FROM webhook_events WHERE type = 'post.deleted' AND payload->'data'->>'postId' = $1`, [id]);
    expect(events.rows.map((row) => row.data.network).sort()).toEqual(channels.map((channel) => channel.network).filter((network) => network !== 'instagram').sort());
    await waitFor('post.deleted at the receiver', async () => received.filter((hook) => hook.body.type === 'post.deleted' && hook.body.data.postId === id).length === 7, { timeoutMs: 20_000 });
    expect(received.find((hook) => hook.body.data.postId === id)!.headers['webhook-signature']).toMatch(/^v1,/);
    // The audit log says who asked, once.
    const audit = await stack.db.query(`SELECT details FROM audit_events WHERE action = 'post.unpublished' AND subject_id = $1`, [id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].details.channelIds).toHaveLength(7);

    // A second unpublish: nothing changes (no delete call, no attempt, no event, no audit entry).
    const deletes = async () => (await mockCalls({ controlUrl: stack.mockUrl }, {})).data.filter((call) => call.method === 'DELETE' || call.path.includes('deleteRecord')).length;
    const deletesBefore = await deletes();
    const again = await api('POST', `/v1/posts/${id}/unpublish`, {});
    expect(again.status).toBe(200);
    expect(new Set((again.body.unpublish as { network: string; result: string }[]).map((result) => `${result.network}:${result.result}`))).toEqual(
      new Set(channels.map((channel) => `${channel.network}:${channel.network === 'instagram' ? 'unsupported' : 'deleted'}`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await deletes()).toBe(deletesBefore);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'post.unpublished' AND subject_id = $1`, [id])).rows[0].n).toBe(1);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE type = 'post.deleted' AND payload->'data'->>'postId' = $1`, [id])).rows[0].n).toBe(7);
    expect((await postOf(id)).deliveries.find((delivery) => delivery.network === 'x')!.attempts).toHaveLength(3);
  });

  it('deletes every part of a thread on X and Bluesky, the last first, and its first comment with it; the post is deleted', async () => {
    const suffix = suffixOf('thr');
    const channels = await Promise.all(['x', 'bluesky'].map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const created = await api('POST', '/v1/posts', {
      parts: [1, 2, 3].map((n) => ({ text: `Thread ${suffix} ${n}/3` })),
      firstComment: { text: `More ${suffix}` },
      channelIds: channels.map((channel) => channel.id),
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const published = await until(`thread ${id} published`, id, (post) => post.status === 'published');
    for (const channel of channels) expect(await mockRows(channel.network, channel.handle)).toHaveLength(4);

    const answer = await api('POST', `/v1/posts/${id}/unpublish`, { channelIds: channels.map((channel) => channel.id) });
    expect(answer.status).toBe(200);
    expect(answer.body.unpublish.map((result: { result: string }) => result.result)).toEqual(['deleting', 'deleting']);
    const done = await until(`thread ${id} deleted`, id, (post) => post.status === 'deleted');
    for (const channel of channels) {
      expect(await mockRows(channel.network, channel.handle)).toHaveLength(0);
      const before = published.deliveries.find((delivery) => delivery.channelId === channel.id)!;
      const after = done.deliveries.find((delivery) => delivery.channelId === channel.id)!;
      expect(after.status).toBe('deleted');
      expect(after.parts.map((part) => part.status)).toEqual(['deleted', 'deleted', 'deleted']);
      expect(after.firstComment).toMatchObject({ status: 'deleted' });
      // The comment (a reply after the last part) first, then each part from the last.
      const ids = [before.firstComment!.externalId!, ...before.parts.map((part) => part.externalId!).reverse()];
      const deletes = (await calls(channel.network, channel.handle)).filter((call) => call.startsWith('DELETE') || call.includes('deleteRecord'));
      if (channel.network === 'x') expect(deletes).toEqual(ids.map((tweet) => `DELETE /2/tweets/${tweet} 200`));
      else expect(deletes).toEqual(ids.map(() => 'POST /xrpc/com.atproto.repo.deleteRecord 200'));
    }
    // Bluesky's records are gone: getRecord answers RecordNotFound.
    const root = published.deliveries.find((delivery) => delivery.network === 'bluesky')!.externalId!;
    const [, repo, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(root)!;
    const read = await http('GET', `${stack.networkUrl('bluesky')}/xrpc/com.atproto.repo.getRecord?${new URLSearchParams({ repo: repo!, collection: collection!, rkey: rkey! })}`);
    expect(read.status).toBe(400);
    expect(read.body.error).toBe('RecordNotFound');
  });

  it('counts a post the network says is not there (deleted by hand) as deleted: a 404, Meta\'s unknown object, Bluesky\'s no-op', async () => {
    const suffix = suffixOf('gone');
    const networks = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'facebook'];
    const channels = await Promise.all(networks.map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const created = await api('POST', '/v1/posts', { text: `Gone already ${suffix}`, channelIds: channels.map((channel) => channel.id), schedule: { mode: 'now' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await until(`post ${id} published`, id, (post) => post.status === 'published');
    // Taken down by hand on every network (the mock forgets its posts), then unpublished.
    expect((await http('DELETE', `${stack.mockUrl}/_mock/posts`)).status).toBeLessThan(300);
    expect((await api('POST', `/v1/posts/${id}/unpublish`)).status).toBe(200);
    const done = await until(`post ${id} deleted`, id, (post) => post.status === 'deleted');
    for (const delivery of done.deliveries) expect(delivery.attempts!.map((attempt) => attempt.outcome)).toEqual(['published', 'deleted']);
    const answered = async (network: string, handle: string) =>
      (await mockCalls({ controlUrl: stack.mockUrl }, { network, handle })).data.filter((call) => call.method === 'DELETE' || call.path.includes('deleteRecord')).map((call) => call.status);
    const statuses = Object.fromEntries(await Promise.all(channels.map(async (channel) => [channel.network, await answered(channel.network, channel.handle)] as const)));
    expect(statuses).toEqual({ x: [404], bluesky: [200], mastodon: [404], linkedin: [404], threads: [400], facebook: [400] });
  });

  it('an unpublish whose job Redis lost is found in Postgres by the reconciler and done', async () => {
    const suffix = suffixOf('lost');
    const mastodon = await stack.channel(apiKey, { network: 'mastodon', handle: handleFor('mastodon', suffix) });
    const created = await api('POST', '/v1/posts', { text: `Lost job ${suffix}`, channelIds: [mastodon.id], schedule: { mode: 'now' } });
    const id = created.body.id as string;
    await until(`post ${id} published`, id, (post) => post.status === 'published');
    // As the API writes it, with no job in Redis (lost, or never added).
    await stack.db.query(`UPDATE deliveries SET unpublish_due_at = now() WHERE post_id = $1`, [id]);
    await until(`post ${id} deleted`, id, (post) => post.status === 'deleted');
    expect(await mockRows('mastodon', mastodon.handle)).toHaveLength(0);
  });

  it('answers bad input with a problem and changes nothing', async () => {
    const suffix = suffixOf('bad');
    const [x, mastodon] = await Promise.all(['x', 'mastodon'].map((network) => stack.channel(apiKey, { network, handle: handleFor(network, suffix) })));
    const later = await api('POST', '/v1/posts', { text: `Later ${suffix}`, channelIds: [x.id, mastodon.id], schedule: { mode: 'at', at: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(later.status).toBe(201);
    const problem = (answer: { status: number; headers: Headers }, status: number) => {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    };
    const elsewhere = await stack.channel(apiKey, { network: 'linkedin', handle: `linkedin_${suffix}` });

    const unknown = await api('POST', '/v1/posts/7c1f7b9e-0000-4000-8000-000000000000/unpublish');
    problem(unknown, 404);
    const notOut = await api('POST', `/v1/posts/${later.body.id}/unpublish`);
    problem(notOut, 409);
    expect(notOut.body.detail).toMatch(/not published on any channel/);
    const named = await api('POST', `/v1/posts/${later.body.id}/unpublish`, { channelIds: [x.id] });
    problem(named, 409);
    expect(named.body.detail).toContain(`channel ${x.id} (scheduled)`);
    const stranger = await api('POST', `/v1/posts/${later.body.id}/unpublish`, { channelIds: ['7c1f7b9e-0000-4000-8000-000000000001'] });
    problem(stranger, 422);
    expect(stranger.body.errors).toEqual([{ path: 'channelIds[0]', message: expect.stringMatching(/not a channel of this workspace/) }]);
    const notOnIt = await api('POST', `/v1/posts/${later.body.id}/unpublish`, { channelIds: [x.id, elsewhere.id] });
    problem(notOnIt, 422);
    expect(notOnIt.body.errors).toEqual([{ path: 'channelIds[1]', message: `the post is not on channel ${elsewhere.id}` }]);
    const malformed = await api('POST', `/v1/posts/${later.body.id}/unpublish`, { channelIds: ['not-a-uuid'] });
    problem(malformed, 400);
    const empty = await api('POST', `/v1/posts/${later.body.id}/unpublish`, { channelIds: [] });
    problem(empty, 400);
    // Nothing changed: still scheduled on both, nothing asked of the worker.
    const post = await postOf(later.body.id);
    expect(post.deliveries.map((delivery) => [delivery.status, delivery.unpublish])).toEqual([
      ['scheduled', null],
      ['scheduled', null],
    ]);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'post.unpublished' AND subject_id = $1`, [later.body.id])).rows[0].n).toBe(0);
  });
});
