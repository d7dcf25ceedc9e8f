/**
 * What a publish sends (the files chosen for a network, readable from Herald's media store), and
 * the shapes the content rules judge, which live with the rules (browser-safe, shared with the web app).
 */
export type { ContentViolation, ImageLimits, MediaItem, NetworkRules, PostContent, VideoLimits } from './rules/types';

/**
 * A media item as a publish sends it: the file chosen for this network (the
 * original, or the version Herald made to fit the network's limits), readable
 * from Herald's media store and reachable at a signed, expiring public link.
 */
export interface PublishableMedia {
  /** Names this file of this item for `NetworkUploads`: the same key on a retry means the same bytes and alt text. */
  key: string;
  type: 'image' | 'video';
  mimeType: string;
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  animated?: boolean;
  /** Alternative text; '' when none was given. */
  alt: string;
  /** A file name with the type's extension, for multipart uploads. */
  filename: string;
  /** The whole file. */
  read(): Promise<Buffer>;
  /** Bytes `start` (inclusive) to `end` (exclusive). */
  readRange(start: number, end: number): Promise<Buffer>;
  /** Where the network can fetch the file itself (Meta): Herald's signed link, valid for hours. */
  publicUrl: string;
}

/** What a publish sends: the channel's text and its media, ready to upload. */
export interface PublishContent {
  text: string;
  media: PublishableMedia[];
  /** What only this network takes (`networkOptions.<network>` over the channel's defaults), as the rules saw it (`PostContent.options`). */
  options?: Record<string, unknown>;
}
