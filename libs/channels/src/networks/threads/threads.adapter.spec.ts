/** Threads' media publishing against a scripted Graph: the containers Herald makes, what it keeps, and when it publishes. */
import { REAL_ENDPOINTS } from '../../endpoints';
import { NetworkError } from '../../errors';
import { NetworkClient } from '../../http/network-client';
import { KeptState, ScriptedAnswer, ScriptedNetwork, SeenCall, mediaFile } from '../testing/scripted-network';
import { ThreadsAdapter } from './threads.adapter';

class ScriptedThreads extends ThreadsAdapter {
  constructor(private readonly fake: ScriptedNetwork) {
    super({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: 5 });
  }
  protected override client(): NetworkClient {
    return this.fake.client((reply) => this.toError(reply));
  }
}

/**
 * A Threads that numbers containers c1, c2, ... as they are made, answers
 * each container's status from `statuses` (the last one repeated), and
 * notes which container was kept when a publish came.
 */
function threads(state: KeptState, statuses: Record<string, string[]> = {}, extra?: (call: SeenCall) => ScriptedAnswer | undefined) {
  let made = 0;
  const reads: Record<string, number> = {};
  const keptAtPublish: Array<string | undefined> = [];
  const fake = new ScriptedNetwork((call) => {
    const answered = extra?.(call);
    if (answered) return answered;
    if (call.method === 'POST' && call.path === '/v1.0/me/threads') return { body: { id: `c${++made}` } };
    if (call.method === 'POST' && call.path === '/v1.0/me/threads_publish') {
      keptAtPublish.push(state.ref);
      return { body: { id: 'post-1' } };
    }
    const container = /^\/v1\.0\/(c\d+)$/.exec(call.path)?.[1];
    if (call.method === 'GET' && container) {
      const list = statuses[container] ?? ['FINISHED'];
      const index = Math.min(reads[container] ?? 0, list.length - 1);
      reads[container] = (reads[container] ?? 0) + 1;
      const [status, message] = list[index]!.split(':');
      return { body: { id: container, status, ...(message ? { error_message: message } : {}) } };
    }
    return { status: 404, body: { error: { message: `no route ${call.method} ${call.path}`, code: 100 } } };
  });
  return { adapter: new ScriptedThreads(fake), fake, keptAtPublish };
}

