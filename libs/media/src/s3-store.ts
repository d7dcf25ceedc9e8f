/**
 * Media files in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph, ...),
 * under `S3_PREFIX/` when one is set. Objects are content-addressed and never
 * change, so a put of a key already stored does nothing, and two puts of one
 * key racing each other write the same bytes.
 *
 * Checksums are sent and checked only where an operation requires them
 * (`WHEN_REQUIRED`): the SDK's default streams uploads as `aws-chunked` with a
 * trailing CRC32, which servers that do not know it (older MinIO and Ceph,
 * s3rver) store framing and all, so the object is not the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Settings } from './media-config';
import { ByteRange, MediaNotStored, MediaStore, StoredObject } from './media-store';

/** Attempts of one upload: the SDK does not retry a streamed body, so a put opens the file afresh for each. */
const PUT_ATTEMPTS = 3;

export class S3MediaStore implements MediaStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly where: string;

  constructor(settings: S3Settings, client?: S3Client) {
    this.bucket = settings.bucket;
    this.prefix = settings.prefix.replace(/^\/+|\/+$/g, '');
    this.where = settings.endpoint ?? `AWS S3 (${settings.region})`;
    this.client = client ?? new S3Client(s3ClientConfig(settings));
  }

  async put(key: string, path: string, contentType: string): Promise<void> {
    const objectKey = this.objectKey(key);
    if (await this.stat(key)) return;
    const { size } = await stat(path);
    for (let attempt = 1; ; attempt++) {
      const body = createReadStream(path);
      try {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: body, ContentLength: size, ContentType: contentType }),
        );
        return;
      } catch (error) {
        if (attempt >= PUT_ATTEMPTS || !transient(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      } finally {
        body.destroy();
      }
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const objectKey = this.objectKey(key);
    if (range && range.end <= range.start) {
      if (!(await this.stat(key))) throw new MediaNotStored(key);
      return Readable.from([]);
    }
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: objectKey, ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}) }),
      );
      if (!(object.Body instanceof Readable)) throw new Error(`S3 answered ${objectKey} without a readable body`);
      return range ? exactly(object.Body, range, object.ContentRange) : object.Body;
    } catch (error) {
      if (missing(error)) throw new MediaNotStored(key);
      // A range starting past the end: none of the bytes, as a file gives.
      if (range && (error as S3ServiceException).$metadata?.httpStatusCode === 416) return Readable.from([]);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (!missing(error)) throw error;
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = (error as S3ServiceException).$metadata?.httpStatusCode;
      const reason =
        status === 404
          ? 'it does not exist'
          : status === 403
            ? 'access denied (check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)'
            : `${(error as Error).name}: ${(error as Error).message}${status ? ` (HTTP ${status})` : ''}`;
      throw new Error(`S3 bucket "${this.bucket}" at ${this.where} cannot be used: ${reason}`, { cause: error });
    }
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }

  /**
   * The object key of a media key, under the prefix. Keys are refused as the
   * folder refuses them: a `..` or `.` segment is resolved away by some
   * servers and proxies (s3rver stores `p/../k` as `k`), so it could leave the prefix.
   */
  private objectKey(key: string): string {
    if (!/^[a-z0-9][a-z0-9/._-]*$/i.test(key) || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`Not a media key: ${key}`);
    }
    return this.prefix ? `${this.prefix}/${key}` : key;
  }
}

/** The client of these settings: path-style for most S3-compatible servers, checksums only where required. */
export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/**
 * The bytes of `range` out of a ranged GET's body. Servers may send more
 * than asked (HTTP lets one ignore Range and answer 200 with the whole
 * object; s3rver answers `bytes=0-0` with all of it), so unless the
 * Content-Range is the one asked for, the body is cut to the range here.
 */
function exactly(body: Readable, range: ByteRange, contentRange: string | undefined): Readable {
  const sent = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange ?? '');
  const from = sent ? Number(sent[1]) : 0;
  if (sent && from === range.start && Number(sent[2]) <= range.end - 1) return body;
  if (from > range.start) {
    body.destroy();
    throw new Error(`S3 sent bytes from ${from} for a range from ${range.start}`);
  }
  let skip = range.start - from;
  let left = range.end - range.start;
  return Readable.from(
    (async function* () {
      for await (const chunk of body) {
        let bytes = chunk as Buffer;
        if (skip > 0) {
          const skipped = Math.min(skip, bytes.length);
          bytes = bytes.subarray(skipped);
          skip -= skipped;
        }
        if (bytes.length === 0) continue;
        if (bytes.length >= left) {
          yield bytes.subarray(0, left);
          return;
        }
        left -= bytes.length;
        yield bytes;
      }
    })(),
    { objectMode: false },
  );
}

/** No such object (a missing bucket answers a HEAD with a bare 404 too; `check()` tells them apart at start). */
function missing(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NotFound' || name === 'NoSuchKey' || (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode === 404;
}

const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** A failure worth another attempt: the network, throttling, or the server's own (5xx). */
function transient(error: unknown): boolean {
  const status = (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  return NETWORK_ERRORS.has((error as NodeJS.ErrnoException).code ?? '') || (error as Error).name === 'TimeoutError';
}
