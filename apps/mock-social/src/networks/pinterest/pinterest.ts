/**
 * Pinterest's API v5 at its own origin: the account (`/v5/user_account`),
 * its boards (two per account, `/v5/boards`), pins created on a board the
 * account owns (`POST /v5/pins`, 201 with the pin) from an image in
 * `media_source` (base64, or a URL the mock fetches), a board's pins newest
 * first with a `bookmark` cursor, one pin by id, deleting one's own pin
 * (`DELETE /v5/pins/{id}`, 204). Video pins as Pinterest makes them: a
 * video registered (`POST /v5/media`, answering an upload URL and the
 * signed form fields it must be sent with, as a storage bucket's POST
 * policy), its file sent there (204; a field missing or not the one handed
 * out is the bucket's 403), its status (`GET /v5/media/{id}`: `registered`,
 * `processing` once, then `succeeded`, or `failed` for a file that is not a
 * video Pinterest takes), and a pin made from it (`video_id`, refused until
 * it succeeded). Its own rules: title 100, description 800, alt text 500,
 * link 2,048 characters and an http(s) URL; a board the account owns; an
 * image of a type it takes, at most 20 MB; a video MP4, MOV or M4V of 4 s to
 * 15 min.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { numericIdOf } from '../../accounts';
import { ContentRefused, Principal } from '../../gate';
import { fieldsOf, filesOf, queryOf } from '../../http/answer';
import { fetchPublicMedia } from '../../media/fetch-public';
import { MediaFacts, inspectMedia } from '../../media/inspect';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { PINTEREST_ERRORS, pinterestFace } from './pinterest.face';
import { registerPinterestOAuth } from './pinterest.oauth';

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff']);
const LIMITS = { title: 100, description: 800, alt_text: 500, link: 2048 } as const;
const VIDEO_TYPES = new Set(['video/mp4', 'video/quicktime', 'video/x-m4v']);
const VIDEO_DURATION_MS = { min: 4_000, max: 15 * 60_000 };
/** Where the mock takes video files, as Pinterest's upload bucket would (its own path at Pinterest's origin). */
const UPLOAD_PATH = '/_upload/pinterest-media';

/** A registered video: whose, the form fields its upload must carry, and where it is. */
interface PinterestVideo {
  id: string;
  owner: string;
  fields: Record<string, string>;
  status: 'registered' | 'processing' | 'succeeded' | 'failed';
  facts?: MediaFacts;
  /** Every byte received, sent again included. */
  bytesReceived: number;
}

/** The account's boards: two, with ids stable per handle. */
export function boardsOf(handle: string): Array<{ id: string; name: string }> {
  return [
    { id: numericIdOf(handle, 'pinterest-board-1'), name: 'Ideas' },
    { id: numericIdOf(handle, 'pinterest-board-2'), name: 'Products' },
  ];
}

