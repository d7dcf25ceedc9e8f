/**
 * X's v2 media endpoints: the one-shot upload of an image or GIF
 * (`POST /2/media/upload`), the chunked upload of a video
 * (`/2/media/upload/initialize`, `/{id}/append` by `segment_index`,
 * `/{id}/finalize`, then `GET /2/media/upload?command=STATUS&media_id=`:
 * in_progress on the first read, then succeeded, or failed for a video X
 * would not take), alt text (`POST /2/media/metadata`), and the checks
 * `POST /2/tweets` makes of its `media_ids`. The file is given as multipart
 * (`media`) or, as X's own SDK sends it, base64 in a JSON body; it is judged
 * by its bytes, never by `media_type`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Account } from '../../accounts';
import { NetworkFace } from '../../gate';
import { Answer, fieldsOf, filesOf, queryOf, stringField } from '../../http/answer';
import { MediaFacts, inspectMedia } from '../../media/inspect';
import { Processing } from '../../media/processing';
import { MockMedia } from '../../store';
import { MockWorld } from '../../world';
import { X_ERRORS } from './x.face';

type Category = 'tweet_image' | 'tweet_gif' | 'tweet_video';

interface XMedia {
  id: string;
  category: Category;
  facts?: MediaFacts;
  alt?: string;
  /** Set once every byte is in (the one-shot upload, or finalize). */
  processing?: Processing;
  /** Chunked uploads until finalize. */
  totalBytes?: number;
  segments?: Map<number, Buffer>;
}

const MB = 1024 * 1024;
const LIMITS: Record<Category, number> = { tweet_image: 5 * MB, tweet_gif: 15 * MB, tweet_video: 512 * MB };
const TYPES: Record<Category, string[]> = {
  tweet_image: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  tweet_gif: ['image/gif'],
  tweet_video: ['video/mp4', 'video/quicktime'],
};
const KEY_PREFIX: Record<Category, string> = { tweet_image: '3', tweet_gif: '16', tweet_video: '7' };
const SEGMENT_MAX = 5 * MB;
const VIDEO_SECONDS = { min: 0.5, max: 140 };
const EXPIRES = 86400;
const ALT_MAX = 1000;

const invalid = (message: string): Answer => ({ status: 400, body: X_ERRORS.body(400, 'invalid', message) });
const INVALID_ID = invalid('The media id is invalid.');

function categoryOf(value: string | undefined, mediaType?: string): Category | undefined {
  if (value === undefined) return mediaType?.startsWith('video/') ? 'tweet_video' : mediaType === 'image/gif' ? 'tweet_gif' : 'tweet_image';
  return value in LIMITS ? (value as Category) : undefined;
}

export function xMediaShelf(world: MockWorld) {
  return world.store.shelf<XMedia>('x-media');
}

