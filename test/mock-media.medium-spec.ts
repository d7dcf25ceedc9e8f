/**
 * Media on the mock networks, each taken the way the real network takes it
 * (issue 13): uploaded bytes (Bluesky blobs, Mastodon, X, LinkedIn) and
 * public URLs the network fetches itself (Threads, Instagram, Facebook),
 * judged by what the bytes really are, refused in the network's own error
 * format with nothing kept, and shown per post at /_mock/posts. Real files:
 * images made with sharp, the MP4 fixtures; the networks' own clients
 * (masto, AtpAgent, xdk) drive an upload each. (No Herald process.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { http } from './support/http';
import { FileServer, clip, image, long, padded, paddedMp4, startFileServer } from './support/mock-media-files';
import { MockNetworks, formPost, mockToken } from './support/mock-networks';
import { startMockNetworksInProcess } from './support/mock-in-process';

const run = promisify(execFile);
let mock: MockNetworks;
let files: FileServer;
let png: Buffer;
let jpeg: Buffer;
let gif: Buffer;
let webp: Buffer;
const dir = mkdtempSync(join(tmpdir(), 'mock-media-'));

beforeAll(async () => {
  [png, jpeg, gif, webp] = await Promise.all([image('png', 64, 48), image('jpeg', 1080, 1080), image('gif', 32, 32), image('webp', 40, 30)]);
  const [wide, tall] = await Promise.all([image('jpeg', 400, 100), image('jpeg', 400, 600)]);
  files = await startFileServer({
    '/a.jpg': { type: 'image/jpeg', body: jpeg },
    '/wide.jpg': { type: 'image/jpeg', body: wide },
    '/tall.jpg': { type: 'image/jpeg', body: tall },
    '/p.png': { type: 'image/png', body: png },
    '/png-as.jpg': { type: 'image/jpeg', body: png },
    '/w.webp': { type: 'image/webp', body: webp },
    '/big.jpg': { type: 'image/jpeg', body: padded(jpeg, 9 * 1024 * 1024) },
    '/page.jpg': { type: 'image/jpeg', body: '<html><body>not an image</body></html>' },
    '/forbidden.jpg': { status: 403, type: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'bad signature' }) },
    '/clip.mp4': { type: 'video/mp4', body: clip },
    '/long.mp4': { type: 'video/mp4', body: long },
  });
  mock = await startMockNetworksInProcess();
});
afterAll(async () => {
  await Promise.all([mock?.stop(), files?.close()]);
});

const posts = async (network: string, handle: string, instanceUrl?: string) =>
  (await http('GET', `${mock.controlUrl}/_mock/posts?network=${network}&handle=${encodeURIComponent(handle)}${instanceUrl ? `&instanceUrl=${encodeURIComponent(instanceUrl)}` : ''}`)).body.data;

async function client(script: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support/clients', script), ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

function saved(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A multipart POST (FormData, as fetch sends it): status and parsed body. */
async function multipart(url: string, token: string, parts: Record<string, string | { bytes: Buffer; type: string; name: string }>): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.set(key, value);
    else form.set(key, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function raw(method: string, url: string, token: string, bytes: Buffer, type: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: bytes });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe('Bluesky: uploadBlob and app.bsky.embed.images', () => {
  const xrpc = (method: string) => `${mock.urls.bluesky}/xrpc/${method}`;
  const record = (did: string, images: unknown[]) => ({
    repo: did,
    collection: 'app.bsky.feed.post',
    record: { $type: 'app.bsky.feed.post', text: 'pictures', createdAt: new Date().toISOString(), embed: { $type: 'app.bsky.embed.images', images } },
  });

  it('answers a blob ref with a raw-codec CID and the type the bytes have; a post embeds up to 4 with alt and aspect ratio', async () => {
    const { accessToken, accountId: did } = await mockToken(mock, 'bluesky', 'bea.bsky.social');
    const up = await raw('POST', xrpc('com.atproto.repo.uploadBlob'), accessToken, png, 'application/octet-stream');
    expect(up).toMatchObject({ status: 200, body: { blob: { $type: 'blob', ref: { $link: expect.stringMatching(/^bafkrei[a-z2-7]{52}$/) }, mimeType: 'image/png', size: png.length } } });
    const second = await raw('POST', xrpc('com.atproto.repo.uploadBlob'), accessToken, webp, 'image/webp');
    const created = await http('POST', xrpc('com.atproto.repo.createRecord'), {
      token: accessToken,
      body: record(did, [
        { image: up.body.blob, alt: 'a blue rectangle', aspectRatio: { width: 64, height: 48 } },
        { image: second.body.blob, alt: '' },
      ]),
    });
    expect(created.status).toBe(200);
    expect((await posts('bluesky', 'bea.bsky.social'))[0].media).toEqual([
      { type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'a blue rectangle' },
      { type: 'image', mimeType: 'image/webp', size: webp.length, width: 40, height: 30, alt: '' },
    ]);
  });

  it('refuses a blob never uploaded (or uploaded by another account), no image by its bytes, over 2,000,000 bytes, no alt, a bad aspect ratio; keeps nothing', async () => {
    const { accessToken, accountId: did } = await mockToken(mock, 'bluesky', 'bo.bsky.social');
    const other = await mockToken(mock, 'bluesky', 'other.bsky.social');
    const upload = async (bytes: Buffer, type: string, token = accessToken) => (await raw('POST', xrpc('com.atproto.repo.uploadBlob'), token, bytes, type)).body.blob;
    const post = (images: unknown[]) => http('POST', xrpc('com.atproto.repo.createRecord'), { token: accessToken, body: record(did, images) });
    const good = await upload(png, 'image/png');
    const never = { ...good, ref: { $link: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' } };
    expect(await post([{ image: never, alt: '' }])).toMatchObject({ status: 400, body: { error: 'BlobNotFound' } });
    expect(await post([{ image: await upload(jpeg, 'image/jpeg', other.accessToken), alt: '' }])).toMatchObject({ status: 400, body: { error: 'BlobNotFound' } });
    const text = await upload(Buffer.from('plain text that claims to be a PNG'), 'image/png');
    expect(text.mimeType).toBe('image/png');
    expect(await post([{ image: text, alt: '' }])).toMatchObject({ status: 400, body: { error: 'InvalidMimeType', message: expect.stringContaining('must match image/*') } });
    expect(await post([{ image: await upload(clip, 'video/mp4'), alt: '' }])).toMatchObject({ status: 400, body: { error: 'InvalidMimeType' } });
    const big = await upload(padded(png, 2_500_000), 'image/png');
    expect(await post([{ image: big, alt: '' }])).toMatchObject({ status: 400, body: { error: 'BlobTooLarge' } });
    expect(await post([{ image: good }])).toMatchObject({ status: 400, body: { error: 'InvalidRequest', message: expect.stringContaining('"alt"') } });
    expect(await post([{ image: good, alt: '', aspectRatio: { width: 0, height: 48 } }])).toMatchObject({ status: 400, body: { error: 'InvalidRequest', message: expect.stringContaining('aspectRatio') } });
    expect(await post(Array(5).fill({ image: good, alt: '' }))).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } });
    const tooBig = await raw('POST', xrpc('com.atproto.repo.uploadBlob'), accessToken, padded(png, 5_000_001), 'image/png');
    expect(tooBig).toMatchObject({ status: 400, body: { error: 'BlobTooLarge' } });
    expect(await posts('bluesky', 'bo.bsky.social')).toEqual([]);
  });

  it("AtpAgent's uploadBlob: the PDS answers the bytes' type over the declared one; a blob that is no image is refused", async () => {
    const result = await client('atproto-media.mjs', mock.urls.bluesky, 'agnes.bsky.social', saved('photo.jpg', jpeg));
    expect(result.blob).toEqual({ ref: expect.stringMatching(/^bafkrei/), mimeType: 'image/jpeg', size: jpeg.length });
    expect(result.refused).toMatchObject({ status: 400, error: 'InvalidMimeType' });
    expect(await posts('bluesky', 'agnes.bsky.social')).toEqual([
      expect.objectContaining({ id: result.created.uri, media: [{ type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: 'a blue photo' }] }),
    ]);
  });
});

