/** LinkedIn's media against a scripted Posts API: uploads, their processing, and the post's content. */
import { REAL_ENDPOINTS } from '../../endpoints';
import { NetworkClient } from '../../http/network-client';
import { KeptState, ScriptedAnswer, ScriptedNetwork, SeenCall, mediaFile } from '../testing/scripted-network';
import { LinkedInAdapter } from './linkedin.adapter';
import { mediaReadiness, uploadParts } from './linkedin.media';

class ScriptedLinkedIn extends LinkedInAdapter {
  constructor(private readonly fake: ScriptedNetwork) {
    super({ endpoints: REAL_ENDPOINTS, timeoutMs: 1000, lookupMaxPages: 5 });
  }
  protected override client(): NetworkClient {
    return this.fake.client((reply) => this.toError(reply));
  }
}

const UPLOADS = 'https://uploads.linkedin.test';

/**
 * A LinkedIn that registers images as urn:li:image:N and videos as
 * urn:li:video:N (in 4-byte parts), answers each URN's status PROCESSING on
 * its first read then AVAILABLE (or from `statuses`), and 404 for URNs it
 * never registered.
 */
function linkedin(statuses: Record<string, string[]> = {}) {
  let registered = 0;
  const known = new Set<string>();
  const reads: Record<string, number> = {};
  const fake = new ScriptedNetwork((call: SeenCall): ScriptedAnswer => {
    if (call.method === 'POST' && call.path === '/rest/images' && call.query.action === 'initializeUpload') {
      const urn = `urn:li:image:${++registered}`;
      known.add(urn);
      return { body: { value: { uploadUrlExpiresAt: Date.now() + 3600_000, uploadUrl: `${UPLOADS}/image/${registered}`, image: urn } } };
    }
    if (call.method === 'POST' && call.path === '/rest/videos' && call.query.action === 'initializeUpload') {
      const urn = `urn:li:video:${++registered}`;
      known.add(urn);
      const size = (call.body as { initializeUploadRequest: { fileSizeBytes: number } }).initializeUploadRequest.fileSizeBytes;
      const parts = Array.from({ length: Math.ceil(size / 4) }, (_, index) => ({ uploadUrl: `${UPLOADS}/video/${registered}/${index}`, firstByte: index * 4, lastByte: Math.min(size, index * 4 + 4) - 1 }));
      return { body: { value: { video: urn, uploadToken: '', uploadInstructions: parts } } };
    }
    if (call.method === 'PUT') return { status: call.path.includes('/video/') ? 200 : 201, headers: { etag: `etag-${call.path.split('/').pop()}` } };
    if (call.method === 'POST' && call.path === '/rest/videos' && call.query.action === 'finalizeUpload') return { body: {} };
    const status = /^\/rest\/(images|videos)\/(.+)$/.exec(call.path);
    if (call.method === 'GET' && status) {
      const urn = decodeURIComponent(status[2]!);
      if (!known.has(urn)) return { status: 404, body: { status: 404, message: 'Not found' } };
      const list = statuses[urn] ?? ['PROCESSING', 'AVAILABLE'];
      const seen = list[Math.min(reads[urn] ?? 0, list.length - 1)]!;
      reads[urn] = (reads[urn] ?? 0) + 1;
      return { body: { id: urn, status: seen, ...(seen === 'PROCESSING_FAILED' ? { processingFailureReason: 'Unsupported codec' } : {}) } };
    }
    if (call.method === 'POST' && call.path === '/rest/posts') return { status: 201, headers: { 'x-restli-id': 'urn:li:share:77' } };
    return { status: 400, body: { status: 400, message: `no route ${call.method} ${call.path}` } };
  });
  return { adapter: new ScriptedLinkedIn(fake), fake, known };
}

const contentOf = (fake: ScriptedNetwork) => (fake.to('POST', '/rest/posts')[0]!.body as { content?: unknown }).content;