export function registerPinterest(app: FastifyInstance, world: MockWorld): void {
  const face = pinterestFace(world);
  const { gate, store } = world;
  registerPinterestOAuth(app, world);
  const refuse = (message: string) => new ContentRefused(message, { status: 400, body: PINTEREST_ERRORS.body(400, 'invalid', message) });
  const videos = new Map<string, PinterestVideo>();
  const signing = randomBytes(16);

  app.post('/v5/media', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (fieldsOf(request).media_type !== 'video') throw refuse('media_type must be video');
      const id = numericIdOf(`${account.handle}:${store.nextId()}`, 'pinterest-media');
      const key = `uploads/${id}.mp4`;
      const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 3_600_000).toISOString(), conditions: [{ key }] })).toString('base64');
      const fields = {
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-credential': 'MOCKPINTEREST/us-east-1/s3/aws4_request',
        key,
        policy,
        'x-amz-signature': createHmac('sha256', signing).update(policy).digest('hex'),
        'Content-Type': 'multipart/form-data',
      };
      videos.set(id, { id, owner: account.handle, fields, status: 'registered', bytesReceived: 0 });
      return { status: 201, body: { media_id: id, media_type: 'video', upload_url: `${world.url('pinterest')}${UPLOAD_PATH}`, upload_parameters: fields } };
    }),
  );

  // The upload bucket: no bearer token, the signed form fields instead; 204 as S3 answers a POST policy upload.
  app.post(UPLOAD_PATH, async (request, reply) => {
    const given = fieldsOf(request);
    const video = [...videos.values()].find((candidate) => candidate.fields.key === given.key);
    const signed = video && Object.entries(video.fields).every(([name, value]) => given[name] === value);
    const file = filesOf(request).find((item) => item.field === 'file');
    if (!video || !signed) return reply.status(403).type('application/xml').send('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed</Message></Error>');
    if (!file) return reply.status(400).type('application/xml').send('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>POST requires exactly one file upload per request.</Message></Error>');
    video.bytesReceived += file.data.length;
    const facts = inspectMedia(file.data);
    video.facts = facts ?? undefined;
    video.status = 'processing';
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/v5/media/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const video = videos.get(request.params.id);
      if (!video || video.owner !== account.handle) return { status: 404, body: { code: 404, message: 'Media not found.' } };
      const answer = { status: 200, body: { media_id: video.id, media_type: 'video', status: video.status } };
      // Processing takes one look; then the file is judged as Pinterest judges a video Pin's.
      if (video.status === 'processing') video.status = acceptableVideo(video.facts) ? 'succeeded' : 'failed';
      return answer;
    }),
  );

  app.get('/v5/user_account', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: {
        account_type: 'BUSINESS',
        id: numericIdOf(account.handle, 'pinterest'),
        username: account.handle,
        business_name: world.profiles.of(account).displayName,
        profile_image: `${world.url('pinterest')}${world.profiles.of(account).avatarPath}`,
        website_url: null,
        board_count: 1,
        pin_count: world.accountMetrics.of('pinterest', account.handle, 'pin_count', store.postsOf(account).length),
        follower_count: world.accountMetrics.of('pinterest', account.handle, 'follower_count'),
        following_count: world.accountMetrics.of('pinterest', account.handle, 'following_count'),
        monthly_views: world.accountMetrics.of('pinterest', account.handle, 'monthly_views'),
      },
    })),
  );

  app.get('/v5/boards', (request, reply) =>
    gate.run(face, request, reply, (account) => ({
      status: 200,
      body: { items: boardsOf(account.handle).map((board) => ({ ...board, description: '', privacy: 'PUBLIC', owner: { username: account.handle } })), bookmark: null },
    })),
  );

  app.post('/v5/pins', (request, reply) =>
    gate.run(face, request, reply, async (account) => {
      const body = fieldsOf(request);
      const board = typeof body.board_id === 'string' ? body.board_id : undefined;
      if (!board) throw refuse('board_id is required');
      if (!boardsOf(account.handle).some((owned) => owned.id === board)) return { status: 404, body: { code: 40, message: 'Board not found.' } };
      for (const [name, max] of Object.entries(LIMITS)) {
        const value = body[name];
        if (value !== undefined && (typeof value !== 'string' || Array.from(value).length > max)) throw refuse(`${name} must be a string of at most ${max} characters`);
      }
      // Pinterest's own check of a pin's destination: an absolute http(s) URL, else "Invalid parameters" (code 1).
      if (body.link !== undefined && !isWebUrl(body.link)) throw refuse(`Invalid parameters: link "${String(body.link)}" is not a valid URL`);
      const source = (body.media_source ?? {}) as { source_type?: unknown; media_id?: unknown; cover_image_url?: unknown; cover_image_key_frame_time?: unknown };
      let media: MediaFacts;
      if (source.source_type === 'video_id') {
        const video = typeof source.media_id === 'string' ? videos.get(source.media_id) : undefined;
        if (!video || video.owner !== account.handle) throw refuse('Invalid media_id: media not found');
        if (video.status !== 'succeeded' || !video.facts) throw refuse(`Media upload ${video.id} is not ready (status ${video.status})`);
        if (source.cover_image_url === undefined && source.cover_image_key_frame_time === undefined) throw refuse('A video Pin needs cover_image_url or cover_image_key_frame_time');
        media = video.facts;
      } else {
        media = await imageOf(body.media_source, refuse);
      }
      const description = typeof body.description === 'string' ? body.description : '';
      const alt = typeof body.alt_text === 'string' ? body.alt_text : undefined;
      const post = store.accept(account, description, [{ ...media, ...(alt !== undefined ? { alt } : {}) }], { record: { board_id: board, title: body.title ?? null, link: body.link ?? null } });
      return { status: 201, body: toPin(post, account) };
    }),
  );

  app.get<{ Params: { board: string } }>('/v5/boards/:board/pins', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      if (!boardsOf(account.handle).some((owned) => owned.id === request.params.board)) return { status: 404, body: { code: 40, message: 'Board not found.' } };
      const query = queryOf(request);
      const size = query.page_size === undefined ? 25 : Number(query.page_size);
      if (!Number.isInteger(size) || size < 1 || size > 250) return { status: 400, body: PINTEREST_ERRORS.body(400, 'invalid', 'page_size must be 1 to 250') };
      const start = query.bookmark === undefined ? 0 : Number(Buffer.from(query.bookmark, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) return { status: 400, body: PINTEREST_ERRORS.body(400, 'invalid', 'Invalid bookmark') };
      const pins = store
        .postsOf(account)
        .filter((post) => (post.record as { board_id?: string } | undefined)?.board_id === request.params.board)
        .reverse();
      const page = pins.slice(start, start + size);
      const more = start + size < pins.length;
      return { status: 200, body: { items: page.map((post) => toPin(post, account)), bookmark: more ? Buffer.from(String(start + size)).toString('base64url') : null } };
    }),
  );

  // `DELETE /v5/pins/{pin_id}` (developers.pinterest.com/docs/api/v5/pins-delete): one's own pin, 204 with no body;
  // a pin that is not there is Pinterest's 404 `Pin not found.`, one of another user's is refused with 403.
  app.delete<{ Params: { id: string } }>('/v5/pins/:id', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const post = store.find(request.params.id);
      if (post?.network !== 'pinterest') return { status: 404, body: { code: 50, message: 'Pin not found.' } };
      if (post.handle !== account.handle) return { status: 403, body: { code: 403, message: 'You are not permitted to access that resource.' } };
      store.remove(post.id);
      return { status: 204 };
    }),
  );

  app.get<{ Params: { id: string } }>('/v5/pins/:id', (request, reply) =>
    gate.run(face, request, reply, () => {
      const post = store.find(request.params.id);
      return post?.network === 'pinterest' ? { status: 200, body: toPin(post, post) } : { status: 404, body: { code: 50, message: 'Pin not found.' } };
    }),
  );
}

