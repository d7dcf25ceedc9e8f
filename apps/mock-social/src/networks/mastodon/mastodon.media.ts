/**
 * A Mastodon instance's media: `POST /api/v2/media` (multipart `file` and
 * `description`; the file judged by its bytes against the instance's
 * supported types and size limits), answered 200 for an image and 202 with
 * `url: null` for a video (or a GIF, made an MP4) still processing; `GET /api/v1/media/:id` (206
 * while processing: the first read or 1 s, then 200); `PUT` its
 * description; and the checks a status makes of its `media_ids` (this
 * account's, processed, not attached to another status, no video beside
 * images), in Mastodon's own words.
 */
import type { FastifyInstance } from 'fastify';
import { Account } from '../../accounts';
import { ContentRefused, NetworkFace } from '../../gate';
import { Answer, fieldsOf, filesOf, stringField } from '../../http/answer';
import { MediaFacts, inspectMedia } from '../../media/inspect';
import { Processing } from '../../media/processing';
import { MockMedia } from '../../store';
import { MockWorld } from '../../world';
import { DESCRIPTION_LIMIT, IMAGE_SIZE_LIMIT, MastodonInstance, SUPPORTED_MIME_TYPES, VIDEO_SIZE_LIMIT } from './mastodon.face';

export interface MastodonMedia {
  id: string;
  facts: MediaFacts;
  description?: string;
  processing: Processing;
  /** The status it is attached to. */
  statusId?: string;
}

// Ready after one status read, or after a second unread (Mastodon processes a short clip in about that).
const VIDEO_PROCESSING_MS = 1000;
const NOT_FOUND = { status: 404, body: { error: 'Record not found' } };

export function mastodonMediaShelf(world: MockWorld) {
  return world.store.shelf<MastodonMedia>('mastodon-media');
}

export function registerMastodonMedia(app: FastifyInstance, world: MockWorld, instance: MastodonInstance, face: NetworkFace): void {
  const { gate, store } = world;
  const shelf = mastodonMediaShelf(world);

  app.post('/api/v2/media', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const file = filesOf(request).find((item) => item.field === 'file');
      const description = stringField(fieldsOf(request), 'description');
      if (!file) throw new ContentRefused("File can't be blank");
      if (description !== undefined && Array.from(description).length > DESCRIPTION_LIMIT) throw new ContentRefused(`Description is too long (maximum is ${DESCRIPTION_LIMIT} characters)`);
      const facts = inspectMedia(file.data);
      if (!facts || !SUPPORTED_MIME_TYPES.includes(facts.mimeType)) throw new ContentRefused('File content type is invalid');
      const limit = facts.type === 'video' ? VIDEO_SIZE_LIMIT : IMAGE_SIZE_LIMIT;
      if (facts.size > limit) throw new ContentRefused(`File file size must be less than ${limit / 1024 / 1024} MB`);
      const id = store.nextId();
      // An image is processed before the answer; a video (and a GIF, which Mastodon makes an MP4 of) is not: 202, no URL yet.
      const later = facts.type === 'video' || facts.mimeType === 'image/gif';
      const processing = later ? new Processing(1, VIDEO_PROCESSING_MS) : Processing.done();
      const media = shelf.put(account, id, { id, facts, ...(description !== undefined ? { description } : {}), processing });
      return { status: later ? 202 : 200, body: mediaEntity(instance, media, !later) };
    }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/media/:id', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const media = shelf.of(account, request.params.id);
      if (!media) return NOT_FOUND;
      const ready = media.processing.read() !== 'processing';
      return { status: ready ? 200 : 206, body: mediaEntity(instance, media, ready) };
    }),
  );

  app.put<{ Params: { id: string } }>('/api/v1/media/:id', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const media = shelf.of(account, request.params.id);
      if (!media) return NOT_FOUND;
      const description = stringField(fieldsOf(request), 'description');
      if (description !== undefined && Array.from(description).length > DESCRIPTION_LIMIT) throw new ContentRefused(`Description is too long (maximum is ${DESCRIPTION_LIMIT} characters)`);
      if (description !== undefined) media.description = description;
      return { status: 200, body: mediaEntity(instance, media, media.processing.state !== 'processing') };
    }),
  );
}

/**
 * The media a status attaches, or Mastodon's 422 (a ValidationError: its
 * message alone, no "Validation failed:" prefix), as PostStatusService
 * checks `media_ids`.
 */
export function attachableMedia(world: MockWorld, account: Account, ids: string[], maxAttachments: number): { media: MastodonMedia[] } | { refusal: Answer } {
  const shelf = mastodonMediaShelf(world);
  const refuse = (error: string) => ({ refusal: { status: 422, body: { error } } });
  if (ids.length > maxAttachments) return refuse(`Cannot attach more than ${maxAttachments} files`);
  const found = ids.map((id) => shelf.of(account, id));
  const missing = ids.filter((_, index) => !found[index] || found[index]!.statusId !== undefined);
  if (missing.length > 0) return refuse(`Media ${missing.join(', ')} not found or already attached to another post`);
  const media = found as MastodonMedia[];
  if (media.length > 1 && media.some((item) => item.facts.type === 'video')) return refuse('Cannot attach a video to a post that already contains images');
  if (media.some((item) => item.processing.state === 'processing')) return refuse('Cannot attach files that have not finished processing. Try again in a moment!');
  return { media };
}

/** Media as `/_mock/posts` shows it. */
export function postedMastodonMedia(media: MastodonMedia): MockMedia {
  return { ...media.facts, alt: media.description ?? '' };
}

/** A MediaAttachment as Mastodon's API shows it; `url` is null until it is processed. */
export function mediaEntity(instance: MastodonInstance, media: MastodonMedia, processed: boolean) {
  const { facts } = media;
  const file = `${instance.url}/system/media_attachments/files/${media.id}`;
  const original =
    facts.width && facts.height
      ? {
          width: facts.width,
          height: facts.height,
          size: `${facts.width}x${facts.height}`,
          aspect: facts.width / facts.height,
          ...(facts.durationMs !== undefined ? { duration: facts.durationMs / 1000, frame_rate: '30/1' } : {}),
        }
      : undefined;
  return {
    id: media.id,
    type: facts.type === 'video' ? 'video' : facts.mimeType === 'image/gif' ? 'gifv' : 'image',
    url: processed ? `${file}/original/${facts.type === 'video' || facts.mimeType === 'image/gif' ? 'video.mp4' : 'image'}` : null,
    preview_url: `${file}/small/preview.png`,
    remote_url: null,
    text_url: null,
    meta: original ? { original } : {},
    description: media.description ?? null,
    blurhash: null,
  };
}