describe('Mastodon: /api/v2/media, processing, media_ids', () => {
  const media = (token: string, bytes: Buffer, type: string, name: string, description?: string) =>
    multipart(`${mock.urls.mastodon}/api/v2/media`, token, { file: { bytes, type, name }, ...(description !== undefined ? { description } : {}) });
  const status = (token: string, text: string, ids: string[]) => http('POST', `${mock.urls.mastodon}/api/v1/statuses`, { token, body: { status: text, media_ids: ids } });

  it('announces its limits; an image is processed at once (200), a video answers 202 and 206 until processed, and is refused until then', async () => {
    const instance = (await http('GET', `${mock.urls.mastodon}/api/v2/instance`)).body;
    expect(instance.configuration.media_attachments).toMatchObject({ description_limit: 1500, image_size_limit: 16 * 1024 * 1024, video_size_limit: 99 * 1024 * 1024, supported_mime_types: expect.arrayContaining(['image/png', 'video/mp4']) });
    const { accessToken } = await mockToken(mock, 'mastodon', 'mia', mock.urls.mastodon);
    const picture = await media(accessToken, png, 'application/octet-stream', 'no-extension', 'a blue rectangle');
    expect(picture).toMatchObject({ status: 200, body: { type: 'image', url: expect.any(String), description: 'a blue rectangle', meta: { original: { width: 64, height: 48, size: '64x48' } } } });
    const video = await media(accessToken, clip, 'video/mp4', 'clip.mp4');
    expect(video).toMatchObject({ status: 202, body: { type: 'video', url: null } });
    expect(await status(accessToken, 'too early', [video.body.id])).toMatchObject({ status: 422, body: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' } });
    expect((await http('GET', `${mock.urls.mastodon}/api/v1/media/${video.body.id}`, { token: accessToken })).status).toBe(206);
    const ready = await http('GET', `${mock.urls.mastodon}/api/v1/media/${video.body.id}`, { token: accessToken });
    expect(ready).toMatchObject({ status: 200, body: { url: expect.any(String), meta: { original: { width: 320, height: 240, duration: 2 } } } });
    expect(await status(accessToken, 'a video, mixed with an image', [picture.body.id, video.body.id])).toMatchObject({ status: 422, body: { error: 'Cannot attach a video to a post that already contains images' } });
    expect((await status(accessToken, 'a video', [video.body.id])).status).toBe(200);
    expect((await status(accessToken, 'a picture', [picture.body.id])).status).toBe(200);
    expect(await status(accessToken, 'the picture again', [picture.body.id])).toMatchObject({ status: 422, body: { error: `Media ${picture.body.id} not found or already attached to another post` } });
    expect((await posts('mastodon', 'mia', mock.urls.mastodon)).map((post: any) => post.media)).toEqual([
      [{ type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000, alt: '' }],
      [{ type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'a blue rectangle' }],
    ]);
  });

  it('refuses by the bytes (a text file named .png), over image_size_limit, a description over 1,500, no file (the old JSON {url} form), media of another account; keeps nothing', async () => {
    const { accessToken } = await mockToken(mock, 'mastodon', 'max', mock.urls.mastodon);
    const other = await mockToken(mock, 'mastodon', 'moe', mock.urls.mastodon);
    expect(await media(accessToken, Buffer.from('hello, not a picture'), 'image/png', 'a.png')).toMatchObject({ status: 422, body: { error: 'Validation failed: File content type is invalid' } });
    expect(await media(accessToken, padded(png, 16 * 1024 * 1024 + 1), 'image/png', 'big.png')).toMatchObject({ status: 422, body: { error: 'Validation failed: File file size must be less than 16 MB' } });
    expect(await media(accessToken, png, 'image/png', 'a.png', 'd'.repeat(1501))).toMatchObject({ status: 422, body: { error: expect.stringContaining('Description is too long') } });
    expect(await http('POST', `${mock.urls.mastodon}/api/v2/media`, { token: accessToken, body: { url: 'https://cdn.example/a.png', description: 'by URL' } })).toMatchObject({ status: 422, body: { error: "Validation failed: File can't be blank" } });
    const theirs = await media(other.accessToken, png, 'image/png', 'a.png');
    expect(await status(accessToken, 'not mine', [theirs.body.id])).toMatchObject({ status: 422, body: { error: `Media ${theirs.body.id} not found or already attached to another post` } });
    expect(await posts('mastodon', 'max', mock.urls.mastodon)).toEqual([]);
  });

  it("masto's v2.media.create waits out a video's processing (202, then 206, then 200) and the status attaches it", async () => {
    const { accessToken } = await mockToken(mock, 'mastodon', 'milo', mock.urls.mastodon);
    const result = await client('masto-media.mjs', mock.urls.mastodon, accessToken, saved('clip.mp4', clip));
    expect(result.media).toMatchObject({ type: 'video', url: expect.any(String), description: 'two seconds of test pattern', meta: { original: { width: 320, height: 240 } } });
    expect(result.status.media).toEqual([{ id: result.media.id, type: 'video' }]);
    expect((await posts('mastodon', 'milo', mock.urls.mastodon))[0].media).toEqual([
      { type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000, alt: 'two seconds of test pattern' },
    ]);
  });
});

describe('X: media upload v2, chunked video, alt text, media_ids', () => {
  const upload = (token: string, bytes: Buffer, category: string, type = 'image/png') =>
    multipart(`${mock.urls.x}/2/media/upload`, token, { media: { bytes, type, name: 'blob' }, media_category: category, media_type: type });
  const tweet = (token: string, text: string, ids: string[]) => http('POST', `${mock.urls.x}/2/tweets`, { token, body: { text, media: { media_ids: ids } } });
  const status = (token: string, id: string) => http('GET', `${mock.urls.x}/2/media/upload?media_id=${id}&command=STATUS`, { token });
  async function chunked(token: string, bytes: Buffer, segments: Buffer[] = [bytes.subarray(0, 8000), bytes.subarray(8000)]) {
    const init = await http('POST', `${mock.urls.x}/2/media/upload/initialize`, { token, body: { media_type: 'video/mp4', total_bytes: bytes.length, media_category: 'tweet_video' } });
    expect(init).toMatchObject({ status: 200, body: { data: { id: expect.any(String), media_key: `7_${init.body.data.id}`, expires_after_secs: 86400 } } });
    for (const [index, segment] of segments.entries()) {
      const appended = await multipart(`${mock.urls.x}/2/media/upload/${init.body.data.id}/append`, token, { media: { bytes: segment, type: 'application/octet-stream', name: 'blob' }, segment_index: String(index) });
      expect(appended.status).toBe(200);
    }
    return { id: init.body.data.id as string, finalized: await http('POST', `${mock.urls.x}/2/media/upload/${init.body.data.id}/finalize`, { token }) };
  }

  it('takes an image and a GIF in one shot, alt text by metadata, a video in chunks once processing succeeded', async () => {
    const { accessToken } = await mockToken(mock, 'x', 'xia');
    const picture = await upload(accessToken, png, 'tweet_image');
    expect(picture).toMatchObject({ status: 200, body: { data: { id: expect.any(String), media_key: `3_${picture.body.data.id}`, size: png.length, expires_after_secs: 86400, image: { image_type: 'image/png', w: 64, h: 48 } } } });
    const metadata = await http('POST', `${mock.urls.x}/2/media/metadata`, { token: accessToken, body: { id: picture.body.data.id, metadata: { alt_text: { text: 'a blue rectangle' } } } });
    expect(metadata.status).toBe(200);
    const second = await upload(accessToken, jpeg, 'tweet_image', 'image/jpeg');
    const animated = await upload(accessToken, gif, 'tweet_gif', 'image/gif');
    expect(animated).toMatchObject({ status: 200, body: { data: { media_key: `16_${animated.body.data.id}` } } });

    const video = await chunked(accessToken, clip);
    expect(video.finalized).toMatchObject({ status: 200, body: { data: { id: video.id, size: clip.length, processing_info: { state: 'pending', check_after_secs: 1 } } } });
    expect(await tweet(accessToken, 'too early', [video.id])).toMatchObject({ status: 400, body: { detail: 'Your media IDs are invalid.' } });
    expect((await status(accessToken, video.id)).body.data.processing_info).toMatchObject({ state: 'in_progress', check_after_secs: 1 });
    expect((await status(accessToken, video.id)).body.data.processing_info).toMatchObject({ state: 'succeeded', progress_percent: 100 });
    expect(await tweet(accessToken, 'a GIF beside an image', [animated.body.data.id, second.body.data.id])).toMatchObject({ status: 400, body: { detail: 'Your media IDs are invalid.' } });
    expect((await tweet(accessToken, 'two pictures', [picture.body.data.id, second.body.data.id])).status).toBe(201);
    expect((await tweet(accessToken, 'a video', [video.id])).status).toBe(201);
    expect((await posts('x', 'xia')).map((post: any) => post.media)).toEqual([
      [
        { type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'a blue rectangle' },
        { type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: '' },
      ],
      [{ type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000, alt: '' }],
    ]);
  });

  it('refuses by the bytes, over 5 MB, missing segments, a video over 140 s (processing fails), media of another user; keeps nothing', async () => {
    const { accessToken } = await mockToken(mock, 'x', 'xander');
    const other = await mockToken(mock, 'x', 'xo');
    expect(await upload(accessToken, jpeg, 'tweet_gif', 'image/gif')).toMatchObject({ status: 400, body: { title: 'Invalid Request', detail: expect.stringContaining('image/jpeg') } });
    expect(await upload(accessToken, Buffer.from('not an image'), 'tweet_image')).toMatchObject({ status: 400, body: { status: 400 } });
    expect(await upload(accessToken, padded(png, 5 * 1024 * 1024 + 1), 'tweet_image')).toMatchObject({ status: 400, body: { detail: 'File size exceeds 5242880 bytes.' } });
    expect(await http('POST', `${mock.urls.x}/2/media/upload`, { token: accessToken, body: { url: 'https://cdn.example/a.png' } })).toMatchObject({ status: 400, body: { detail: 'media is required' } });
    const gap = await chunked(accessToken, clip, [clip.subarray(0, 8000)]);
    expect(gap.finalized).toMatchObject({ status: 400, body: { detail: expect.stringContaining('File size mismatch') } });
    const overlong = await chunked(accessToken, long, [long]);
    expect(overlong.finalized.status).toBe(200);
    expect((await status(accessToken, overlong.id)).body.data.processing_info.state).toBe('in_progress');
    expect((await status(accessToken, overlong.id)).body.data.processing_info).toMatchObject({ state: 'failed', error: { name: 'InvalidMedia', message: expect.stringContaining('150') } });
    expect(await tweet(accessToken, 'two and a half minutes', [overlong.id])).toMatchObject({ status: 400, body: { detail: 'Your media IDs are invalid.' } });
    const theirs = await upload(other.accessToken, png, 'tweet_image');
    expect(await tweet(accessToken, 'not mine', [theirs.body.data.id])).toMatchObject({ status: 400, body: { detail: 'Your media IDs are invalid.' } });
    expect(await posts('x', 'xander')).toEqual([]);
  });

  it("xdk's media client: one-shot (base64 JSON), metadata, initialize/append/finalize and STATUS, then posts", async () => {
    const { accessToken } = await mockToken(mock, 'x', 'xdk_media');
    const result = await client('xdk-media.mjs', mock.urls.x, accessToken, saved('square.png', png), saved('clip.mp4', clip));
    expect(result.image).toMatchObject({ id: expect.any(String), mediaKey: `3_${result.image.id}`, size: png.length, image: { imageType: 'image/png', w: 64, h: 48 } });
    expect(result.finalized.processingInfo).toEqual({ state: 'pending', checkAfterSecs: 1 });
    expect(result.states).toEqual(['in_progress', 'succeeded']);
    expect(result.mixed).toMatchObject({ status: 400, detail: 'Your media IDs are invalid.' });
    expect((await posts('x', 'xdk_media')).map((post: any) => post.media)).toEqual([
      [{ type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000, alt: '' }],
      [{ type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'a blue square' }],
    ]);
  });
});

describe('LinkedIn: images and videos uploaded, then named by a post', () => {
  const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'linkedin-version': '202505', 'x-restli-protocol-version': '2.0.0' });
  const rest = (method: string, path: string, token: string, body?: unknown) => http(method, `${mock.urls.linkedin}${path}`, { headers: headers(token), ...(body !== undefined ? { body } : {}) });
  const post = (token: string, sub: string, content: unknown) =>
    rest('POST', '/rest/posts', token, { author: `urn:li:person:${sub}`, commentary: 'with media', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED', content });
  async function uploadImage(token: string, sub: string, bytes: Buffer) {
    const init = await rest('POST', '/rest/images?action=initializeUpload', token, { initializeUploadRequest: { owner: `urn:li:person:${sub}` } });
    expect(init).toMatchObject({ status: 200, body: { value: { uploadUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//), image: expect.stringMatching(/^urn:li:image:/), uploadUrlExpiresAt: expect.any(Number) } } });
    expect((await raw('PUT', init.body.value.uploadUrl, token, bytes, 'application/octet-stream')).status).toBe(201);
    return init.body.value.image as string;
  }
  const statusOf = async (token: string, urn: string) => (await rest('GET', `/rest/${urn.startsWith('urn:li:video') ? 'videos' : 'images'}/${encodeURIComponent(urn)}`, token)).body.status;

  it('an image: PROCESSING then AVAILABLE; two for multiImage; a video in 4 MiB parts, each answering its etag, finalized with them in order', async () => {
    const { accessToken, accountId: sub } = await mockToken(mock, 'linkedin', 'lena');
    const one = await uploadImage(accessToken, sub, png);
    expect([await statusOf(accessToken, one), await statusOf(accessToken, one)]).toEqual(['PROCESSING', 'AVAILABLE']);
    expect((await post(accessToken, sub, { media: { id: one, altText: 'a blue rectangle' } })).status).toBe(201);
    const [a, b] = [await uploadImage(accessToken, sub, jpeg), await uploadImage(accessToken, sub, gif)];
    await Promise.all([statusOf(accessToken, a), statusOf(accessToken, b)]);
    expect((await post(accessToken, sub, { multiImage: { images: [{ id: a, altText: 'a photo' }, { id: b }] } })).status).toBe(201);

    const big = paddedMp4(clip, 4_194_304 + 1000);
    const init = await rest('POST', '/rest/videos?action=initializeUpload', accessToken, { initializeUploadRequest: { owner: `urn:li:person:${sub}`, fileSizeBytes: big.length, uploadCaptions: false, uploadThumbnail: false } });
    const { video, uploadInstructions } = init.body.value;
    expect(uploadInstructions).toEqual([
      { uploadUrl: expect.any(String), firstByte: 0, lastByte: 4_194_303 },
      { uploadUrl: expect.any(String), firstByte: 4_194_304, lastByte: big.length - 1 },
    ]);
    expect((await raw('PUT', uploadInstructions[0].uploadUrl, accessToken, big.subarray(0, 100), 'application/octet-stream')).status).toBe(400);
    const etags: string[] = [];
    for (const part of uploadInstructions) {
      const put = await raw('PUT', part.uploadUrl, accessToken, big.subarray(part.firstByte, part.lastByte + 1), 'application/octet-stream');
      expect(put.status).toBe(200);
      etags.push(put.headers.get('etag')!);
    }
    expect(await statusOf(accessToken, video)).toBe('WAITING_UPLOAD');
    const finalize = (ids: string[]) => rest('POST', '/rest/videos?action=finalizeUpload', accessToken, { finalizeUploadRequest: { video, uploadToken: '', uploadedPartIds: ids } });
    expect((await finalize([...etags].reverse())).status).toBe(400);
    expect((await finalize(etags)).status).toBe(200);
    expect((await post(accessToken, sub, { media: { id: video } })).status).toBe(422);
    expect([await statusOf(accessToken, video), await statusOf(accessToken, video)]).toEqual(['PROCESSING', 'AVAILABLE']);
    expect((await post(accessToken, sub, { media: { id: video } })).status).toBe(201);
    expect((await posts('linkedin', 'lena')).map((item: any) => item.media)).toEqual([
      [{ type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'a blue rectangle' }],
      [
        { type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: 'a photo' },
        { type: 'image', mimeType: 'image/gif', size: gif.length, width: 32, height: 32, alt: '' },
      ],
      [{ type: 'video', mimeType: 'video/mp4', size: big.length, width: 320, height: 240, durationMs: 2000, alt: '' }],
    ]);
  });

  it("refuses an image not yet AVAILABLE, a WebP (PROCESSING_FAILED), another member's URN, one image as multiImage, another owner; keeps nothing", async () => {
    const { accessToken, accountId: sub } = await mockToken(mock, 'linkedin', 'leo');
    const other = await mockToken(mock, 'linkedin', 'liv');
    const early = await uploadImage(accessToken, sub, png);
    expect(await post(accessToken, sub, { media: { id: early } })).toMatchObject({ status: 422, body: { status: 422, message: expect.stringContaining('is not AVAILABLE') } });
    const wrong = await uploadImage(accessToken, sub, webp);
    expect([await statusOf(accessToken, wrong), await statusOf(accessToken, wrong)]).toEqual(['PROCESSING', 'PROCESSING_FAILED']);
    expect((await post(accessToken, sub, { media: { id: wrong } })).status).toBe(422);
    const theirs = await uploadImage(other.accessToken, other.accountId, png);
    await statusOf(other.accessToken, theirs);
    expect((await post(accessToken, sub, { media: { id: theirs } })).status).toBe(422);
    await statusOf(accessToken, early);
    expect((await post(accessToken, sub, { multiImage: { images: [{ id: early }] } })).status).toBe(422);
    expect((await post(accessToken, sub, { media: { id: early, altText: 'a'.repeat(4087) } })).status).toBe(422);
    expect((await rest('POST', '/rest/images?action=initializeUpload', accessToken, { initializeUploadRequest: { owner: `urn:li:person:${other.accountId}` } })).status).toBe(403);
    expect(await posts('linkedin', 'leo')).toEqual([]);
  });
});

describe('Threads: containers fetched from public URLs', () => {
  const threads = (token: string, fields: Record<string, string>) => formPost(`${mock.urls.threads}/v1.0/me/threads`, { ...fields, access_token: token });
  const publish = (token: string, id: string) => formPost(`${mock.urls.threads}/v1.0/me/threads_publish`, { creation_id: id, access_token: token });
  const statusOf = async (token: string, id: string) => (await http('GET', `${mock.urls.threads}/v1.0/${id}?fields=status,error_message&access_token=${token}`)).body.status;

  it('an image FINISHED at once; a video IN_PROGRESS on its first read and refused until FINISHED; a carousel of children', async () => {
    const { accessToken } = await mockToken(mock, 'threads', 'tess');
    const picture = await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/a.jpg'), alt_text: 'a blue photo', text: 'a photo' });
    expect(picture).toMatchObject({ status: 200, body: { id: expect.any(String) } });
    expect(await statusOf(accessToken, picture.body.id)).toBe('FINISHED');
    expect((await publish(accessToken, picture.body.id)).status).toBe(200);

    const video = await threads(accessToken, { media_type: 'VIDEO', video_url: files.url('/clip.mp4'), text: 'a video' });
    expect(await publish(accessToken, video.body.id)).toMatchObject({ status: 400, body: { error: { code: 9007, error_subcode: 2207027 } } });
    expect([await statusOf(accessToken, video.body.id), await statusOf(accessToken, video.body.id)]).toEqual(['IN_PROGRESS', 'FINISHED']);
    expect((await publish(accessToken, video.body.id)).status).toBe(200);
    expect(await statusOf(accessToken, video.body.id)).toBe('PUBLISHED');

    const children = [
      await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/p.png'), is_carousel_item: 'true', alt_text: 'first' }),
      await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/a.jpg'), is_carousel_item: 'true' }),
    ];
    expect((await publish(accessToken, children[0]!.body.id)).status).toBe(400);
    const carousel = await threads(accessToken, { media_type: 'CAROUSEL', children: children.map((child) => child.body.id).join(','), text: 'two' });
    expect((await publish(accessToken, carousel.body.id)).status).toBe(200);
    expect((await posts('threads', 'tess')).map((post: any) => post.media)).toEqual([
      [{ type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: 'a blue photo' }],
      [{ type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000, alt: '' }],
      [
        { type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'first' },
        { type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: '' },
      ],
    ]);
  });

  it('refuses a URL answering 403, a WebP, no image at all, a carousel of one or of non-items; keeps nothing', async () => {
    const { accessToken } = await mockToken(mock, 'threads', 'theo');
    expect(await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/forbidden.jpg'), text: 'x' })).toMatchObject({ status: 400, body: { error: { type: 'OAuthException', code: 9004, error_subcode: 2207052 } } });
    expect(await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/w.webp'), text: 'x' })).toMatchObject({ status: 400, body: { error: { code: 9004, error_subcode: 2207052 } } });
    expect(await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/page.jpg'), text: 'x' })).toMatchObject({ status: 400, body: { error: { code: 9004 } } });
    expect(await threads(accessToken, { media_type: 'VIDEO', video_url: files.url('/a.jpg'), text: 'x' })).toMatchObject({ status: 400, body: { error: { code: 352 } } });
    const single = await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/a.jpg') });
    expect(await threads(accessToken, { media_type: 'CAROUSEL', children: single.body.id })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    const item = await threads(accessToken, { media_type: 'IMAGE', image_url: files.url('/a.jpg'), is_carousel_item: 'true' });
    expect(await threads(accessToken, { media_type: 'CAROUSEL', children: `${single.body.id},${item.body.id}` })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await posts('threads', 'theo')).toEqual([]);
  });
});

describe('Instagram: JPEG images within 4:5–1.91:1, reels of 3 s to 15 min, carousels', () => {
  const media = (token: string, fields: Record<string, string>) => formPost(`${mock.urls.instagram}/v21.0/me/media`, { ...fields, access_token: token });
  const publish = (token: string, id: string) => formPost(`${mock.urls.instagram}/v21.0/me/media_publish`, { creation_id: id, access_token: token });
  const statusOf = async (token: string, id: string) => (await http('GET', `${mock.urls.instagram}/v21.0/${id}?fields=status_code,status&access_token=${token}`)).body.status_code;

  it('publishes a JPEG, a reel once FINISHED, and a carousel of an image and a video', async () => {
    const { accessToken } = await mockToken(mock, 'instagram', 'iris');
    const photo = await media(accessToken, { image_url: files.url('/a.jpg'), caption: 'a photo', alt_text: 'a blue square' });
    expect((await publish(accessToken, photo.body.id)).status).toBe(200);
    const reel = await media(accessToken, { media_type: 'REELS', video_url: files.url('/long.mp4'), caption: 'a reel' });
    expect(await publish(accessToken, reel.body.id)).toMatchObject({ status: 400, body: { error: { code: 9007, error_subcode: 2207027 } } });
    expect([await statusOf(accessToken, reel.body.id), await statusOf(accessToken, reel.body.id)]).toEqual(['IN_PROGRESS', 'FINISHED']);
    expect((await publish(accessToken, reel.body.id)).status).toBe(200);
    const children = [
      await media(accessToken, { image_url: files.url('/a.jpg'), is_carousel_item: 'true', alt_text: 'one' }),
      await media(accessToken, { media_type: 'VIDEO', video_url: files.url('/long.mp4'), is_carousel_item: 'true' }),
    ];
    const carousel = await media(accessToken, { media_type: 'CAROUSEL', children: children.map((child) => child.body.id).join(','), caption: 'both' });
    expect([await statusOf(accessToken, carousel.body.id), await statusOf(accessToken, carousel.body.id)]).toEqual(['IN_PROGRESS', 'FINISHED']);
    expect((await publish(accessToken, carousel.body.id)).status).toBe(200);
    const longVideo = { type: 'video', mimeType: 'video/mp4', size: long.length, width: 64, height: 64, durationMs: 150_000, alt: '' };
    expect((await posts('instagram', 'iris')).map((post: any) => post.media)).toEqual([
      [{ type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: 'a blue square' }],
      [longVideo],
      [{ type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: 'one' }, longVideo],
    ]);
  });

  it('refuses a PNG under a .jpg name, a ratio outside 4:5–1.91:1, over 8 MB, a 403, a 2 s reel, VIDEO alone, no media; keeps nothing', async () => {
    const { accessToken } = await mockToken(mock, 'instagram', 'ike');
    expect(await media(accessToken, { image_url: files.url('/png-as.jpg'), caption: 'x' })).toMatchObject({
      status: 400,
      body: { error: { message: 'Only photo or video can be accepted as media type.', type: 'OAuthException', code: 9004, error_subcode: 2207052, fbtrace_id: expect.any(String) } },
    });
    for (const ratio of ['/wide.jpg', '/tall.jpg']) {
      expect(await media(accessToken, { image_url: files.url(ratio), caption: 'x' })).toMatchObject({ status: 400, body: { error: { message: 'The aspect ratio is not supported.', code: 36003, error_subcode: 2207009 } } });
    }
    expect(await media(accessToken, { image_url: files.url('/big.jpg'), caption: 'x' })).toMatchObject({ status: 400, body: { error: { code: 36000, error_subcode: 2207004 } } });
    expect(await media(accessToken, { image_url: files.url('/forbidden.jpg'), caption: 'x' })).toMatchObject({ status: 400, body: { error: { code: 9004, error_subcode: 2207052 } } });
    expect(await media(accessToken, { media_type: 'REELS', video_url: files.url('/clip.mp4'), caption: 'x' })).toMatchObject({ status: 400, body: { error: { code: 352, error_subcode: 2207026 } } });
    expect(await media(accessToken, { media_type: 'VIDEO', video_url: files.url('/long.mp4'), caption: 'x' })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await media(accessToken, { caption: 'nothing to show' })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await posts('instagram', 'ike')).toEqual([]);
  });
});

describe('Facebook: photos and videos by URL, unpublished photos attached to a feed post', () => {
  it('a photo with its message; two unpublished photos attached once; a video by file_url; refusals keep nothing', async () => {
    const { pageAccessToken: token, accountId: page } = (await mockToken(mock, 'facebook', 'fern')) as unknown as { pageAccessToken: string; accountId: string };
    const call = (edge: string, fields: Record<string, string>) => formPost(`${mock.urls.facebook}/v25.0/${page}/${edge}`, { ...fields, access_token: token });
    const single = await call('photos', { url: files.url('/a.jpg'), message: 'one photo', alt_text_custom: 'a blue square' });
    expect(single).toMatchObject({ status: 200, body: { id: expect.any(String), post_id: expect.stringMatching(new RegExp(`^${page}_`)) } });
    const first = await call('photos', { url: files.url('/p.png'), published: 'false', alt_text_custom: 'first' });
    const second = await call('photos', { url: files.url('/w.webp'), published: 'false' });
    const attached = JSON.stringify([{ media_fbid: first.body.id }, { media_fbid: second.body.id }]);
    expect(await call('feed', { message: 'two photos', attached_media: attached })).toMatchObject({ status: 200, body: { id: expect.stringMatching(new RegExp(`^${page}_`)) } });
    expect(await call('feed', { message: 'again', attached_media: JSON.stringify([{ media_fbid: first.body.id }]) })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await call('feed', { message: 'not a photo id', attached_media: JSON.stringify([{ media_fbid: '12345' }]) })).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await call('videos', { file_url: files.url('/clip.mp4'), description: 'a video' })).toMatchObject({ status: 200, body: { id: expect.any(String) } });
    expect(await call('photos', { url: files.url('/forbidden.jpg'), message: 'x' })).toMatchObject({ status: 400, body: { error: { code: 324 } } });
    expect(await call('photos', { url: files.url('/page.jpg'), message: 'x' })).toMatchObject({ status: 400, body: { error: { code: 324 } } });
    expect(await call('videos', { file_url: files.url('/a.jpg'), description: 'x' })).toMatchObject({ status: 400, body: { error: { code: 352 } } });
    expect(await call('videos', { file_url: files.url('/forbidden.jpg'), description: 'x' })).toMatchObject({ status: 400, body: { error: { code: 389 } } });
    expect((await posts('facebook', 'fern')).map((post: any) => [post.text, post.media])).toEqual([
      ['one photo', [{ type: 'image', mimeType: 'image/jpeg', size: jpeg.length, width: 1080, height: 1080, alt: 'a blue square' }]],
      [
        'two photos',
        [
          { type: 'image', mimeType: 'image/png', size: png.length, width: 64, height: 48, alt: 'first' },
          { type: 'image', mimeType: 'image/webp', size: webp.length, width: 40, height: 30, alt: '' },
        ],
      ],
      ['a video', [{ type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000, alt: '' }]],
    ]);
  });
});
