/**
 * The media sweep, against real Postgres and the folder store, with short
 * settings: deleted media are purged (row and every file), media nothing
 * used for MEDIA_RETENTION are expired then purged while media a post may
 * still send are kept however old, a file shared by two workspaces (or by
 * two media) stays until its last user goes, and bytes uploaded again after
 * their purge come back as a new media.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { http, waitFor } from './support/http';
import { image, upload } from './support/media-files';
import { InProcessStack } from './support/in-process';

const SWEEP_MS = 500;
const RETENTION_MS = 3000;

/** The media row's files (original, thumbnail, derived versions) as paths in the stack's MEDIA_DIR. */
async function filesOf(stack: InProcessStack, id: string): Promise<string[]> {
  const { rows } = await stack.db.query<{ storage_key: string; thumbnail: { key: string } | null; derivatives: Record<string, { key: string }> }>(
    'SELECT storage_key, thumbnail, derivatives FROM media WHERE id = $1',
    [id],
  );
  if (rows.length === 0) throw new Error(`no media row ${id}`);
  const row = rows[0]!;
  return [row.storage_key, ...(row.thumbnail ? [row.thumbnail.key] : []), ...Object.values(row.derivatives).map((file) => file.key)].map((key) => join(stack.env.MEDIA_DIR!, key));
}

async function rowOf(stack: InProcessStack, id: string): Promise<{ deleted_at: Date | null } | undefined> {
  return (await stack.db.query<{ deleted_at: Date | null }>('SELECT deleted_at FROM media WHERE id = $1', [id])).rows[0];
}

/** Resolves once the media's row is gone (purged), answering when that was seen. */
async function purged(stack: InProcessStack, id: string, timeoutMs = 10_000): Promise<number> {
  return waitFor(`media ${id} to be purged`, async () => ((await rowOf(stack, id)) === undefined ? Date.now() : undefined), { timeoutMs, intervalMs: 100 });
}

function fileGet(stack: InProcessStack, apiKey: string, path: string): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
}

