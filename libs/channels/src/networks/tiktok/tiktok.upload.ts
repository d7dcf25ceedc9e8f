/**
 * A video sent to TikTok by `FILE_UPLOAD`: `video/init/` is told the file's
 * size, its chunk size and how many chunks (TikTok's rules: chunks of 5 to
 * 64 MB, sent in order; the count is the size divided by the chunk size,
 * rounded down, the last chunk taking the trailing bytes, up to 128 MB; a
 * file under 5 MB in one chunk; 1 to 1,000 chunks), and answers an
 * `upload_url`, valid an hour, where each chunk goes by `PUT` with its
 * `Content-Range` and `Content-Type` (206 for a chunk, 201 once the file is
 * whole). Where an upload stopped is read from the publish's status
 * (`uploaded_bytes`), so a retry sends only what TikTok does not hold.
 * Source: developers.tiktok.com `/doc/content-posting-api-media-transfer-guide`.
 */
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { NetworkClient } from '../../http/network-client';

/** Herald's chunk: within TikTok's 5 to 64 MB, and 4 GB in 512 chunks (TikTok takes 1,000). */
export const TIKTOK_CHUNK_BYTES = 8 * 1024 * 1024;
/** How long TikTok keeps an upload URL [unverified: "valid for one hour", from the media transfer guide]. */
export const TIKTOK_UPLOAD_URL_TTL_MS = 3_600_000;

export interface ChunkPlan {
  videoSize: number;
  chunkSize: number;
  totalChunkCount: number;
}

/** The chunks of a file of `size` bytes: one when it fits in a chunk, else whole chunks with the rest in the last. */
export function chunkPlan(size: number): ChunkPlan {
  if (size <= TIKTOK_CHUNK_BYTES) return { videoSize: size, chunkSize: size, totalChunkCount: 1 };
  return { videoSize: size, chunkSize: TIKTOK_CHUNK_BYTES, totalChunkCount: Math.floor(size / TIKTOK_CHUNK_BYTES) };
}

/** Bytes `[start, end)` of chunk `index`; the last takes the trailing bytes. */
export function chunkRange(plan: ChunkPlan, index: number): { start: number; end: number } {
  const start = index * plan.chunkSize;
  return { start, end: index === plan.totalChunkCount - 1 ? plan.videoSize : start + plan.chunkSize };
}

/** `source_info` of a `FILE_UPLOAD`. */
export function uploadSource(plan: ChunkPlan): Record<string, unknown> {
  return { source: 'FILE_UPLOAD', video_size: plan.videoSize, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunkCount };
}

/**
 * Sends the chunks TikTok does not hold yet (from the one holding byte
 * `held`) to `uploadUrl`. A chunk whose answer is lost is not guessed at:
 * `whereNow` asks TikTok what it holds, and the upload goes on from there
 * (a few times an attempt; the next attempt resumes again).
 */
export async function sendChunks(api: NetworkClient, uploadUrl: string, video: PublishableMedia, held: number, whereNow: () => Promise<number | undefined>): Promise<void> {
  const plan = chunkPlan(video.size);
  let index = firstMissing(plan, held);
  let resumes = 0;
  while (index < plan.totalChunkCount) {
    const { start, end } = chunkRange(plan, index);
    try {
      await api.put(uploadUrl, { bytes: await video.readRange(start, end), contentType: video.mimeType }, { 'content-range': `bytes ${start}-${end - 1}/${plan.videoSize}` });
      index += 1;
    } catch (error) {
      if (!(error instanceof NetworkError) || error.errorClass !== 'transient' || resumes >= 3) throw error;
      resumes += 1;
      const now = await whereNow();
      if (now === undefined) throw error;
      index = firstMissing(plan, now);
    }
  }
}

/** The first chunk TikTok does not hold all of, given the bytes it holds (chunks are taken whole, in order). */
function firstMissing(plan: ChunkPlan, held: number): number {
  if (held >= plan.videoSize) return plan.totalChunkCount;
  return Math.min(Math.floor(held / plan.chunkSize), plan.totalChunkCount - 1);
}
