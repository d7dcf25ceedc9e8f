/**
 * Media files in a folder (`MEDIA_DIR`, `.data/media` in the quick start):
 * written to a temporary name beside their place and renamed into it, so a
 * reader never sees half a file and a crash leaves none.
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ByteRange, MediaNotStored, MediaStore, StoredObject } from './media-store';

export class FolderMediaStore implements MediaStore {
  readonly kind = 'folder';
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, path: string): Promise<void> {
    const target = this.pathOf(key);
    if (await this.stat(key)) return;
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await copyFile(path, temporary);
      await rename(temporary, target);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const found = await stat(this.pathOf(key));
      return found.isFile() ? { size: found.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.stat(key))) throw new MediaNotStored(key);
    if (range && range.end <= range.start) return Readable.from([]);
    return createReadStream(path, range ? { start: range.start, end: range.end - 1 } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const probe = join(this.root, `.check-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  }

  /** The file of a key; a key that would leave the folder is refused. */
  private pathOf(key: string): string {
    if (!/^[a-z0-9][a-z0-9/._-]*$/i.test(key) || key.includes('..')) throw new Error(`Not a media key: ${key}`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`Not a media key: ${key}`);
    return path;
  }
}