describe('LinkedIn media', () => {
  it('uploads each image (initializeUpload, then a PUT of its bytes), keeps its URN, waits for AVAILABLE, then posts a multiImage', async () => {
    const { adapter, fake } = linkedin();
    const state = new KeptState();
    const first = mediaFile('m1', 'image', { alt: 'Team photo', size: 12 });
    const second = mediaFile('m2', 'image');
    await adapter.publish(state.request('Our team', [first, second]));
    expect(fake.to('POST', '/rest/images').map((call) => call.body)).toEqual([
      { initializeUploadRequest: { owner: 'urn:li:person:42' } },
      { initializeUploadRequest: { owner: 'urn:li:person:42' } },
    ]);
    const puts = fake.to('PUT', '');
    expect(puts.map((call) => call.path)).toEqual([`${UPLOADS}/image/1`, `${UPLOADS}/image/2`]);
    expect(puts[0]!.raw!.contentType).toBe('application/octet-stream');
    expect(Buffer.from(puts[0]!.raw!.bytes)).toEqual(await first.read());
    expect(state.log).toEqual(['upload m1=urn:li:image:1', 'upload m2=urn:li:image:2']);
    expect(fake.to('GET', encodeURIComponent('urn:li:image:1'))).toHaveLength(2);
    expect(contentOf(fake)).toEqual({ multiImage: { images: [{ id: 'urn:li:image:1', altText: 'Team photo' }, { id: 'urn:li:image:2' }] } });
  });

  it('uploads a video in the byte ranges LinkedIn names, finalizes it with the etags in order, and posts it as content.media', async () => {
    const { adapter, fake } = linkedin();
    const state = new KeptState();
    const video = mediaFile('v1', 'video', { size: 10, alt: 'Demo' });
    await adapter.publish(state.request('Watch', [video]));
    expect(fake.to('POST', '/rest/videos')[0]!.body).toEqual({ initializeUploadRequest: { owner: 'urn:li:person:42', fileSizeBytes: 10, uploadCaptions: false, uploadThumbnail: false } });
    expect(fake.to('PUT', '').map((call) => [...call.raw!.bytes])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(fake.to('POST', '/rest/videos')[1]).toMatchObject({
      query: { action: 'finalizeUpload' },
      body: { finalizeUploadRequest: { video: 'urn:li:video:1', uploadToken: '', uploadedPartIds: ['etag-0', 'etag-1', 'etag-2'] } },
    });
    expect(fake.to('GET', encodeURIComponent('urn:li:video:1'))).toHaveLength(2);
    expect(state.log).toEqual(['upload v1=urn:li:video:1']);
    expect(contentOf(fake)).toEqual({ media: { id: 'urn:li:video:1', altText: 'Demo' } });
  });

  it('on a retry reads the kept URN instead of uploading again', async () => {
    const { adapter, fake, known } = linkedin({ 'urn:li:image:9': ['AVAILABLE'] });
    known.add('urn:li:image:9');
    await adapter.publish(new KeptState({ m1: 'urn:li:image:9' }).request('Again', [mediaFile('m1', 'image')]));
    expect(fake.to('POST', '/rest/images')).toHaveLength(0);
    expect(fake.to('PUT', '')).toHaveLength(0);
    expect(contentOf(fake)).toEqual({ media: { id: 'urn:li:image:9' } });
  });

  it('uploads again a kept URN LinkedIn no longer knows', async () => {
    const { adapter, fake } = linkedin();
    const state = new KeptState({ m1: 'urn:li:image:gone' });
    await adapter.publish(state.request('Again', [mediaFile('m1', 'image')]));
    expect(fake.to('PUT', '')).toHaveLength(1);
    expect(state.get('m1')).toBe('urn:li:image:1');
    expect(contentOf(fake)).toEqual({ media: { id: 'urn:li:image:1' } });
  });

  it("refuses the post with LinkedIn's reason when processing fails, and posts nothing", async () => {
    const { adapter, fake } = linkedin({ 'urn:li:video:1': ['PROCESSING', 'PROCESSING_FAILED'] });
    await expect(adapter.publish(new KeptState().request('x', [mediaFile('v1', 'video')]))).rejects.toMatchObject({
      errorClass: 'rejected',
      code: 'media_rejected',
      message: 'Video 1 of 1 could not be processed by LinkedIn: Unsupported codec',
    });
    expect(fake.to('POST', '/rest/posts')).toHaveLength(0);
  });

  it('posts text without content, as before media', async () => {
    const { adapter, fake } = linkedin();
    await adapter.publish(new KeptState().request('Words', []));
    expect(fake.calls.map((call) => call.path)).toEqual(['/rest/posts']);
    expect(contentOf(fake)).toBeUndefined();
  });
});

describe('uploadParts', () => {
  const part = (firstByte: number, lastByte: number) => ({ uploadUrl: `${UPLOADS}/${firstByte}`, firstByte, lastByte });

  it('turns inclusive firstByte..lastByte into [start, end) ranges', () => {
    expect(uploadParts([part(0, 4_194_303), part(4_194_304, 5_000_000)], 5_000_001)).toEqual([
      { uploadUrl: `${UPLOADS}/0`, start: 0, end: 4_194_304 },
      { uploadUrl: `${UPLOADS}/4194304`, start: 4_194_304, end: 5_000_001 },
    ]);
  });

  it('refuses instructions with a gap, an overlap, a missing URL or the wrong total: the video would arrive broken', () => {
    expect(() => uploadParts([part(0, 3), part(5, 9)], 10)).toThrow(expect.objectContaining({ code: 'bad_answer' }));
    expect(() => uploadParts([part(0, 5), part(5, 9)], 10)).toThrow(expect.objectContaining({ code: 'bad_answer' }));
    expect(() => uploadParts([{ firstByte: 0, lastByte: 9 }], 10)).toThrow(expect.objectContaining({ code: 'bad_answer' }));
    expect(() => uploadParts([part(0, 8)], 10)).toThrow(expect.objectContaining({ code: 'bad_answer', ambiguous: false }));
    expect(() => uploadParts([], 10)).toThrow(expect.objectContaining({ code: 'bad_answer' }));
  });
});

describe('mediaReadiness', () => {
  it('is done at AVAILABLE, waits longer with each read while PROCESSING or WAITING_UPLOAD', () => {
    expect(mediaReadiness({ status: 'AVAILABLE' }, 'urn:li:image:1', 'Image 1 of 1', 0)).toEqual({ done: 'urn:li:image:1' });
    const waits = [0, 1, 2, 10].map((reads) => (mediaReadiness({ status: 'PROCESSING' }, 'u', 'Image', reads) as { waitMs: number }).waitMs);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits[0]).toBeLessThan(waits[3]!);
    expect(mediaReadiness({ status: 'WAITING_UPLOAD' }, 'u', 'Image', 0)).toHaveProperty('waitMs');
  });

  it('refuses PROCESSING_FAILED, with the reason when LinkedIn gives one', () => {
    expect(() => mediaReadiness({ status: 'PROCESSING_FAILED' }, 'u', 'Image 2 of 3', 0)).toThrow('Image 2 of 3 could not be processed by LinkedIn');
  });
});

