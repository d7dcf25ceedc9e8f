/**
 * A workspace's media library over HTTP: uploads (multipart, streamed to
 * the intake as they arrive) and imports by URL, lists, one file, its bytes
 * and thumbnail, and removal (refused while a post may still send it).
 */
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import busboy from 'busboy';
import { Readable } from 'node:stream';
import { MediaRecord, MediaRepository, Tenant } from '@herald/db';
import { MediaLibrary, MediaRefused } from '@herald/media';
import { AccessService, AuthContext } from '../access';
import { Page, decodeCursor, encodeCursor } from '../common/pagination';
import { Conflict, MalformedRequest, NotFound, Problem } from '../common/problems';
import { MediaView, toMediaView } from './media-view';

@Injectable()
export class MediaService {
  constructor(
    private readonly library: MediaLibrary,
    private readonly media: MediaRepository,
    private readonly access: AccessService,
  ) {}

  /** `multipart/form-data` with one `file` part, or JSON `{url}`. Answers the media and whether it is new. */
  async create(auth: AuthContext, request: Request): Promise<{ view: MediaView; created: boolean }> {
    const tenant = this.access.tenant(auth, 'media.write');
    const ingested = request.is('multipart/form-data') ? await this.fromMultipart(tenant, request) : await this.fromUrl(tenant, request.body as unknown);
    return { view: toMediaView(ingested.media, true), created: ingested.created };
  }

  async list(auth: AuthContext, limit = 50, cursor?: string): Promise<Page<MediaView>> {
    const tenant = this.access.tenant(auth, 'media.read');
    const rows = await this.media.page(tenant, decodeCursor(cursor), limit + 1);
    const data = rows.slice(0, limit);
    return { data: data.map((media) => toMediaView(media)), nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1]!) : null };
  }

  async get(auth: AuthContext, id: string): Promise<MediaView> {
    return toMediaView(await this.find(this.access.tenant(auth, 'media.read'), id), true);
  }

  /** The media and the file to send: its original or its thumbnail. */
  async file(auth: AuthContext, id: string, which: 'original' | 'thumbnail'): Promise<{ media: MediaRecord; file: NonNullable<MediaRecord['thumbnail']> }> {
    const media = await this.find(this.access.tenant(auth, 'media.read'), id);
    if (which === 'thumbnail') {
      if (!media.thumbnail) throw new NotFound('Thumbnail of media', id);
      return { media, file: media.thumbnail };
    }
    return { media, file: this.library.originalOf(media) };
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'media.write');
    await this.find(tenant, id);
    const posts = await this.media.usedBy(tenant, id);
    if (posts.length > 0) {
      throw new Conflict(`Media ${id} is used by ${posts.length === 10 ? 'at least 10 posts' : `${posts.length} post${posts.length === 1 ? '' : 's'}`} not yet published (${posts.join(', ')}); remove it from them or cancel them first`);
    }
    if (!(await this.media.remove(tenant, id))) throw new NotFound('Media', id);
  }

  private async find(tenant: Tenant, id: string): Promise<MediaRecord> {
    const media = await this.media.find(tenant, id);
    if (!media) throw new NotFound('Media', id);
    return media;
  }

  private async fromUrl(tenant: Tenant, body: unknown) {
    const url = (body as { url?: unknown } | undefined)?.url;
    const extra = body && typeof body === 'object' ? Object.keys(body).filter((key) => key !== 'url') : [];
    if (typeof url !== 'string' || url.length === 0) {
      throw new MalformedRequest('Send the file as multipart/form-data (a "file" part), or JSON {"url": "https://..."} to import one', [{ path: 'url', message: 'is required' }]);
    }
    if (extra.length > 0) throw new MalformedRequest(`property ${extra[0]} should not exist`, [{ path: extra[0]!, message: 'should not exist' }]);
    if (url.length > 2048) throw new MalformedRequest('url must be at most 2048 characters', [{ path: 'url', message: 'must be at most 2048 characters' }]);
    return this.refusedAsProblem(() => this.library.import(tenant, url), 'url');
  }

  /**
   * Streams the one `file` part into the library as it arrives. A second
   * file, an unknown part or no file at all is a 400; the request's other
   * bytes are not read once the answer is decided.
   */
  private fromMultipart(tenant: Tenant, request: Request): Promise<Awaited<ReturnType<MediaLibrary['upload']>>> {
    return new Promise((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: request.headers, limits: { files: 1, fields: 4, fieldSize: 1024, parts: 6, fileSize: Number.MAX_SAFE_INTEGER } });
      } catch (error) {
        return reject(new MalformedRequest(`The multipart body cannot be read: ${(error as Error).message}`));
      }
      let upload: Promise<Awaited<ReturnType<MediaLibrary['upload']>>> | undefined;
      let settled = false;
      // The first refusal answers at once: the rest of the body is drained, never parsed.
      const stop = (problem: Problem) => {
        if (settled) return;
        settled = true;
        request.unpipe(parser);
        request.resume();
        reject(problem);
      };
      parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
        if (name !== 'file' || upload) {
          stream.resume();
          return stop(new MalformedRequest(upload ? 'Send one file per request' : `The file goes in a part named "file" (got "${name}")`, [{ path: name, message: 'is not a file part this route takes' }]));
        }
        upload = this.refusedAsProblem(() => this.library.upload(tenant, stream, { filename: info.filename, contentType: info.mimeType }), 'file');
        upload.catch((error: unknown) => stop(error instanceof Problem ? error : new MalformedRequest(String(error))));
      });
      parser.on('filesLimit', () => stop(new MalformedRequest('Send one file per request')));
      parser.on('partsLimit', () => stop(new MalformedRequest('Too many parts: send one "file" part')));
      parser.on('error', (error: Error) => stop(new MalformedRequest(`The multipart body cannot be read: ${error.message}`)));
      parser.on('close', () => {
        if (settled) return;
        if (!upload) return stop(new MalformedRequest('The multipart body has no "file" part', [{ path: 'file', message: 'is required' }]));
        upload.then(
          (done) => {
            if (settled) return;
            settled = true;
            resolve(done);
          },
          () => undefined, // answered by stop()
        );
      });
      request.on('aborted', () => stop(new MalformedRequest('The upload was interrupted')));
      request.pipe(parser);
    });
  }

  /** The library's refusals as the API's problems, naming the field. */
  private async refusedAsProblem<T>(work: () => Promise<T>, path: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof MediaRefused) throw new Problem(error.status, titleOf(error.status), error.message, [{ path, message: error.message }]);
      throw error;
    }
  }
}

function titleOf(status: number): string {
  return { 400: 'Malformed request', 404: 'Not found', 409: 'Conflict', 413: 'Payload too large', 415: 'Unsupported media type', 422: 'Unprocessable request' }[status] ?? 'Unprocessable request';
}
