/**
 * The media library over HTTP, against real Postgres and the folder store:
 * uploads of each type Herald takes (measured from their bytes), imports by
 * URL under the URL policy, refusals that store nothing, one file for the
 * same bytes, removal refused while a post may still send the file, the
 * signed public links, and a post that names media by id or by URL.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { http } from './support/http';
import { CLIP_MP4, FileServer, image, startFileServer, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';
import { mediaConfig } from '@herald/media';

/** Every file under the stack's media folder. */
async function storedFiles(stack: InProcessStack): Promise<string[]> {
  const walk = async (dir: string): Promise<string[]> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const found: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) found.push(...(await walk(join(dir, entry.name))));
      else found.push(join(dir, entry.name));
    }
    return found;
  };
  return walk(stack.env.MEDIA_DIR!);
}

describe('the media library', () => {
  let stack: InProcessStack;
  let apiKey: string;
  let files: FileServer;

  beforeAll(async () => {
    files = await startFileServer();
    // 127.0.0.2 (the test's file server) is allowed; 127.0.0.1 (Herald's own host) stays refused.
    stack = await InProcessStack.start({ env: { HERALD_URL_ALLOWLIST: '127.0.0.2', MEDIA_MAX_IMAGE_MB: '2', MEDIA_MAX_VIDEO_MB: '3' } });
    ({ apiKey } = await stack.workspace('media'));
  });

  afterAll(async () => {
    await stack?.stop();
    await files?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  const mediaRows = async () => Number((await stack.db.query('SELECT count(*) FROM media')).rows[0].count);

  it('takes PNG, JPEG, GIF, WebP and MP4 files, measured from their bytes', async () => {
    const cases = [
      { bytes: await image('png', 300, 200), name: 'a.png', type: 'image/png', kind: 'image', width: 300, height: 200 },
      { bytes: await image('jpeg', 320, 240), name: 'b.jpg', type: 'image/jpeg', kind: 'image', width: 320, height: 240 },
      { bytes: await image('gif', 64, 48), name: 'c.gif', type: 'image/gif', kind: 'image', width: 64, height: 48 },
      { bytes: await image('webp', 200, 400), name: 'd.webp', type: 'image/webp', kind: 'image', width: 200, height: 400 },
      { bytes: CLIP_MP4, name: 'e.mp4', type: 'video/mp4', kind: 'video', width: 320, height: 240 },
    ];
    for (const item of cases) {
      const answer = await upload(stack.apiUrl, apiKey, item.bytes, item.name, item.type);
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/v1/media/${answer.body.id}`);
      expect(answer.body).toMatchObject({ type: item.kind, mimeType: item.type, size: item.bytes.length, width: item.width, height: item.height, filename: item.name });
      if (item.kind === 'video') {
        expect(answer.body.durationMs).toBe(2000);
        expect(answer.body.thumbnailUrl).toBeNull();
      } else {
        expect(answer.body.durationMs).toBeNull();
        const thumbnail = await fetch(`${stack.apiUrl}${answer.body.thumbnailUrl}`, { headers: { authorization: `Bearer ${apiKey}` } });
        expect(thumbnail.status).toBe(200);
        expect(thumbnail.headers.get('content-type')).toBe('image/webp');
      }
      // The bytes come back as they went in.
      const original = await fetch(`${stack.apiUrl}${answer.body.fileUrl}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(Buffer.from(await original.arrayBuffer()).equals(item.bytes)).toBe(true);
      // What each network makes of it.
      const one = await api('GET', `/v1/media/${answer.body.id}`);
      expect(one.body.networks.x.accepted).toBe(true);
      expect(one.body.networks.bluesky.accepted).toBe(item.kind === 'image');
    }
    const listed = await api('GET', '/v1/media?limit=2');
    expect(listed.body.data).toHaveLength(2);
    const rest = await api('GET', `/v1/media?limit=10&cursor=${listed.body.nextCursor}`);
    expect(rest.body.data.length).toBeGreaterThanOrEqual(3);
    expect(new Set([...listed.body.data, ...rest.body.data].map((item: { id: string }) => item.id)).size).toBe(listed.body.data.length + rest.body.data.length);
  });

  it('keeps the same bytes once: a second upload answers the same media, and no second file is written', async () => {
    const bytes = await image('png', 123, 45);
    const first = await upload(stack.apiUrl, apiKey, bytes, 'same.png', 'image/png');
    const before = await storedFiles(stack);
    const second = await upload(stack.apiUrl, apiKey, bytes, 'again.png', 'image/png');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(await storedFiles(stack)).toEqual(before);
    // Another workspace with the same bytes has its own media, on the same stored file.
    const other = await stack.workspace('media-other');
    const theirs = await upload(stack.apiUrl, other.apiKey, bytes, 'theirs.png', 'image/png');
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(await storedFiles(stack)).toEqual(before);
    // And neither sees the other's.
    expect((await http('GET', `${stack.apiUrl}/v1/media/${first.body.id}`, { token: other.apiKey })).status).toBe(404);
  });

  it('refuses what it does not take with a problem naming why, and stores nothing', async () => {
    const rows = await mediaRows();
    const stored = await storedFiles(stack);
    const jpeg = await image('jpeg', 100, 100);
    const refusals = [
      { answer: await upload(stack.apiUrl, apiKey, jpeg, 'photo.png', 'image/png'), status: 422, detail: /named as image\/png but its bytes are image\/jpeg/ },
      { answer: await upload(stack.apiUrl, apiKey, Buffer.from('<html><script>alert(1)</script></html>'), 'page.png', 'image/png'), status: 415, detail: /not an image or video/ },
      { answer: await upload(stack.apiUrl, apiKey, Buffer.alloc(3 * 1024 * 1024, 7), 'big.bin', 'application/octet-stream'), status: 415, detail: /not an image or video/ },
      { answer: await upload(stack.apiUrl, apiKey, Buffer.concat([await image('png', 2000, 2000), Buffer.alloc(3 * 1024 * 1024)]), 'huge.png', 'image/png'), status: 413, detail: /2 MB/ },
      { answer: await upload(stack.apiUrl, apiKey, jpeg, 'a.jpg', 'image/jpeg', 'photo'), status: 400, detail: /part named "file"/ },
      { answer: await upload(stack.apiUrl, apiKey, Buffer.from(jpeg.subarray(0, 400)), 'cut.jpg', 'image/jpeg'), status: 422, detail: /cannot be read/ },
    ];
    for (const { answer, status, detail } of refusals) {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body.detail).toMatch(detail);
    }
    expect((await http('POST', `${stack.apiUrl}/v1/media`, { token: apiKey, rawBody: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await api('POST', '/v1/media', {})).status).toBe(400);
    expect((await api('POST', '/v1/media', { url: 'https://example.com/a.png', extra: 1 })).status).toBe(400);
    expect(await mediaRows()).toBe(rows);
    expect(await storedFiles(stack)).toEqual(stored);
  });

  it('imports a URL under the URL policy: redirects and the address a name resolves to are checked too', async () => {
    const png = await image('png', 50, 60);
    files.put('/ok.png', png, 'image/png');
    files.redirect('/hop', `${files.url}/ok.png`);
    files.redirect('/inside', `${stack.apiUrl}/health/live`);
    files.put('/lies.jpg', Buffer.from('not an image at all'), 'image/jpeg');

    const imported = await api('POST', '/v1/media', { url: `${files.url}/hop` });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ mimeType: 'image/png', width: 50, height: 60, sourceUrl: `${files.url}/hop` });

    const rows = await mediaRows();
    const refused = [
      { url: 'http://127.0.0.1:9/x.png', detail: /private or loopback/ },
      { url: 'http://[::1]/x.png', detail: /private or loopback/ },
      { url: 'http://localhost/x.png', detail: /internal host name/ },
      { url: `${files.url}/inside`, detail: /redirects to .* private or loopback/ },
      { url: `${files.url}/missing.png`, detail: /HTTP 404/ },
      { url: `${files.url}/lies.jpg`, detail: /not an image or video/ },
      { url: 'ftp://example.com/a.png', detail: /http\(s\)/ },
    ];
    for (const { url, detail } of refused) {
      const answer = await api('POST', '/v1/media', { url });
      expect([415, 422]).toContain(answer.status);
      expect(answer.body.detail).toMatch(detail);
    }
    expect(await mediaRows()).toBe(rows);
  });

  it('serves a file at a signed link until it expires, and nothing else', async () => {
    const media = await upload(stack.apiUrl, apiKey, await image('jpeg', 80, 80), 'signed.jpg', 'image/jpeg');
    const sha256 = (await stack.db.query('SELECT sha256 FROM media WHERE id = $1', [media.body.id])).rows[0].sha256;
    const { SignedLinks } = await import('../libs/media/src/signed-links');
    const { loadConfig } = await import('../libs/config/src/herald-config');
    const config = loadConfig({ ...stack.env, NODE_ENV: 'test' });
    const links = new SignedLinks(stack.apiUrl, mediaConfig(config).linkKey, 60_000);
    const link = links.link(media.body.id, `${sha256}.jpg`);
    const served = await fetch(link);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const range = await fetch(link, { headers: { range: 'bytes=0-1' } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8]));

    const tampered = link.replace(/signature=./, (match) => `signature=${match.endsWith('0') ? '1' : '0'}`);
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(link.replace(/expires=\d+/, 'expires=99999999999'))).status).toBe(403);
    const expired = links.link(media.body.id, `${sha256}.jpg`, Date.now() - 120_000);
    expect((await fetch(expired)).status).toBe(403);
    // Signed for this file only: another name under the same signature is refused.
    expect((await fetch(link.replace(`${sha256}.jpg`, `${sha256}.png`))).status).toBe(403);
    expect((await fetch(`${stack.apiUrl}/public/media/${media.body.id}/`)).status).toBe(404);
    expect((await fetch(`${stack.apiUrl}/public/media`)).status).toBe(404);
  });

  it('lets a post name media by id or by URL (imported at once), and refuses removing media a post will still send', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `media_${Date.now().toString(36)}@example.social` });
    const uploaded = await upload(stack.apiUrl, apiKey, await image('png', 400, 300), 'post.png', 'image/png');
    files.put('/post-url.png', await image('png', 90, 90), 'image/png');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const post = await api('POST', '/v1/posts', {
      text: 'With pictures',
      channelIds: [channel.id],
      media: [
        { mediaId: uploaded.body.id, alt: 'A chart' },
        { url: `${files.url}/post-url.png`, alt: 'A square' },
      ],
      schedule: { mode: 'at', at },
    });
    expect(post.status).toBe(201);
    expect(post.body.media).toEqual([
      { mediaId: uploaded.body.id, alt: 'A chart' },
      { mediaId: expect.any(String), alt: 'A square' },
    ]);
    // The URL no longer matters: the file is in the library.
    files.remove('/post-url.png');
    const imported = await api('GET', `/v1/media/${post.body.media[1].mediaId}`);
    expect(imported.body).toMatchObject({ width: 90, height: 90, sourceUrl: `${files.url}/post-url.png` });

    const refused = await api('DELETE', `/v1/media/${uploaded.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(post.body.id);
    expect((await api('DELETE', `/v1/posts/${post.body.id}`)).status).toBeLessThan(300);
    expect((await api('DELETE', `/v1/media/${uploaded.body.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/media/${uploaded.body.id}`)).status).toBe(404);
    expect((await api('DELETE', `/v1/media/${uploaded.body.id}`)).status).toBe(404);

    const unknown = await api('POST', '/v1/posts', { text: 'x', channelIds: [channel.id], media: [{ mediaId: '00000000-0000-4000-8000-000000000000' }], schedule: { mode: 'at', at } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: 'media[0].mediaId', message: expect.stringMatching(/not a media of this workspace/) }]);
    const both = await api('POST', '/v1/posts', { text: 'x', channelIds: [channel.id], media: [{ mediaId: uploaded.body.id, url: `${files.url}/a.png` }], schedule: { mode: 'at', at } });
    expect(both.status).toBe(400);
    const badUrl = await api('POST', '/v1/posts', { text: 'x', channelIds: [channel.id], media: [{ url: `${files.url}/nothing.png` }], schedule: { mode: 'at', at } });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.errors[0].path).toBe('media[0].url');
  });

  it('checks each channel against its network at schedule time, naming the channel, the item and the limit', async () => {
    const suffix = Date.now().toString(36);
    const instagram = await stack.channel(apiKey, { network: 'instagram', handle: `ig_${suffix}` });
    const x = await stack.channel(apiKey, { network: 'x', handle: `x_${suffix}` });
    const tall = await upload(stack.apiUrl, apiKey, await image('jpeg', 400, 1000), 'tall.jpg', 'image/jpeg');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const refused = await api('POST', '/v1/posts', { text: 'Tall', channelIds: [instagram.id, x.id], media: [{ mediaId: tall.body.id }], schedule: { mode: 'at', at } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain(`channel ${instagram.id} (instagram ig_${suffix})`);
    expect(refused.body.detail).toMatch(/media\[0\] \(image\/jpeg, 400×1000.*aspect ratio of 0\.40:1; Instagram takes images from 4:5 to 1\.91:1/);
    expect(refused.body.detail).not.toContain(`channel ${x.id}`);

    const clip = await upload(stack.apiUrl, apiKey, CLIP_MP4, 'clip.mp4', 'video/mp4');
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `m-${suffix}.bsky.social` });
    const video = await api('POST', '/v1/posts', { text: 'Clip', channelIds: [bluesky.id], media: [{ mediaId: clip.body.id }], schedule: { mode: 'at', at } });
    expect(video.status).toBe(422);
    expect(video.body.detail).toMatch(/Bluesky/);
  });
});