describe('the media sweep: deleted media', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    // Retention far away: whatever goes here goes because it was deleted, not expired.
    stack = await InProcessStack.start({ env: { MEDIA_RETENTION: '1h', MEDIA_SWEEP_INTERVAL: `${SWEEP_MS}ms` } });
    ({ apiKey } = await stack.workspace('sweep'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown, key = apiKey) => http(method, `${stack.apiUrl}${path}`, { token: key, body });

  it('purges deleted media: the row, the original, its thumbnail and the version derived for a network', async () => {
    const bluesky = await stack.channel(apiKey, { network: 'bluesky', handle: `sweep-${Date.now().toString(36)}.bsky.social` });
    // Wider than Bluesky's 2000 px: scheduling makes a resized version.
    const uploaded = await upload(stack.apiUrl, apiKey, await image('png', 2400, 300), 'wide.png', 'image/png');
    expect(uploaded.status).toBe(201);
    const draft = await api('POST', '/v1/posts', { text: 'wide', channelIds: [bluesky.id], media: [{ mediaId: uploaded.body.id }], schedule: { mode: 'draft' } });
    expect(draft.status).toBe(201);
    const paths = await filesOf(stack, uploaded.body.id);
    expect(paths).toHaveLength(3);
    for (const path of paths) expect(existsSync(path)).toBe(true);

    expect((await api('DELETE', `/v1/posts/${draft.body.id}`)).status).toBeLessThan(300);
    expect((await api('DELETE', `/v1/media/${uploaded.body.id}`)).status).toBe(204);
    await purged(stack, uploaded.body.id);
    for (const path of paths) expect(existsSync(path)).toBe(false);
  });

  it('keeps a file two workspaces have until the second deletes its media too', async () => {
    const other = await stack.workspace('sweep-other');
    const bytes = await image('jpeg', 300, 200);
    const mine = await upload(stack.apiUrl, apiKey, bytes, 'mine.jpg', 'image/jpeg');
    const theirs = await upload(stack.apiUrl, other.apiKey, bytes, 'theirs.jpg', 'image/jpeg');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    const paths = await filesOf(stack, theirs.body.id);
    expect(await filesOf(stack, mine.body.id)).toEqual(paths);

    expect((await api('DELETE', `/v1/media/${mine.body.id}`)).status).toBe(204);
    await purged(stack, mine.body.id);
    for (const path of paths) expect(existsSync(path)).toBe(true);
    const file = await fileGet(stack, other.apiKey, `/v1/media/${theirs.body.id}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fileGet(stack, other.apiKey, `/v1/media/${theirs.body.id}/thumbnail`)).status).toBe(200);

    expect((await api('DELETE', `/v1/media/${theirs.body.id}`, undefined, other.apiKey)).status).toBe(204);
    await purged(stack, theirs.body.id);
    for (const path of paths) expect(existsSync(path)).toBe(false);
  });

  it('keeps a thumbnail two media share (the same picture in two encodings) until both are gone', async () => {
    const pixels = await sharp(await image('png', 320, 240)).raw().toBuffer();
    const encode = (level: number) => sharp(pixels, { raw: { width: 320, height: 240, channels: 3 } }).png({ compressionLevel: level }).toBuffer();
    const [fast, small] = await Promise.all([encode(1), encode(9)]);
    expect(fast.equals(small)).toBe(false);
    const first = await upload(stack.apiUrl, apiKey, fast, 'fast.png', 'image/png');
    const second = await upload(stack.apiUrl, apiKey, small, 'small.png', 'image/png');
    expect([first.status, second.status]).toEqual([201, 201]);
    const [firstOriginal, thumbnail] = await filesOf(stack, first.body.id);
    const [secondOriginal, secondThumbnail] = await filesOf(stack, second.body.id);
    // Two files of their own, one thumbnail (made from the same pixels).
    expect(firstOriginal).not.toBe(secondOriginal);
    expect(secondThumbnail).toBe(thumbnail);

    expect((await api('DELETE', `/v1/media/${first.body.id}`)).status).toBe(204);
    await purged(stack, first.body.id);
    expect(existsSync(firstOriginal!)).toBe(false);
    expect(existsSync(thumbnail!)).toBe(true);
    expect((await fileGet(stack, apiKey, `/v1/media/${second.body.id}/thumbnail`)).status).toBe(200);

    expect((await api('DELETE', `/v1/media/${second.body.id}`)).status).toBe(204);
    await purged(stack, second.body.id);
    expect(existsSync(secondOriginal!)).toBe(false);
    expect(existsSync(thumbnail!)).toBe(false);
  });

  it('takes bytes again after their media was purged: a new row, and the file back', async () => {
    const bytes = await image('webp', 200, 200);
    const first = await upload(stack.apiUrl, apiKey, bytes, 'again.webp', 'image/webp');
    expect(first.status).toBe(201);
    const paths = await filesOf(stack, first.body.id);
    expect((await api('DELETE', `/v1/media/${first.body.id}`)).status).toBe(204);
    await purged(stack, first.body.id);
    for (const path of paths) expect(existsSync(path)).toBe(false);

    const again = await upload(stack.apiUrl, apiKey, bytes, 'again.webp', 'image/webp');
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(await filesOf(stack, again.body.id)).toEqual(paths);
    for (const path of paths) expect(existsSync(path)).toBe(true);
    const file = await fileGet(stack, apiKey, `/v1/media/${again.body.id}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fileGet(stack, apiKey, `/v1/media/${again.body.id}/thumbnail`)).status).toBe(200);
  });
});

