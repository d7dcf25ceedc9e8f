/** Instagram's media publishing against a scripted Graph: the containers Herald makes, with Instagram's own fields. */
import { REAL_ENDPOINTS } from '../../endpoints';
import { NetworkClient } from '../../http/network-client';
import { GRAPH_VERSION } from '../meta/meta-oauth';
import { KeptState, ScriptedNetwork, mediaFile } from '../testing/scripted-network';
import { InstagramAdapter, childFields, singleFields } from './instagram.adapter';

class ScriptedInstagram extends InstagramAdapter {
  constructor(private readonly fake: ScriptedNetwork) {
    super({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: 5 });
  }
  protected override client(): NetworkClient {
    return this.fake.client((reply) => this.toError(reply));
  }
}

/** An Instagram that numbers containers c1, c2, ..., answers `status_code` from `statuses` (the last repeated), and notes the kept container at publish. */
function instagram(state: KeptState, statuses: Record<string, string[]> = {}) {
  let made = 0;
  const reads: Record<string, number> = {};
  const keptAtPublish: Array<string | undefined> = [];
  const fake = new ScriptedNetwork((call) => {
    if (call.method === 'POST' && call.path === `/${GRAPH_VERSION}/42/media`) return { body: { id: `c${++made}` } };
    if (call.method === 'POST' && call.path === `/${GRAPH_VERSION}/42/media_publish`) {
      keptAtPublish.push(state.ref);
      return { body: { id: 'ig-1' } };
    }
    const container = new RegExp(`^/${GRAPH_VERSION}/(c\\d+)$`).exec(call.path)?.[1];
    if (call.method === 'GET' && container) {
      const list = statuses[container] ?? ['FINISHED'];
      const [code, status] = list[Math.min(reads[container] ?? 0, list.length - 1)]!.split(/:(.*)/);
      reads[container] = (reads[container] ?? 0) + 1;
      return { body: { id: container, status_code: code, ...(status ? { status } : {}) } };
    }
    return { status: 400, body: { error: { message: `no route ${call.method} ${call.path}`, code: 100 } } };
  });
  return { adapter: new ScriptedInstagram(fake), fake, keptAtPublish };
}

describe('Instagram media', () => {
  it('posts one video as a reel (no alt text: Instagram takes it for images only), waits for FINISHED, then publishes the kept container', async () => {
    const state = new KeptState();
    const video = mediaFile('v1', 'video', { alt: 'ignored' });
    const { adapter, fake, keptAtPublish } = instagram(state, { c1: ['IN_PROGRESS', 'FINISHED'] });
    const published = await adapter.publish(state.request('Reel', [video]));
    expect(fake.to('POST', '/media').map((call) => call.body)).toEqual([{ media_type: 'REELS', video_url: video.publicUrl, caption: 'Reel' }]);
    expect(fake.to('GET', '/c1')[0]!.query).toEqual({ fields: 'status_code,status' });
    expect(fake.to('POST', '/media_publish')[0]!.query).toEqual({ creation_id: 'c1' });
    expect(keptAtPublish).toEqual(['c1']);
    expect(published).toEqual({ externalId: 'ig-1', externalUrl: 'https://www.instagram.com/p/ig-1/' });
  });

  it('posts one image by image_url with its alt text and caption', async () => {
    const state = new KeptState();
    const image = mediaFile('m1', 'image', { alt: 'Harbour at dawn' });
    const { adapter, fake } = instagram(state);
    await adapter.publish(state.request('Dawn', [image]));
    expect(fake.to('POST', '/media')[0]!.body).toEqual({ image_url: image.publicUrl, alt_text: 'Harbour at dawn', caption: 'Dawn' });
  });

  it('makes a carousel: image and VIDEO children kept as they are made, then the CAROUSEL container with the caption', async () => {
    const state = new KeptState();
    const image = mediaFile('m1', 'image', { alt: 'one' });
    const video = mediaFile('v2', 'video');
    const { adapter, fake, keptAtPublish } = instagram(state, { c2: ['IN_PROGRESS', 'FINISHED'] });
    await adapter.publish(state.request('Album', [image, video]));
    expect(fake.to('POST', '/media').map((call) => call.body)).toEqual([
      { image_url: image.publicUrl, alt_text: 'one', is_carousel_item: 'true' },
      { media_type: 'VIDEO', video_url: video.publicUrl, is_carousel_item: 'true' },
      { media_type: 'CAROUSEL', children: 'c1,c2', caption: 'Album' },
    ]);
    expect(state.log).toEqual(['upload m1=c1', 'upload v2=c2', 'ref c3']);
    expect(keptAtPublish).toEqual(['c3']);
  });

  it("refuses a container in ERROR with Instagram's status text", async () => {
    const state = new KeptState();
    const { adapter, fake } = instagram(state, { c1: ['ERROR:Error: Media upload has failed with error code 2207026'] });
    await expect(adapter.publish(state.request('x', [mediaFile('v1', 'video')]))).rejects.toMatchObject({
      errorClass: 'rejected',
      code: 'media_rejected',
      message: "The post's media could not be used by Instagram: Error: Media upload has failed with error code 2207026",
    });
    expect(fake.to('POST', '/media_publish')).toHaveLength(0);
  });

  it('refuses a post without media before any call', async () => {
    const state = new KeptState();
    const { adapter, fake } = instagram(state);
    await expect(adapter.publish(state.request('words only', []))).rejects.toMatchObject({ errorClass: 'rejected', code: 'media_required' });
    expect(fake.calls).toHaveLength(0);
  });

  it('names each item by its link: singleFields and childFields', () => {
    const image = mediaFile('m1', 'image');
    expect(singleFields(image)).toEqual({ image_url: image.publicUrl });
    expect(childFields(mediaFile('v1', 'video', { alt: 'x' }))).toEqual({ media_type: 'VIDEO', video_url: expect.stringContaining('/v1/'), is_carousel_item: 'true' });
  });
});
