import { MediaRecord } from '@herald/db';
import { NETWORKS, fitPlan, validateContent, Network } from '@herald/channels';
import { mediaItemOf } from '@herald/media';

export interface MediaView {
  id: string;
  type: 'image' | 'video';
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  animated: boolean;
  /** EXIF orientation of the original (1–8); `width` and `height` are as displayed. */
  orientation: number | null;
  filename: string | null;
  sourceUrl: string | null;
  /** The original's bytes (authenticated like every API route). */
  fileUrl: string;
  /** A WebP of at most 320 px a side, for lists; null for video. */
  thumbnailUrl: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** Per network: whether it takes the file, as it is or resized, or why not (on `GET /v1/media/:id`). */
  networks?: Record<string, { accepted: boolean; resized: boolean; problems: string[] }>;
}

export function toMediaView(media: MediaRecord, withNetworks = false): MediaView {
  return {
    id: media.id,
    type: media.kind,
    mimeType: media.mimeType,
    size: media.size,
    width: media.width,
    height: media.height,
    durationMs: media.durationMs,
    animated: media.animated,
    orientation: media.orientation,
    filename: media.filename,
    sourceUrl: media.sourceUrl,
    fileUrl: `/v1/media/${media.id}/file`,
    thumbnailUrl: media.thumbnail ? `/v1/media/${media.id}/thumbnail` : null,
    createdAt: media.createdAt.toISOString(),
    lastUsedAt: media.lastUsedAt?.toISOString() ?? null,
    ...(withNetworks ? { networks: networksOf(media) } : {}),
  };
}

/** What each network makes of this one file alone (its count rules aside). */
function networksOf(media: MediaRecord): MediaView['networks'] {
  const item = mediaItemOf(media);
  return Object.fromEntries(
    NETWORKS.map((network: Network) => {
      const problems = validateContent(network, { text: 'x', media: [item] }).map((violation) => violation.message);
      return [network, { accepted: problems.length === 0, resized: problems.length === 0 && fitPlan(network, item) !== undefined, problems }];
    }),
  );
}
