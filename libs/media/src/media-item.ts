import type { MediaItem } from '@herald/channels';
import type { MediaRecord } from '@herald/db';

/** A library file as the content rules judge it (and fit plans are made for), with the alt text of one use. */
export function mediaItemOf(media: MediaRecord, alt?: string): MediaItem {
  return {
    mediaId: media.id,
    ...(alt !== undefined ? { alt } : {}),
    type: media.kind,
    mimeType: media.mimeType,
    size: media.size,
    ...(media.width ? { width: media.width } : {}),
    ...(media.height ? { height: media.height } : {}),
    ...(media.durationMs !== null ? { durationMs: media.durationMs } : {}),
    animated: media.animated,
  };
}