describe('the media sweep: unused media', () => {
  let stack: InProcessStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await InProcessStack.start({ env: { MEDIA_RETENTION: `${RETENTION_MS}ms`, MEDIA_SWEEP_INTERVAL: `${SWEEP_MS}ms` } });
    ({ apiKey } = await stack.workspace('expiry'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => http(method, `${stack.apiUrl}${path}`, { token: apiKey, body });
  /** Makes media look unused for a day (made and last used then). */
  const age = (ids: string[]) => stack.db.query(`UPDATE media SET created_at = now() - interval '1 day', last_used_at = now() - interval '1 day' WHERE id = ANY($1::uuid[])`, [ids]);

  it('expires then purges media nothing used for MEDIA_RETENTION, files and all, and not before', async () => {
    const uploaded = await upload(stack.apiUrl, apiKey, await image('png', 120, 90), 'unused.png', 'image/png');
    expect(uploaded.status).toBe(201);
    const madeAt = new Date(uploaded.body.createdAt).getTime();
    const paths = await filesOf(stack, uploaded.body.id);
    expect(paths).toHaveLength(2);
    for (const path of paths) expect(existsSync(path)).toBe(true);
    expect(await rowOf(stack, uploaded.body.id)).toEqual({ deleted_at: null });

    const goneAt = await purged(stack, uploaded.body.id, RETENTION_MS + 10_000);
    expect(goneAt - madeAt).toBeGreaterThanOrEqual(RETENTION_MS);
    for (const path of paths) expect(existsSync(path)).toBe(false);
  });

  it('never expires media a scheduled post or a draft may still send, however old; once published or cancelled, they go', async () => {
    const channel = await stack.channel(apiKey, { network: 'mastodon', handle: `sweep_${Date.now().toString(36)}@example.social` });
    const [scheduledMedia, draftMedia, sentinel] = await Promise.all(
      [image('png', 100, 80), image('jpeg', 110, 80), image('webp', 120, 80)].map(async (made, index) => {
        const type = ['png', 'jpeg', 'webp'][index]!;
        const answer = await upload(stack.apiUrl, apiKey, await made, `kept.${type}`, `image/${type}`);
        expect(answer.status).toBe(201);
        return answer.body.id as string;
      }),
    );
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await api('POST', '/v1/posts', { text: 'later', channelIds: [channel.id], media: [{ mediaId: scheduledMedia }], schedule: { mode: 'at', at: inAnHour } });
    const draft = await api('POST', '/v1/posts', { text: 'maybe', channelIds: [channel.id], media: [{ mediaId: draftMedia }], schedule: { mode: 'draft' } });
    expect([scheduled.status, draft.status]).toEqual([201, 201]);
    const keptFiles = [...(await filesOf(stack, scheduledMedia!)), ...(await filesOf(stack, draftMedia!))];

    // All three a day old: the unused one goes at the next sweep, and that sweep keeps the two a post names.
    await age([scheduledMedia!, draftMedia!, sentinel!]);
    await purged(stack, sentinel!);
    expect(await rowOf(stack, scheduledMedia!)).toEqual({ deleted_at: null });
    expect(await rowOf(stack, draftMedia!)).toEqual({ deleted_at: null });
    for (const path of keptFiles) expect(existsSync(path)).toBe(true);

    // The draft cancelled: its (old) media goes at once.
    expect((await api('DELETE', `/v1/posts/${draft.body.id}`)).status).toBeLessThan(300);
    await purged(stack, draftMedia!);
    expect(await rowOf(stack, scheduledMedia!)).toEqual({ deleted_at: null });

    // The scheduled post published now: its media was used by the publish, and goes a retention later.
    expect((await api('PATCH', `/v1/posts/${scheduled.body.id}`, { schedule: { mode: 'now' } })).status).toBe(200);
    await waitFor('the post to be published', async () => (await api('GET', `/v1/posts/${scheduled.body.id}`)).body.status === 'published');
    const publishedAt = Date.now();
    const used = (await stack.db.query<{ last_used_at: Date }>('SELECT last_used_at FROM media WHERE id = $1', [scheduledMedia])).rows[0]!.last_used_at;
    expect(Date.now() - used.getTime()).toBeLessThan(RETENTION_MS);
    const goneAt = await purged(stack, scheduledMedia!, RETENTION_MS + 10_000);
    expect(goneAt - used.getTime()).toBeGreaterThanOrEqual(RETENTION_MS);
    expect(goneAt).toBeGreaterThan(publishedAt);
    for (const path of keptFiles) expect(existsSync(path)).toBe(false);
  });
});
