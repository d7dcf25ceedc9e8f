/**
 * The media library's one home for what happens to a file: taken in (an
 * upload's stream or an imported URL: received, measured, thumbnailed,
 * stored once by content hash, recorded for the workspace), fitted to a
 * network (a derived version made once and kept), read back for a
 * network's upload, and purged when nothing needs it. The API and the
 * worker both use it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { FitPlan } from '@herald/channels';
import { Executor, MediaRecord, MediaRepository, SYSTEM, StoredFile, Tenant, inTransaction } from '@herald/db';
import { createReadStream } from 'node:fs';
import { DecodeGate, DecodeLimits, Decoding } from './decode-limits';
import { fitImage, thumbnailOf } from './derive';
import { Caps, Claimed, Received, receive } from './intake';
import { MediaImporter } from './importer';
import { MediaRefused } from './media-errors';
import { ByteRange, MediaNotStored, MediaStore, contentKey, readAll } from './media-store';
import { extensionOf } from './media-types';
import { probeFile } from './probe';

export interface Ingested {
  media: MediaRecord;
  /** False when the workspace had these bytes already (the existing row is answered). */
  created: boolean;
}

/** A derived file waiting in a temporary file to be stored. */
interface Derived {
  file: StoredFile;
  path: string;
  discard(): Promise<void>;
}