describe('LinkedIn first comments', () => {
  it('comments on the post through the Comments API as the member, and finds that comment again by its text', async () => {
    const urn = 'urn:li:share:77';
    const fake = new ScriptedNetwork((call: SeenCall): ScriptedAnswer => {
      if (call.method === 'POST' && call.path === `/rest/socialActions/${encodeURIComponent(urn)}/comments`) {
        return { status: 201, headers: { 'x-restli-id': '9' }, body: { commentUrn: `urn:li:comment:(${urn},9)` } };
      }
      if (call.method === 'GET' && call.path === `/rest/socialActions/${encodeURIComponent(urn)}/comments`) {
        return call.query.start === '0'
          ? { body: { elements: [{ commentUrn: `urn:li:comment:(${urn},8)`, actor: 'urn:li:person:other', message: { text: 'First!' } }, { commentUrn: `urn:li:comment:(${urn},9)`, actor: 'urn:li:person:42', message: { text: 'First!' } }] } }
          : { body: { elements: [] } };
      }
      return { status: 400, body: { status: 400, message: `no route ${call.method} ${call.path}` } };
    });
    const adapter = new ScriptedLinkedIn(fake);
    const state = new KeptState();
    const replyTo = { root: { externalId: urn }, parent: { externalId: urn } };
    const published = await adapter.publish({ ...state.request('First!', []), replyTo });
    expect(published.externalId).toBe(`urn:li:comment:(${urn},9)`);
    expect(fake.calls[0]!.body).toEqual({ actor: 'urn:li:person:42', object: urn, message: { text: 'First!' } });
    // Another member's comment with the same words is not this one.
    const found = await adapter.lookup({ credentials: { handle: 'herald', accessToken: 'token', accountId: '42' }, content: { text: 'First!', media: [] }, idempotencyKey: 'd.1', since: new Date(0), excludeExternalIds: new Set(), replyTo });
    expect(found?.externalId).toBe(`urn:li:comment:(${urn},9)`);
  });
});