/** A video Pinterest takes: MP4, MOV or M4V, 4 s to 15 min. */
function acceptableVideo(facts: MediaFacts | undefined): boolean {
  if (!facts || facts.type !== 'video' || !VIDEO_TYPES.has(facts.mimeType)) return false;
  return facts.durationMs === undefined || (facts.durationMs >= VIDEO_DURATION_MS.min && facts.durationMs <= VIDEO_DURATION_MS.max);
}

function isWebUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The image a pin's `media_source` names: decoded or fetched, and judged. */
async function imageOf(source: unknown, refuse: (message: string) => Error): Promise<MediaFacts> {
  const given = (source ?? {}) as { source_type?: unknown; data?: unknown; url?: unknown; content_type?: unknown };
  let facts: MediaFacts | undefined;
  if (given.source_type === 'image_base64') {
    if (typeof given.data !== 'string' || given.data === '') throw refuse('media_source.data is required');
    const bytes = Buffer.from(given.data, 'base64');
    if (bytes.length > MAX_IMAGE_BYTES) throw refuse('The image is larger than 20 MB');
    facts = inspectMedia(bytes);
  } else if (given.source_type === 'image_url') {
    if (typeof given.url !== 'string') throw refuse('media_source.url is required');
    const fetched = await fetchPublicMedia(given.url, MAX_IMAGE_BYTES);
    if (!fetched.ok) throw refuse(`The image could not be fetched: ${fetched.message}`);
    facts = fetched.facts;
  } else {
    throw refuse('media_source.source_type must be image_base64 or image_url');
  }
  if (!facts || facts.type !== 'image' || !IMAGE_TYPES.has(facts.mimeType)) throw refuse('The image is not of a type Pinterest takes (BMP, JPEG, PNG, TIFF, GIF, WebP)');
  return facts;
}

function toPin(post: MockPost, owner: Pick<Principal, 'handle'>) {
  const record = (post.record ?? {}) as { board_id?: string; title?: string | null; link?: string | null };
  return {
    id: post.id,
    created_at: post.createdAt,
    board_id: record.board_id,
    board_owner: { username: owner.handle },
    title: record.title ?? null,
    description: post.text,
    link: record.link ?? null,
    alt_text: post.media[0]?.alt ?? null,
    media:
      post.media[0]?.type === 'video'
        ? { media_type: 'video', width: post.media[0].width, height: post.media[0].height, duration: post.media[0].durationMs }
        : { media_type: 'image', images: { originals: { width: post.media[0]?.width, height: post.media[0]?.height } } },
  };
}
