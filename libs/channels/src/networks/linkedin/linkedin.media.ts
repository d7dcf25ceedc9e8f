/**
 * LinkedIn's media: an image is registered (`/rest/images?action=initializeUpload`),
 * its bytes PUT to the upload URL LinkedIn hands out, then read until
 * `AVAILABLE`; a video is registered with its size, PUT in the byte ranges
 * LinkedIn names (each part's `etag` collected), finalized, then read until
 * `AVAILABLE`. Each URN is kept as its item's upload once its bytes are
 * sent, so a retry reads the kept one's status instead of uploading again.
 */
import { PublishRequest } from '../../adapter';
import { Processing, pollUntil } from '../../base-adapter';
import { PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';

/** Waits between status reads: an image is usually ready at the second read, a video takes longer. */
const STATUS_WAITS_MS = [300, 1000, 2000, 4000, 8000];

const OCTETS = 'application/octet-stream';

export class LinkedInMedia {
  constructor(
    private readonly api: NetworkClient,
    private readonly request: PublishRequest,
    private readonly headers: Record<string, string>,
    private readonly owner: string,
  ) {}

  /**
   * The items' URNs, in order, each AVAILABLE: the one an earlier try kept,
   * else a new upload. All are sent before any is waited for, so LinkedIn
   * processes them together. A kept one LinkedIn no longer knows (404) is
   * uploaded again.
   */
  async urnsOf(items: PublishableMedia[]): Promise<string[]> {
    const urns: Array<{ urn: string; kept: boolean }> = [];
    for (const item of items) {
      const kept = this.request.uploads.get(item.key);
      urns.push(kept !== undefined ? { urn: kept, kept: true } : { urn: await this.upload(item), kept: false });
    }
    const available: string[] = [];
    for (const [index, item] of items.entries()) {
      const what = `${item.type === 'video' ? 'Video' : 'Image'} ${index + 1} of ${items.length}`;
      const { urn, kept } = urns[index]!;
      try {
        available.push(await this.available(item, urn, what));
      } catch (error) {
        if (!(kept && error instanceof NetworkError && error.httpStatus === 404)) throw error;
        available.push(await this.available(item, await this.upload(item), what));
      }
    }
    return available;
  }

  /** Sends the item's bytes; its URN is kept as soon as they are. */
  private async upload(item: PublishableMedia): Promise<string> {
    const urn = item.type === 'video' ? await this.uploadVideo(item) : await this.uploadImage(item);
    await this.request.uploads.keep(item.key, urn);
    return urn;
  }

  private async uploadImage(item: PublishableMedia): Promise<string> {
    const reply = await this.api.post('/rest/images', { initializeUploadRequest: { owner: this.owner } }, { query: { action: 'initializeUpload' }, headers: this.headers });
    const uploadUrl = field(reply.body, 'value', 'uploadUrl');
    const urn = field(reply.body, 'value', 'image');
    if (!uploadUrl || !urn) throw badAnswer('an image upload without its upload URL or URN');
    await this.api.put(uploadUrl, { bytes: await item.read(), contentType: OCTETS });
    return urn;
  }

  private async uploadVideo(item: PublishableMedia): Promise<string> {
    const reply = await this.api.post(
      '/rest/videos',
      { initializeUploadRequest: { owner: this.owner, fileSizeBytes: item.size, uploadCaptions: false, uploadThumbnail: false } },
      { query: { action: 'initializeUpload' }, headers: this.headers },
    );
    const urn = field(reply.body, 'value', 'video');
    const parts = uploadParts(list(reply.body, 'value', 'uploadInstructions'), item.size);
    if (!urn) throw badAnswer('a video upload without its URN');
    const etags: string[] = [];
    for (const part of parts) {
      const put = await this.api.put(part.uploadUrl, { bytes: await item.readRange(part.start, part.end), contentType: OCTETS });
      const etag = put.headers.get('etag');
      if (!etag) throw badAnswer('a video part without its etag');
      etags.push(etag);
    }
    await this.api.post(
      '/rest/videos',
      { finalizeUploadRequest: { video: urn, uploadToken: field(reply.body, 'value', 'uploadToken') ?? '', uploadedPartIds: etags } },
      { query: { action: 'finalizeUpload' }, headers: this.headers },
    );
    return urn;
  }

  /** Reads the URN's status until LinkedIn has processed it (within the claim's deadline). */
  private available(item: PublishableMedia, urn: string, what: string): Promise<string> {
    const kind = item.type === 'video' ? 'videos' : 'images';
    let reads = 0;
    return pollUntil(this.request, `${what} (on LinkedIn)`, async () => {
      const reply = await this.api.get(`/rest/${kind}/${encodeURIComponent(urn)}`, undefined, this.headers);
      return mediaReadiness(reply.body, urn, what, reads++);
    });
  }
}

/** One part of a video upload: bytes `start` (inclusive) to `end` (exclusive) to `uploadUrl`. */
export interface UploadPart {
  uploadUrl: string;
  start: number;
  end: number;
}

/**
 * LinkedIn's upload instructions (`firstByte` and `lastByte` inclusive) as
 * byte ranges, checked to cover the file exactly once in order: a part
 * missed or overlapped would be a broken video on LinkedIn's side.
 */
export function uploadParts(instructions: unknown[], size: number): UploadPart[] {
  const parts = instructions.map((instruction) => ({
    uploadUrl: field(instruction, 'uploadUrl') ?? '',
    start: Number(field(instruction, 'firstByte')),
    end: Number(field(instruction, 'lastByte')) + 1,
  }));
  let next = 0;
  for (const part of parts) {
    if (!part.uploadUrl || part.start !== next || !(part.end > part.start)) throw badAnswer('video upload instructions that do not cover the file in order');
    next = part.end;
  }
  if (next !== size) throw badAnswer(`video upload instructions for ${next} bytes, not the file's ${size}`);
  return parts;
}

/** What one status read of an image or video means: AVAILABLE, read again after a wait, or refused with LinkedIn's reason. */
export function mediaReadiness(body: unknown, urn: string, what: string, reads: number): Processing<string> {
  const status = field(body, 'status');
  if (status === 'AVAILABLE') return { done: urn };
  if (status === 'PROCESSING_FAILED') {
    const reason = field(body, 'processingFailureReason') ?? field(body, 'failureReason');
    throw new NetworkError('rejected', 'media_rejected', `${what} could not be processed by LinkedIn${reason ? `: ${reason}` : ''}`);
  }
  // PROCESSING, WAITING_UPLOAD (the bytes not yet seen): read again.
  return { waitMs: STATUS_WAITS_MS[Math.min(reads, STATUS_WAITS_MS.length - 1)]! };
}

/** An answer without what it must carry: nothing was posted yet, so not ambiguous. */
function badAnswer(what: string): NetworkError {
  return new NetworkError('transient', 'bad_answer', `LinkedIn answered ${what}`);
}