export function registerXMedia(app: FastifyInstance, world: MockWorld, face: NetworkFace): void {
  const { gate, store } = world;
  const shelf = xMediaShelf(world);
  const answerOf = (media: XMedia, withProcessing: boolean) => ({
    status: 200,
    body: {
      data: {
        id: media.id,
        media_key: `${KEY_PREFIX[media.category]}_${media.id}`,
        ...(media.facts ? { size: media.facts.size } : {}),
        expires_after_secs: EXPIRES,
        ...(media.facts?.type === 'image' ? { image: { image_type: media.facts.mimeType, w: media.facts.width, h: media.facts.height } } : {}),
        ...(withProcessing ? { processing_info: { state: 'pending', check_after_secs: 1 } } : {}),
      },
    },
  });

  app.post('/2/media/upload', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const fields = fieldsOf(request);
      const bytes = mediaBytes(request);
      if (!bytes) return invalid('media is required');
      const category = categoryOf(stringField(fields, 'media_category'));
      if (!category) return invalid(`media_category must be one of ${Object.keys(LIMITS).join(', ')}`);
      if (category === 'tweet_video') return invalid('tweet_video media is uploaded in chunks: initialize, append, finalize');
      const facts = judged(category, bytes);
      if ('refusal' in facts) return facts.refusal;
      const id = store.nextId();
      return answerOf(shelf.put(account, id, { id, category, facts: facts.facts, processing: Processing.done() }), false);
    }),
  );

  app.post('/2/media/upload/initialize', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const fields = fieldsOf(request);
      const mediaType = stringField(fields, 'media_type');
      const totalBytes = Number(fields.total_bytes);
      if (!mediaType) return invalid('media_type is required');
      const category = categoryOf(stringField(fields, 'media_category'), mediaType);
      if (!category) return invalid(`media_category must be one of ${Object.keys(LIMITS).join(', ')}`);
      if (!Number.isInteger(totalBytes) || totalBytes < 1) return invalid('total_bytes must be a positive integer');
      if (totalBytes > LIMITS[category]) return invalid(`File size exceeds ${LIMITS[category]} bytes.`);
      const id = store.nextId();
      shelf.put(account, id, { id, category, totalBytes, segments: new Map() });
      return { status: 200, body: { data: { id, media_key: `${KEY_PREFIX[category]}_${id}`, expires_after_secs: EXPIRES } } };
    }),
  );

  app.post<{ Params: { id: string } }>('/2/media/upload/:id/append', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const media = shelf.of(account, request.params.id);
      if (!media?.segments) return INVALID_ID;
      const index = Number(stringField(fieldsOf(request), 'segment_index') ?? fieldsOf(request).segment_index);
      if (!Number.isInteger(index) || index < 0 || index > 999) return invalid('segment_index must be an integer from 0 to 999');
      const bytes = mediaBytes(request);
      if (!bytes || bytes.length === 0) return invalid('media is required');
      if (bytes.length > SEGMENT_MAX) return invalid(`A segment must not be larger than ${SEGMENT_MAX} bytes`);
      media.segments.set(index, bytes);
      return { status: 200, body: { data: { expires_at: Math.floor(Date.now() / 1000) + EXPIRES } } };
    }),
  );

  app.post<{ Params: { id: string } }>('/2/media/upload/:id/finalize', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const media = shelf.of(account, request.params.id);
      if (!media?.segments) return media?.processing ? answerOf(media, media.category !== 'tweet_image') : INVALID_ID;
      const count = media.segments.size;
      const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !media.segments!.has(index));
      if (count === 0 || missing.length > 0 || Math.max(...media.segments.keys()) !== count - 1) return invalid(`Segments are missing: ${missing.join(', ') || 'none was appended'}`);
      const bytes = Buffer.concat(Array.from({ length: count }, (_, index) => media.segments!.get(index)!));
      if (bytes.length !== media.totalBytes) return invalid(`File size mismatch: total_bytes was ${media.totalBytes}, ${bytes.length} bytes were appended`);
      const facts = judged(media.category, bytes);
      if ('refusal' in facts) return facts.refusal;
      delete media.segments;
      media.facts = facts.facts;
      media.processing = media.category === 'tweet_image' ? Processing.done() : new Processing(1, Infinity, videoProblem(facts.facts));
      return answerOf(media, media.category !== 'tweet_image');
    }),
  );

  app.get('/2/media/upload', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const query = queryOf(request);
      if (query.command !== 'STATUS') return invalid('command must be STATUS');
      const media = query.media_id ? shelf.of(account, query.media_id) : undefined;
      if (!media?.processing) return INVALID_ID;
      const state = media.processing.read();
      const processingInfo =
        state === 'processing'
          ? { state: 'in_progress', check_after_secs: 1, progress_percent: 50 }
          : state === 'ready'
            ? { state: 'succeeded', progress_percent: 100 }
            : { state: 'failed', progress_percent: 100, error: { code: 1, name: 'InvalidMedia', message: `Invalid or Unsupported media, Reason: ${media.processing.failure}` } };
      return { status: 200, body: { data: { id: media.id, media_key: `${KEY_PREFIX[media.category]}_${media.id}`, expires_after_secs: EXPIRES, processing_info: processingInfo } } };
    }),
  );

  app.post('/2/media/metadata', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const body = fieldsOf(request) as { id?: unknown; metadata?: { alt_text?: { text?: unknown } } };
      const media = typeof body.id === 'string' ? shelf.of(account, body.id) : undefined;
      if (!media) return INVALID_ID;
      const alt = body.metadata?.alt_text?.text;
      if (typeof alt !== 'string') return invalid('metadata.alt_text.text must be a string');
      if (Array.from(alt).length > ALT_MAX) return invalid(`alt_text.text must be at most ${ALT_MAX} characters`);
      media.alt = alt;
      return { status: 200, body: { data: { id: media.id, associated_metadata: { alt_text: { text: alt } } } } };
    }),
  );
}

/**
 * The media a post attaches, or X's 400: each id this user's and processed
 * (succeeded), up to 4 images or one GIF or video alone.
 */
export function attachableXMedia(world: MockWorld, account: Account, ids: string[]): { media: MockMedia[]; keys: string[] } | { refusal: Answer } {
  const shelf = xMediaShelf(world);
  const found = ids.map((id) => shelf.of(account, id));
  const refuse = { refusal: invalid('Your media IDs are invalid.') };
  if (found.some((media) => !media?.facts || media.processing?.state !== 'ready')) return refuse;
  const media = found as XMedia[];
  const single = media.filter((item) => item.category !== 'tweet_image');
  if (media.length > 4 || (single.length > 0 && media.length > 1)) return refuse;
  if (media.some((item) => item.facts!.size > LIMITS[item.category] || (item.category === 'tweet_video' && videoProblem(item.facts!)))) return refuse;
  return { media: media.map((item) => ({ ...item.facts!, alt: item.alt ?? '' })), keys: media.map((item) => `${KEY_PREFIX[item.category]}_${item.id}`) };
}

/** The file's facts when its bytes are what the category takes, within its size; X's 400 otherwise. */
function judged(category: Category, bytes: Buffer): { facts: MediaFacts } | { refusal: Answer } {
  const facts = inspectMedia(bytes);
  if (!facts || !TYPES[category].includes(facts.mimeType)) {
    return { refusal: invalid(`Invalid or Unsupported media, Reason: the file is ${facts?.mimeType ?? 'of no known type'}, not what ${category} takes (${TYPES[category].join(', ')})`) };
  }
  if (facts.size > LIMITS[category]) return { refusal: invalid(`File size exceeds ${LIMITS[category]} bytes.`) };
  return { facts };
}

/** Why X's processing would fail this video (its duration outside 0.5–140 s, or none found), or undefined. */
function videoProblem(facts: MediaFacts): string | undefined {
  if (facts.type !== 'video') return undefined;
  if (facts.durationMs === undefined) return 'the video could not be read';
  const seconds = facts.durationMs / 1000;
  return seconds < VIDEO_SECONDS.min || seconds > VIDEO_SECONDS.max ? `Duration ${seconds} s is outside ${VIDEO_SECONDS.min}–${VIDEO_SECONDS.max} s` : undefined;
}

/** The upload's bytes: a multipart `media` file, or `media` base64-encoded in a JSON or form body. */
function mediaBytes(request: FastifyRequest): Buffer | undefined {
  const file = filesOf(request).find((item) => item.field === 'media');
  if (file) return file.data;
  const encoded = stringField(fieldsOf(request), 'media');
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64');
}