export class MediaLibrary {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: MediaRepository,
    readonly store: MediaStore,
    private readonly importer: MediaImporter,
    private readonly caps: Caps & DecodeLimits,
  ) {
    this.decoding = { maxImagePixels: caps.maxImagePixels, gate: new DecodeGate(caps.decodeConcurrency) };
  }

  /** The pixel cap, and this process's one gate on image decoding (MEDIA_DECODE_CONCURRENCY). */
  readonly decoding: Decoding;

  /** A file from an upload's stream. */
  async upload(tenant: Tenant, stream: Readable, claimed: Claimed): Promise<Ingested> {
    const received = await receive(stream, this.caps, claimed);
    return this.keep(tenant, received, { filename: claimed.filename ?? null, sourceUrl: null });
  }

  /** A file fetched from a URL (under the URL policy). */
  async import(tenant: Tenant, url: string): Promise<Ingested> {
    const fetched = await this.importer.fetch(url);
    return this.keep(tenant, fetched, { filename: fetched.filename ?? null, sourceUrl: url });
  }

  /**
   * Measures a received file and keeps it: stored under its content key
   * (once, whoever else has the same bytes) with its thumbnail, and recorded
   * for the workspace, under the locks of both files' hashes so a purge of
   * the same bytes (or of another media with the same thumbnail) cannot
   * remove either between the two. The temporary files go in every case.
   */
  private async keep(tenant: Tenant, received: Received, origin: { filename: string | null; sourceUrl: string | null }): Promise<Ingested> {
    let made: Derived | null = null;
    try {
      const existing = await this.repository.findBySha256(tenant, received.sha256);
      if (existing && (await this.store.stat(existing.storageKey))) return { media: existing, created: false };
      const probed = await probeFile(received.path, received.mimeType, this.decoding);
      made = probed.kind === 'image' ? await this.derive(() => thumbnailOf(received.path, this.decoding)) : null;
      const thumbnail = made?.file ?? null;
      const key = contentKey(received.sha256);
      return await inTransaction(this.dataSource, async (tx) => {
        await this.lockFiles([key, ...(thumbnail ? [thumbnail.key] : [])], tx);
        await this.store.put(key, received.path, received.mimeType);
        if (made) await this.store.put(made.file.key, made.path, made.file.mimeType);
        const again = await this.repository.findBySha256(tenant, received.sha256, tx);
        if (again) return { media: again, created: false };
        const media = await this.repository.insert(
          tenant,
          {
            id: randomUUID(),
            sha256: received.sha256,
            storageKey: key,
            mimeType: probed.mimeType,
            kind: probed.kind,
            size: received.size,
            width: probed.width,
            height: probed.height,
            durationMs: probed.durationMs,
            animated: probed.animated,
            orientation: probed.orientation,
            filename: origin.filename?.slice(0, 255) ?? null,
            sourceUrl: origin.sourceUrl,
            thumbnail,
          },
          tx,
        );
        return { media: media!, created: true };
      });
    } finally {
      await received.discard();
      await made?.discard();
    }
  }

  /**
   * The version of an image made to fit `plan` (derived once, then kept with
   * the media); the same plan later answers the kept one, made again only if
   * its file went missing. Stored and recorded under its hash's lock, so the
   * purge of another media with the same version cannot remove it between.
   */
  async fit(tenant: Tenant, media: MediaRecord, plan: FitPlan): Promise<StoredFile> {
    const kept = media.derivatives[plan.key];
    if (kept && (await this.store.stat(kept.key))) return kept;
    const original = await this.localCopy(media.storageKey);
    let made: Derived | undefined;
    try {
      made = await this.derive(() => fitImage(original.path, media.width ?? 1, media.height ?? 1, plan, this.decoding));
      const { file, path } = made;
      await inTransaction(this.dataSource, async (tx) => {
        await this.lockFiles([file.key], tx);
        await this.store.put(file.key, path, file.mimeType);
        await this.repository.addDerivative(tenant, media.id, plan.key, file, tx);
      });
      media.derivatives[plan.key] = file;
      return file;
    } finally {
      await original.discard();
      await made?.discard();
    }
  }

  /** The original as a stored file. */
  originalOf(media: MediaRecord): StoredFile {
    return { key: media.storageKey, mimeType: media.mimeType, size: media.size, ...(media.width ? { width: media.width } : {}), ...(media.height ? { height: media.height } : {}) };
  }

  /** The file name a link or an upload uses: its content hash and its type's extension. */
  fileName(file: StoredFile): string {
    return `${file.key.split('/').pop()}.${extensionOf(file.mimeType)}`;
  }

  /** Which of a media's files `name` (`<sha256>.<ext>`) is: the original, its thumbnail or a derived version; undefined for any other. */
  fileNamed(media: MediaRecord, name: string): StoredFile | undefined {
    const files = [this.originalOf(media), ...(media.thumbnail ? [media.thumbnail] : []), ...Object.values(media.derivatives)];
    return files.find((file) => this.fileName(file) === name);
  }

  read(file: StoredFile, range?: ByteRange): Promise<Readable> {
    return this.store.read(file.key, range);
  }

  async readAll(file: StoredFile, range?: ByteRange): Promise<Buffer> {
    return readAll(await this.store.read(file.key, range));
  }

  /**
   * Removes deleted media for good: each row, and each of its files (the
   * original, the thumbnail, the derived versions) that no other row names:
   * another workspace may have the same bytes, and another media the same
   * thumbnail or version (the same picture encoded twice). Under the locks
   * of every file's hash, which uploads and fits take too. Answers how many
   * rows went.
   */
  async purgeDeleted(limit: number): Promise<number> {
    let purged = 0;
    for (const media of await this.repository.deleted(SYSTEM, limit)) {
      await inTransaction(this.dataSource, async (tx) => {
        const keys = [...new Set([this.originalOf(media), ...(media.thumbnail ? [media.thumbnail] : []), ...Object.values(media.derivatives)].map((file) => file.key))];
        await this.lockFiles(keys, tx);
        const named = new Set(await this.repository.namedElsewhere(SYSTEM, media.id, keys, tx));
        for (const key of keys) if (!named.has(key)) await this.store.delete(key);
        if (await this.repository.purge(SYSTEM, media.id, tx)) purged += 1;
      });
    }
    return purged;
  }

  /** Takes the locks of stored files' content hashes (the last part of each key), in one order so two takers never deadlock. */
  private async lockFiles(keys: string[], tx: Executor): Promise<void> {
    for (const sha256 of [...new Set(keys.map((key) => key.split('/').pop()!))].sort()) await this.repository.lockSha256(SYSTEM, sha256, tx);
  }

  /** Marks as deleted the media nothing unfinished uses and nothing used for `retentionMs`. */
  async expireUnused(retentionMs: number, limit: number, now: Date = new Date()): Promise<number> {
    if (retentionMs <= 0) return 0;
    return (await this.repository.expireUnused(SYSTEM, new Date(now.getTime() - retentionMs), limit)).length;
  }

  /** A derived file in a temporary file, measured and named by its content key (the caller stores it, then discards it). */
  private async derive(make: () => Promise<{ path: string; mimeType: string; size: number; width: number; height: number }>): Promise<Derived> {
    const derived = await make();
    try {
      const key = contentKey(await sha256Of(derived.path));
      return {
        file: { key, mimeType: derived.mimeType, size: derived.size, width: derived.width, height: derived.height },
        path: derived.path,
        discard: () => rm(derived.path, { force: true }),
      };
    } catch (error) {
      await rm(derived.path, { force: true });
      throw error;
    }
  }

  /** A stored file copied to a temporary local file (sharp reads files; the store may be S3). */
  private async localCopy(key: string): Promise<Received> {
    try {
      return await receive(await this.store.read(key), { maxImageBytes: Number.MAX_SAFE_INTEGER, maxVideoBytes: Number.MAX_SAFE_INTEGER });
    } catch (error) {
      if (error instanceof MediaNotStored) throw new MediaRefused(422, 'media_missing', 'The media file is no longer in the media store');
      throw error;
    }
  }
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
