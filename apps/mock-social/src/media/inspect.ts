/**
 * What a network learns of an uploaded or fetched file from its bytes: its
 * kind and real type, its size, its pixel size and (video) its duration.
 */
import { imageSize } from './image-size';
import { MediaKind, sniffType } from './sniff';
import { videoInfo } from './video-info';

/** A file as the networks judge it, and as `/_mock/posts` shows it (with its alt text). */
export interface MediaFacts {
  type: MediaKind;
  mimeType: string;
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
}

/** The file's facts, or undefined when its bytes are no image or video the mock knows. */
export function inspectMedia(data: Buffer): MediaFacts | undefined {
  const sniffed = sniffType(data);
  if (!sniffed) return undefined;
  const facts: MediaFacts = { type: sniffed.kind, mimeType: sniffed.mimeType, size: data.length };
  if (sniffed.kind === 'image') return { ...facts, ...imageSize(data) };
  if (sniffed.mimeType === 'video/webm') return facts;
  const video = videoInfo(data);
  return video ? { ...facts, width: video.width, height: video.height, durationMs: video.durationMs } : facts;
}

/** Megabytes as the networks word their limits ("16 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MB`;
}
