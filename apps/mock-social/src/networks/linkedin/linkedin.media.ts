/**
 * LinkedIn's Images and Videos APIs: `POST /rest/images?action=initializeUpload`
 * (an upload URL and the image's URN), the bytes `PUT` to that URL (201),
 * `GET /rest/images/{urn}` (WAITING_UPLOAD, then PROCESSING on the first
 * read after the upload, then AVAILABLE, or PROCESSING_FAILED for a file
 * LinkedIn does not take); videos in 4 MiB parts
 * (`/rest/videos?action=initializeUpload` with `uploadInstructions`, each
 * part `PUT` answering its `etag`, `action=finalizeUpload` with the etags in
 * order, `GET /rest/videos/{urn}`); and the checks a post makes of the URNs
 * it names (this member's, AVAILABLE).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Account, linkedinSubOf } from '../../accounts';
import { NetworkFace } from '../../gate';
import { Answer, fieldsOf, queryOf } from '../../http/answer';
import { MediaFacts, inspectMedia } from '../../media/inspect';
import { Processing } from '../../media/processing';
import { MockMedia } from '../../store';
import { MockWorld } from '../../world';
import { LINKEDIN_ERRORS, versionProblem } from './linkedin.face';

type Kind = 'image' | 'video';

interface Part {
  firstByte: number;
  lastByte: number;
  etag?: string;
  data?: Buffer;
}

interface LinkedInAsset {
  urn: string;
  kind: Kind;
  owner: string;
  /** Video: the parts the upload instructions named, until finalize. */
  parts?: Part[];
  facts?: MediaFacts;
  /** Set once the bytes are in (the image's PUT, the video's finalize). */
  processing?: Processing;
}

const PART_SIZE = 4_194_304;
const VIDEO_MAX = 500 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'];
const IMAGE_MAX_PIXELS = 36_152_320;
const URL_TTL_MS = 86_400_000;

const problem = (status: number, message: string): Answer => ({ status, body: LINKEDIN_ERRORS.body(status, status === 404 ? 'not_found' : 'invalid', message) });

export function linkedinAssets(world: MockWorld) {
  return world.store.shelf<LinkedInAsset>('linkedin-assets');
}

