/**
 * What a file is, from its bytes: its type (`file-type`), and for images
 * their dimensions as displayed, EXIF orientation and whether they are
 * animated (`sharp`), for video its duration and dimensions (`mp4box`,
 * reading only the boxes it needs). A file Herald does not take, or cannot
 * read as what its bytes say, is a `MediaRefused`.
 */
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { Decoding, checkPixels } from './decode-limits';
import { MediaRefused } from './media-errors';
import { IMAGE_TYPES, kindOf } from './media-types';

export interface Probed {
  mimeType: string;
  kind: 'image' | 'video';
  width: number | null;
  height: number | null;
  durationMs: number | null;
  animated: boolean;
  orientation: number | null;
}

/** How many first bytes `detectType` needs (file-type's reasonable detection size). */
export const HEAD_BYTES = 4100;

/** The type of the bytes in `head` (the file's first bytes), or undefined when file-type does not know it. */
export async function detectType(head: Uint8Array): Promise<string | undefined> {
  // file-type is an ES module: loaded on first use (Node 24 requires ES modules synchronously; tsc keeps this a require).
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head);
  return found?.mime;
}

export async function probeFile(path: string, mimeType: string, decoding: Decoding): Promise<Probed> {
  const kind = kindOf(mimeType);
  if (!kind) throw new MediaRefused(415, 'media_type_unsupported', `Herald takes images as ${Object.keys(IMAGE_TYPES).join(', ')} and video as MP4 or MOV; this file is ${mimeType}`);
  return kind === 'image' ? probeImage(path, mimeType, decoding) : probeVideo(path, mimeType);
}

/**
 * The header first (dimensions, orientation, pages: no pixels decoded), and
 * an image larger than the process decodes is refused there; then the whole
 * image decoded, in its turn at the process's gate.
 */
async function probeImage(path: string, mimeType: string, decoding: Decoding): Promise<Probed> {
  const unreadable = (error: unknown) => new MediaRefused(422, 'media_unreadable', `The file looks like ${mimeType} but cannot be read as one (${(error as Error).message})`);
  let metadata;
  try {
    metadata = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(error);
  }
  checkPixels(metadata.width, metadata.height, decoding);
  try {
    // Decoding the whole image (not only its header) finds truncated and corrupt files before any network does.
    await decoding.gate.run(() => sharp(path, { limitInputPixels: decoding.maxImagePixels, failOn: 'truncated' }).stats());
  } catch (error) {
    throw unreadable(error);
  }
  const rotated = (metadata.orientation ?? 1) >= 5;
  const width = metadata.width ?? null;
  const height = metadata.height ?? null;
  return {
    mimeType,
    kind: 'image',
    width: rotated ? height : width,
    height: rotated ? width : height,
    durationMs: null,
    animated: (metadata.pages ?? 1) > 1,
    orientation: metadata.orientation ?? null,
  };
}

interface Mp4Info {
  duration: number;
  timescale: number;
  videoTracks: { video?: { width: number; height: number }; track_width: number; track_height: number }[];
}

/** Reads the ISO BMFF boxes mp4box asks for (it says where it wants to read next), at most 64 reads. */
async function probeVideo(path: string, mimeType: string): Promise<Probed> {
  const MP4Box = (await import('mp4box')) as unknown as { createFile(): Mp4File };
  const file = MP4Box.createFile();
  let info: Mp4Info | undefined;
  let failure: string | undefined;
  file.onReady = (found) => (info = found);
  file.onError = (message) => (failure = String(message));
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let position = 0;
    for (let reads = 0; reads < 64 && !info && !failure && position < size; reads += 1) {
      const length = Math.min(1024 * 1024, size - position);
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      const buffer = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + length) as ArrayBuffer & { fileStart: number };
      buffer.fileStart = position;
      const next = file.appendBuffer(buffer);
      position = typeof next === 'number' && next > position ? next : position + length;
    }
    file.flush();
  } finally {
    await handle.close();
  }
  const track = info?.videoTracks[0];
  if (!info || !track) throw new MediaRefused(422, 'media_unreadable', `The file looks like ${mimeType} but has no readable video track${failure ? ` (${failure})` : ''}`);
  return {
    mimeType,
    kind: 'video',
    width: track.video?.width ?? track.track_width ?? null,
    height: track.video?.height ?? track.track_height ?? null,
    durationMs: info.timescale > 0 ? Math.round((info.duration / info.timescale) * 1000) : null,
    animated: false,
    orientation: null,
  };
}

interface Mp4File {
  onReady: (info: Mp4Info) => void;
  onError: (message: unknown) => void;
  appendBuffer(buffer: ArrayBuffer & { fileStart: number }): number | undefined;
  flush(): void;
}