describe('Threads media', () => {
  it('posts one image in the post container by its public link, waits until FINISHED, keeps the container, then publishes it', async () => {
    const state = new KeptState();
    const image = mediaFile('m1', 'image', { alt: 'A red kite' });
    const { adapter, fake, keptAtPublish } = threads(state, { c1: ['IN_PROGRESS', 'FINISHED'] });
    const published = await adapter.publish(state.request('Look up', [image]));
    expect(fake.to('POST', '/me/threads').map((call) => call.body)).toEqual([{ media_type: 'IMAGE', image_url: image.publicUrl, alt_text: 'A red kite', text: 'Look up' }]);
    expect(fake.to('GET', '/c1')).toHaveLength(2);
    expect(fake.to('GET', '/c1')[0]!.query).toEqual({ fields: 'status,error_message' });
    expect(fake.to('POST', '/threads_publish')[0]!.query).toEqual({ creation_id: 'c1' });
    expect(keptAtPublish).toEqual(['c1']);
    expect(published).toEqual({ externalId: 'post-1', externalUrl: 'https://www.threads.net/@herald/post/post-1' });
  });

  it('posts one video as VIDEO with video_url, its alt text left out when it has none', async () => {
    const state = new KeptState();
    const video = mediaFile('v1', 'video');
    const { adapter, fake } = threads(state);
    await adapter.publish(state.request('Clip', [video]));
    expect(fake.to('POST', '/me/threads')[0]!.body).toEqual({ media_type: 'VIDEO', video_url: video.publicUrl, text: 'Clip' });
  });

  it('makes a carousel: children kept as they are made, all FINISHED before the CAROUSEL container, which is kept before it is published', async () => {
    const state = new KeptState();
    const image = mediaFile('m1', 'image', { alt: 'one' });
    const video = mediaFile('v2', 'video', { alt: 'two' });
    const { adapter, fake, keptAtPublish } = threads(state, { c2: ['IN_PROGRESS', 'IN_PROGRESS', 'FINISHED'] });
    await adapter.publish(state.request('Both', [image, video]));
    expect(fake.to('POST', '/me/threads').map((call) => call.body)).toEqual([
      { media_type: 'IMAGE', image_url: image.publicUrl, alt_text: 'one', is_carousel_item: 'true' },
      { media_type: 'VIDEO', video_url: video.publicUrl, alt_text: 'two', is_carousel_item: 'true' },
      { media_type: 'CAROUSEL', children: 'c1,c2', text: 'Both' },
    ]);
    const parent = fake.calls.findIndex((call) => call.method === 'POST' && (call.body as { media_type?: string }).media_type === 'CAROUSEL');
    expect(fake.calls.slice(0, parent).filter((call) => call.path === '/v1.0/c2')).toHaveLength(3);
    expect(state.log).toEqual(['upload m1=c1', 'upload v2=c2', 'ref c3']);
    expect(state.kept.get('m1')!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(keptAtPublish).toEqual(['c3']);
  });

  it('on a retry reuses the kept children still usable and makes an EXPIRED one again', async () => {
    const state = new KeptState({ m1: 'c8', m2: 'c9' });
    const { adapter, fake } = threads(state, { c8: ['FINISHED'], c9: ['EXPIRED'] });
    await adapter.publish(state.request('Again', [mediaFile('m1', 'image'), mediaFile('m2', 'image')]));
    expect(fake.to('POST', '/me/threads').map((call) => call.body)).toEqual([
      { media_type: 'IMAGE', image_url: expect.stringContaining('/m2/'), is_carousel_item: 'true' },
      { media_type: 'CAROUSEL', children: 'c8,c1', text: 'Again' },
    ]);
    expect(state.log).toEqual(['upload m2=c1', 'ref c2']);
  });

  it('refuses the post with Threads\' reason when a child ends in ERROR, and publishes nothing', async () => {
    const state = new KeptState();
    const { adapter, fake } = threads(state, { c2: ['IN_PROGRESS', 'ERROR:The video could not be downloaded'] });
    const failure = await adapter.publish(state.request('x', [mediaFile('m1', 'image'), mediaFile('v2', 'video')])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure).toMatchObject({ errorClass: 'rejected', code: 'media_rejected', message: 'Video 2 of 2 could not be used by Threads: The video could not be downloaded' });
    expect(fake.to('POST', '/threads_publish')).toHaveLength(0);
  });

  it('publishes a kept container still processing once it is FINISHED, without making another', async () => {
    const state = new KeptState({}, 'c7');
    const { adapter, fake } = threads(state, { c7: ['IN_PROGRESS', 'IN_PROGRESS', 'FINISHED'] });
    await adapter.publish(state.request('Kept', [mediaFile('m1', 'image')]));
    expect(fake.to('POST', '/me/threads')).toHaveLength(0);
    expect(fake.to('POST', '/threads_publish')[0]!.query).toEqual({ creation_id: 'c7' });
  });

  it('answers the post without publishing again when the kept container is already PUBLISHED', async () => {
    const state = new KeptState({}, 'c7');
    const { adapter, fake } = threads(state, { c7: ['PUBLISHED'] });
    expect(await adapter.publish(state.request('Done', [mediaFile('m1', 'image')]))).toEqual({ externalId: null, externalUrl: 'https://www.threads.net/@herald' });
    expect(fake.calls.filter((call) => call.method === 'POST')).toHaveLength(0);
  });

  it('publishes text as a TEXT container with no status read (as before media)', async () => {
    const state = new KeptState();
    const { adapter, fake } = threads(state);
    await adapter.publish(state.request('Just words', []));
    expect(fake.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /v1.0/me/threads', 'POST /v1.0/me/threads_publish']);
    expect(fake.calls[0]!.body).toEqual({ media_type: 'TEXT', text: 'Just words' });
  });

  it('a publish that Threads answers "media not ready" is a transient wait, not ambiguous, and keeps the container for the retry', async () => {
    const state = new KeptState();
    const { adapter } = threads(state, {}, (call) =>
      call.path.endsWith('/threads_publish') ? { status: 400, body: { error: { message: 'Media not ready', type: 'OAuthException', code: 9007, error_subcode: 2207027 } } } : undefined,
    );
    await expect(adapter.publish(state.request('Soon', [mediaFile('m1', 'image')]))).rejects.toMatchObject({ errorClass: 'transient', code: 'media_not_ready', ambiguous: false });
    expect(state.ref).toBe('c1');
  });

  it('a part of a thread is a container answering the part before (reply_to_id), kept before it is published; its lookup reads the replies', async () => {
    const state = new KeptState();
    const { adapter, fake } = threads(state, {}, (call) =>
      call.method === 'GET' && call.path === '/v1.0/me/replies'
        ? { body: { data: [{ id: 'post-2', text: 'Part 2/2', timestamp: new Date().toISOString(), media_type: 'TEXT_POST', permalink: 'https://www.threads.net/@herald/post/post-2' }] } }
        : undefined,
    );
    const replyTo = { root: { externalId: 'post-0' }, parent: { externalId: 'post-1' } };
    await adapter.publish({ ...state.request('Part 2/2', []), replyTo });
    expect(fake.calls[0]!.body).toEqual({ media_type: 'TEXT', text: 'Part 2/2', reply_to_id: 'post-1' });
    expect(state.ref).toBe('c1');
    const found = await adapter.lookup({ credentials: { handle: 'herald', accessToken: 'token' }, content: { text: 'Part 2/2', media: [] }, idempotencyKey: 'd.1', since: new Date(Date.now() - 60_000), excludeExternalIds: new Set(), replyTo });
    expect(found).toEqual({ externalId: 'post-2', externalUrl: 'https://www.threads.net/@herald/post/post-2' });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'GET', path: '/v1.0/me/replies' });
  });
});