export function registerLinkedInMedia(app: FastifyInstance, world: MockWorld, face: NetworkFace): void {
  const { gate, store } = world;
  const assets = linkedinAssets(world);
  const ownerOf = (account: Account) => `urn:li:person:${linkedinSubOf(account.handle)}`;
  const base = () => world.url('linkedin');

  /** The owner named by `initializeUploadRequest`, or LinkedIn's refusal. */
  const initialize = (request: FastifyRequest, account: Account): { init: Record<string, unknown> } | { refusal: Answer } => {
    const version = versionProblem(request);
    if (version) return { refusal: version };
    const init = (fieldsOf(request).initializeUploadRequest ?? {}) as Record<string, unknown>;
    if (init.owner !== ownerOf(account)) return { refusal: { status: 403, body: { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: `Not enough permissions to access: owner ${String(init.owner)}` } } };
    return { init };
  };

  app.post('/rest/images', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      if (queryOf(request).action !== 'initializeUpload') return problem(400, 'action must be initializeUpload');
      const started = initialize(request, account);
      if ('refusal' in started) return started.refusal;
      const id = store.nextId();
      const urn = `urn:li:image:C${id}`;
      assets.put(account, urn, { urn, kind: 'image', owner: ownerOf(account) });
      const uploadUrl = `${base()}/dms-uploads/images/${encodeURIComponent(urn)}`;
      return { status: 200, body: { value: { uploadUrlExpiresAt: Date.now() + URL_TTL_MS, uploadUrl, image: urn } } };
    }),
  );

  app.put<{ Params: { urn: string } }>('/dms-uploads/images/:urn', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const asset = assets.of(account, request.params.urn);
      if (!asset || asset.kind !== 'image') return problem(404, 'No upload is waiting at this URL');
      const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (!bytes || bytes.length === 0) return problem(400, 'The upload takes the raw bytes of the image');
      asset.facts = inspectMedia(bytes);
      asset.processing = new Processing(1, Infinity, imageProblem(asset.facts));
      return { status: 201 };
    }),
  );

  app.post('/rest/videos', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const action = queryOf(request).action;
      if (action === 'finalizeUpload') return finalize(request, account);
      if (action !== 'initializeUpload') return problem(400, 'action must be initializeUpload or finalizeUpload');
      const started = initialize(request, account);
      if ('refusal' in started) return started.refusal;
      const size = Number(started.init.fileSizeBytes);
      if (!Number.isInteger(size) || size < 1) return problem(400, '/initializeUploadRequest/fileSizeBytes :: must be a positive integer');
      if (size > VIDEO_MAX) return problem(400, `/initializeUploadRequest/fileSizeBytes :: must be at most ${VIDEO_MAX}`);
      const id = store.nextId();
      const urn = `urn:li:video:C${id}`;
      const parts: Part[] = [];
      for (let first = 0; first < size; first += PART_SIZE) parts.push({ firstByte: first, lastByte: Math.min(size, first + PART_SIZE) - 1 });
      assets.put(account, urn, { urn, kind: 'video', owner: ownerOf(account), parts });
      const uploadInstructions = parts.map((part, index) => ({ uploadUrl: `${base()}/dms-uploads/videos/${encodeURIComponent(urn)}/parts/${index}`, firstByte: part.firstByte, lastByte: part.lastByte }));
      return { status: 200, body: { value: { uploadUrlsExpireAt: Date.now() + URL_TTL_MS, video: urn, uploadToken: '', uploadInstructions } } };
    }),
  );

  const finalize = (request: FastifyRequest, account: Account): Answer => {
    const version = versionProblem(request);
    if (version) return version;
    const body = (fieldsOf(request).finalizeUploadRequest ?? {}) as { video?: unknown; uploadedPartIds?: unknown };
    const asset = typeof body.video === 'string' ? assets.of(account, body.video) : undefined;
    if (!asset || asset.kind !== 'video') return problem(404, `/finalizeUploadRequest/video :: ${String(body.video)} not found`);
    if (!asset.parts) return { status: 200 };
    const etags = Array.isArray(body.uploadedPartIds) ? body.uploadedPartIds : [];
    const missing = asset.parts.filter((part) => !part.etag);
    if (missing.length > 0) return problem(400, `${missing.length} of ${asset.parts.length} parts were not uploaded`);
    if (etags.length !== asset.parts.length || asset.parts.some((part, index) => part.etag !== etags[index])) {
      return problem(400, '/finalizeUploadRequest/uploadedPartIds :: must list the etag of every part, in order');
    }
    asset.facts = inspectMedia(Buffer.concat(asset.parts.map((part) => part.data!)));
    delete asset.parts;
    asset.processing = new Processing(1, Infinity, asset.facts?.mimeType === 'video/mp4' ? undefined : 'LinkedIn takes MP4 video');
    return { status: 200 };
  };

  app.put<{ Params: { urn: string; index: string } }>('/dms-uploads/videos/:urn/parts/:index', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const asset = assets.of(account, request.params.urn);
      const part = asset?.parts?.[Number(request.params.index)];
      if (!part) return problem(404, 'No upload is waiting at this URL');
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const expected = part.lastByte - part.firstByte + 1;
      if (bytes.length !== expected) return problem(400, `This part takes bytes ${part.firstByte}-${part.lastByte} (${expected} bytes); ${bytes.length} were sent`);
      part.data = bytes;
      part.etag = `/ambry-video/signedId/${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;
      return { status: 200, headers: { etag: part.etag } };
    }),
  );

  for (const kind of ['image', 'video'] as const) {
    app.get<{ Params: { urn: string } }>(`/rest/${kind}s/:urn`, (request, reply) =>
      gate.authenticated(face, request, reply, (account) => {
        const version = versionProblem(request);
        if (version) return version;
        const asset = assets.of(account, request.params.urn);
        if (!asset || asset.kind !== kind) return problem(404, `${request.params.urn} not found`);
        const state = asset.processing?.read();
        const status = state === undefined ? 'WAITING_UPLOAD' : state === 'processing' ? 'PROCESSING' : state === 'ready' ? 'AVAILABLE' : 'PROCESSING_FAILED';
        return {
          status: 200,
          body: {
            id: asset.urn,
            owner: asset.owner,
            status,
            ...(status === 'AVAILABLE' ? { downloadUrl: `${base()}/dms/${kind}/${encodeURIComponent(asset.urn)}`, downloadUrlExpiresAt: Date.now() + URL_TTL_MS } : {}),
            ...(status === 'PROCESSING_FAILED' ? { processingFailureReason: asset.processing!.failure } : {}),
            ...(kind === 'video' && asset.facts?.durationMs !== undefined && status === 'AVAILABLE' ? { duration: asset.facts.durationMs, aspectRatioWidth: asset.facts.width, aspectRatioHeight: asset.facts.height } : {}),
          },
        };
      }),
    );
  }
}

/**
 * The media a post's `content` names (`media` for one image or video,
 * `multiImage` for 2–20 images), or LinkedIn's 422: each URN this author's
 * and AVAILABLE.
 */
export function attachableLinkedInMedia(world: MockWorld, account: Account, content: unknown): { media: MockMedia[] } | { refusal: Answer } {
  if (content === undefined) return { media: [] };
  const value = content as { media?: { id?: unknown; altText?: unknown }; multiImage?: { images?: unknown } };
  let items: { id?: unknown; altText?: unknown }[];
  if (value.multiImage !== undefined) {
    items = Array.isArray(value.multiImage.images) ? value.multiImage.images : [];
    if (items.length < 2 || items.length > 20) return { refusal: problem(422, '/content/multiImage/images :: must have 2 to 20 images') };
  } else if (value.media !== undefined) items = [value.media];
  else return { media: [] };
  const assets = linkedinAssets(world);
  const media: MockMedia[] = [];
  for (const [index, item] of items.entries()) {
    const path = value.multiImage ? `/content/multiImage/images/${index}` : '/content/media';
    const asset = typeof item.id === 'string' ? assets.of(account, item.id) : undefined;
    if (!asset) return { refusal: problem(422, `${path}/id :: ${String(item.id)} is not an image or video of this author`) };
    if (value.multiImage && asset.kind !== 'image') return { refusal: problem(422, `${path}/id :: a multiImage post takes images only`) };
    if (asset.processing?.state !== 'ready') return { refusal: problem(422, `${path}/id :: ${asset.urn} is not AVAILABLE`) };
    if (item.altText !== undefined && typeof item.altText !== 'string') return { refusal: problem(422, `${path}/altText :: must be a string`) };
    media.push({ ...asset.facts!, alt: (item.altText as string | undefined) ?? '' });
  }
  return { media };
}

function imageProblem(facts: MediaFacts | undefined): string | undefined {
  if (!facts || !IMAGE_TYPES.includes(facts.mimeType)) return 'LinkedIn takes JPEG, PNG and GIF images';
  if ((facts.width ?? 0) * (facts.height ?? 0) > IMAGE_MAX_PIXELS) return `The image has more than ${IMAGE_MAX_PIXELS} pixels`;
  return undefined;
}
