/** A Facebook Page's media publishing against a scripted Graph: photos, several photos on one post, a video. */
import { REAL_ENDPOINTS } from '../../endpoints';
import { NetworkClient } from '../../http/network-client';
import { GRAPH_VERSION } from '../meta/meta-oauth';
import { KeptState, ScriptedNetwork, mediaFile } from '../testing/scripted-network';
import { FacebookAdapter, toPublished } from './facebook.adapter';

class ScriptedFacebook extends FacebookAdapter {
  constructor(private readonly fake: ScriptedNetwork) {
    super({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: 5 });
  }
  protected override client(): NetworkClient {
    return this.fake.client((reply) => this.toError(reply));
  }
}

const PAGE = `/${GRAPH_VERSION}/42`;

function facebook() {
  let photos = 0;
  const fake = new ScriptedNetwork((call) => {
    if (call.path === `${PAGE}/photos`) {
      photos += 1;
      const published = (call.body as { published?: string }).published !== 'false';
      return { body: { id: `ph${photos}`, ...(published ? { post_id: `42_${100 + photos}` } : {}) } };
    }
    if (call.path === `${PAGE}/feed`) return { body: { id: '42_200' } };
    if (call.path === `${PAGE}/videos`) return { body: { id: 'vid9' } };
    return { status: 400, body: { error: { message: 'no route', code: 100 } } };
  });
  return { adapter: new ScriptedFacebook(fake), fake };
}

describe('Facebook media', () => {
  it('posts text on the feed, as before media', async () => {
    const { adapter, fake } = facebook();
    expect(await adapter.publish(new KeptState().request('Hello', []))).toEqual({ externalId: '42_200', externalUrl: 'https://www.facebook.com/42/posts/200' });
    expect(fake.calls.map((call) => [call.path, call.body])).toEqual([[`${PAGE}/feed`, { message: 'Hello' }]]);
  });

  it('posts one photo by /photos with its link, text and alt text; the post is its post_id', async () => {
    const { adapter, fake } = facebook();
    const image = mediaFile('m1', 'image', { alt: 'Our shop front' });
    expect(await adapter.publish(new KeptState().request('Open today', [image]))).toEqual({ externalId: '42_101', externalUrl: 'https://www.facebook.com/42/posts/101' });
    expect(fake.calls.map((call) => [call.path, call.body])).toEqual([[`${PAGE}/photos`, { url: image.publicUrl, alt_text_custom: 'Our shop front', message: 'Open today' }]]);
  });

  it('posts several photos unpublished, each kept, then attaches them to a feed post as a JSON-encoded attached_media', async () => {
    const { adapter, fake } = facebook();
    const state = new KeptState();
    await adapter.publish(state.request('Three', [mediaFile('m1', 'image', { alt: 'a' }), mediaFile('m2', 'image'), mediaFile('m3', 'image')]));
    expect(fake.to('POST', '/photos').map((call) => call.body)).toEqual([
      { url: expect.stringContaining('/m1/'), alt_text_custom: 'a', published: 'false' },
      { url: expect.stringContaining('/m2/'), published: 'false' },
      { url: expect.stringContaining('/m3/'), published: 'false' },
    ]);
    expect(state.log).toEqual(['upload m1=ph1', 'upload m2=ph2', 'upload m3=ph3']);
    expect(fake.to('POST', '/feed')[0]!.body).toEqual({ message: 'Three', attached_media: '[{"media_fbid":"ph1"},{"media_fbid":"ph2"},{"media_fbid":"ph3"}]' });
  });

  it('on a retry attaches the photos an earlier try uploaded instead of uploading them again', async () => {
    const { adapter, fake } = facebook();
    const state = new KeptState({ m1: 'old1' });
    await adapter.publish(state.request('Two', [mediaFile('m1', 'image'), mediaFile('m2', 'image')]));
    expect(fake.to('POST', '/photos')).toHaveLength(1);
    expect(fake.to('POST', '/feed')[0]!.body).toEqual({ message: 'Two', attached_media: '[{"media_fbid":"old1"},{"media_fbid":"ph1"}]' });
  });

  it('posts one video by /videos with file_url and the text as its description', async () => {
    const { adapter, fake } = facebook();
    const video = mediaFile('v1', 'video');
    expect(await adapter.publish(new KeptState().request('Watch', [video]))).toEqual({ externalId: 'vid9', externalUrl: 'https://www.facebook.com/watch/?v=vid9' });
    expect(fake.calls.map((call) => [call.path, call.body])).toEqual([[`${PAGE}/videos`, { file_url: video.publicUrl, description: 'Watch' }]]);
  });

  it('refuses a video with other media before any call', async () => {
    const { adapter, fake } = facebook();
    await expect(adapter.publish(new KeptState().request('x', [mediaFile('v1', 'video'), mediaFile('m1', 'image')]))).rejects.toMatchObject({ errorClass: 'rejected', code: 'media_unsupported' });
    expect(fake.calls).toHaveLength(0);
  });

  it('reads a feed id as the Page and its post', () => {
    expect(toPublished('42_7')).toEqual({ externalId: '42_7', externalUrl: 'https://www.facebook.com/42/posts/7' });
  });
});
