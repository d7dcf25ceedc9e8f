/**
 * Where media files live: one small interface, a folder by default
 * (`FolderMediaStore`), S3-compatible object storage when configured
 * (`S3MediaStore`). Keys are content addresses (`sha256/ab/cd/<hash>`): the
 * same bytes are stored once, and an object, once written, never changes.
 */
import { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
}

export interface ByteRange {
  /** Inclusive. */
  start: number;
  /** Exclusive. */
  end: number;
}

export interface MediaStore {
  /** `folder` or `s3`, for logs and /health. */
  readonly kind: string;
  /** Stores the file at `path` (a finished local file) under `key`; a key already stored is left as it is. */
  put(key: string, path: string, contentType: string): Promise<void>;
  /** The object's size, or undefined when there is none under `key`. */
  stat(key: string): Promise<StoredObject | undefined>;
  /** The object's bytes, or `range` of them; rejects with `MediaNotStored` when there is none. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; a key with none is fine. */
  delete(key: string): Promise<void>;
  /** Resolves when the store can be written and read (the folder exists, the bucket answers). */
  check(): Promise<void>;
}

export class MediaNotStored extends Error {
  constructor(readonly key: string) {
    super(`No media file is stored under ${key}`);
    this.name = 'MediaNotStored';
  }
}

/** The key of a file with this SHA-256 (hex), spread over two levels of folders. */
export function contentKey(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** All of a readable, as one Buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
