/**
 * TikTok's `FILE_UPLOAD` at the mock's TikTok origin: `video/init/` with
 * `source_info.source = FILE_UPLOAD` is judged by TikTok's chunk rules
 * (`video_size`, `chunk_size` of 5 to 64 MB, or the whole file under 5 MB
 * or when it is one chunk; `total_chunk_count` the size divided by the chunk
 * size, rounded down, 1 to 1,000; the last chunk up to 128 MB) and answered
 * with an `upload_url` on this origin, valid an hour. `PUT` to it with
 * `Content-Range: bytes a-b/total` and a video `Content-Type` takes the
 * chunks in order (206, 201 once the file is whole; a chunk it holds
 * already is taken once), counting every byte received, resent ones
 * included, so a test can tell a resumed upload from a restarted one.
 * Source: developers.tiktok.com `/doc/content-posting-api-media-transfer-guide`.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ContentRefused, NetworkFace, Principal } from '../../gate';
import { Answer, headerOf, queryOf, send } from '../../http/answer';
import { MockWorld } from '../../world';
import { tiktokBody } from './tiktok.face';

const MB = 1024 * 1024;
const MIN_CHUNK = 5 * MB;
const MAX_CHUNK = 64 * MB;
const MAX_LAST_CHUNK = 128 * MB;
const MAX_CHUNKS = 1000;
const URL_TTL_MS = 3_600_000;
export const UPLOAD_PATH = '/upload/video/';

/** One file being uploaded for a publish: what it will be, what it holds. */
export interface VideoUpload {
  account: Principal;
  videoSize: number;
  chunkSize: number;
  totalChunkCount: number;
  chunks: Buffer[];
  held: number;
  /** Every byte received, chunks sent again included. */
  bytesReceived: number;
  expiresAt: number;
  contentType?: string;
}

/** The upload a FILE_UPLOAD `source_info` asks for, judged by TikTok's chunk rules. */
export function uploadOf(account: Principal, source: Record<string, unknown>, refuse: (message: string) => Error): VideoUpload {
  const { video_size: videoSize, chunk_size: chunkSize, total_chunk_count: count } = source;
  if (!isWhole(videoSize) || videoSize < 1) throw refuse('source_info.video_size must be a positive number of bytes');
  if (!isWhole(chunkSize) || !isWhole(count)) throw refuse('source_info.chunk_size and total_chunk_count are required for FILE_UPLOAD');
  const single = chunkSize === videoSize && count === 1;
  if (videoSize < MIN_CHUNK && !single) throw refuse('A video under 5 MB is uploaded whole: chunk_size must be video_size and total_chunk_count 1');
  if (!single && (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK)) throw refuse('chunk_size must be 5 MB to 64 MB');
  if (single && videoSize > MAX_CHUNK) throw refuse('A video over 64 MB must be uploaded in several chunks');
  if (count !== Math.max(1, Math.floor(videoSize / chunkSize)) || count > MAX_CHUNKS) throw refuse('total_chunk_count must be video_size divided by chunk_size, rounded down (1 to 1000)');
  if (videoSize - (count - 1) * chunkSize > MAX_LAST_CHUNK) throw refuse('The last chunk would be over 128 MB');
  return { account, videoSize, chunkSize, totalChunkCount: count, chunks: [], held: 0, bytesReceived: 0, expiresAt: Date.now() + URL_TTL_MS };
}

/**
 * `PUT {upload_url}`: the URL is the credential (no token), so the account is
 * the upload's. `whole` is told once the file is whole.
 */
export function registerTikTokUploads(app: FastifyInstance, world: MockWorld, face: NetworkFace, uploads: Map<string, VideoUpload>, whole: (upload: VideoUpload, bytes: Buffer) => void): void {
  const refuse = (message: string) => new ContentRefused(message, { status: 400, body: tiktokBody({}, 'invalid_params', message) });
  app.put(UPLOAD_PATH, (request, reply) => {
    const upload = uploads.get(`${queryOf(request).upload_id ?? ''}:${queryOf(request).upload_token ?? ''}`);
    if (!upload || upload.expiresAt <= Date.now()) {
      world.calls.note(request, {});
      return send(reply, { status: 404, body: tiktokBody({}, 'invalid_params', 'The upload URL is invalid or has expired') });
    }
    return world.gate.run(face, request, reply, () => take(upload, request, refuse, whole), { account: upload.account });
  });
}

/** A new upload's URL on this origin, and the key it is found by. */
export function uploadUrlOf(world: MockWorld): { url: string; key: string } {
  const id = randomBytes(9).toString('hex');
  const token = randomBytes(12).toString('base64url');
  return { url: `${world.url('tiktok')}${UPLOAD_PATH}?upload_id=${id}&upload_token=${token}`, key: `${id}:${token}` };
}

function take(upload: VideoUpload, request: FastifyRequest, refuse: (message: string) => Error, whole: (upload: VideoUpload, bytes: Buffer) => void): Answer {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  upload.bytesReceived += body.length;
  const type = headerOf(request, 'content-type') ?? '';
  if (!/^video\/(mp4|webm|quicktime)$/.test(type)) throw refuse(`Content-Type must be the video's (video/mp4, video/webm or video/quicktime), not "${type}"`);
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headerOf(request, 'content-range') ?? '');
  if (!range) throw refuse('Content-Range must be "bytes {first}-{last}/{total}"');
  const [start, end, total] = range.slice(1).map(Number) as [number, number, number];
  if (total !== upload.videoSize) throw refuse(`Content-Range total ${total} is not the video_size ${upload.videoSize}`);
  if (end - start + 1 !== body.length) throw refuse(`Content-Range says ${end - start + 1} bytes; the request sent ${body.length}`);
  const index = Math.round(start / upload.chunkSize);
  const last = index === upload.totalChunkCount - 1;
  const expected = { start: index * upload.chunkSize, end: last ? upload.videoSize : (index + 1) * upload.chunkSize };
  if (start !== expected.start || end + 1 !== expected.end || index >= upload.totalChunkCount) throw refuse(`Chunk ${index + 1} must be bytes ${expected.start}-${expected.end - 1}`);
  if (start > upload.held) throw refuse(`Chunks are uploaded in order: TikTok holds ${upload.held} bytes`);
  // A chunk already held is taken once.
  if (end + 1 > upload.held) {
    upload.chunks.push(body.subarray(upload.held - start));
    upload.held = end + 1;
    upload.contentType = type;
  }
  if (upload.held < upload.videoSize) return { status: 206, body: '' };
  const bytes = Buffer.concat(upload.chunks);
  upload.chunks = [bytes];
  whole(upload, bytes);
  return { status: 201, body: '' };
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
