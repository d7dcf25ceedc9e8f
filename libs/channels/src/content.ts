/**
 * One media item of a post as the rules judge it: what Herald's media library
 * measured of the file (type from its bytes, size, dimensions, duration).
 * Items of posts scheduled before the library carry only a `url`.
 */
export interface MediaItem {
  /** The media library's id. */
  mediaId?: string;
  /** An http(s) URL: only items from before the media library (they are imported when published). */
  url?: string;
  /** Alternative text for screen readers. */
  alt?: string;
  /** Inferred from `mimeType`, else from the URL, when absent. */
  type?: 'image' | 'video';
  /** From the file's bytes, e.g. `image/png`, `video/mp4`. */
  mimeType?: string;
  /** Bytes. */
  size?: number;
  /** Pixels, as displayed (orientation applied). */
  width?: number;
  height?: number;
  durationMs?: number;
  /** An animated GIF or WebP. */
  animated?: boolean;
}

export interface PostContent {
  text: string;
  media: MediaItem[];
}

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
}

/** One broken content rule, in words a user can act on. */
export interface ContentViolation {
  /** Machine-readable rule name, e.g. `text_too_long`, `too_many_images`, `media_required`. */
  code: string;
  message: string;
}

/** The published rules of one network, as `GET /v1/networks` tells API users. */
export interface NetworkRules {
  network: string;
  displayName: string;
  text: {
    maxLength: number;
    /** How length is counted, in words: "weighted characters", "graphemes", ... */
    counting: string;
    maxBytes?: number;
    /** Weight of any URL, where the network counts URLs as a fixed length. */
    urlLength?: number;
  };
  media: {
    maxImages: number;
    maxVideos: number;
    /** Whether images and videos may be mixed in one post. */
    mixed: boolean;
    minItems: number;
    altTextMaxLength?: number;
    image: ImageLimits;
    /** Absent where the network takes no video through Herald. */
    video?: VideoLimits;
  };
  honoursIdempotencyKey: boolean;
}

/** What a network takes of one image, and what Herald changes to make an image fit rather than refusing it. */
export interface ImageLimits {
  /** Types taken as they are. */
  types: string[];
  maxBytes: number;
  /** Animated GIFs may have their own cap (X: 15 MB). */
  maxGifBytes?: number;
  /** Total pixels (width × height). */
  maxPixels?: number;
  /** Longest side, pixels. */
  maxDimension?: number;
  /** Shortest side, pixels. */
  minDimension?: number;
  /** Width ÷ height, inclusive. */
  aspectRatio?: { min: number; max: number; label: string };
  /**
   * Limits Herald meets by deriving a version of the image with sharp (the
   * original is kept): `bytes` and `pixels` by scaling down and re-encoding,
   * `type` by converting to `convertTo`. Animated images are never derived.
   */
  fits: Array<'bytes' | 'pixels' | 'type'>;
  /** The type a derived version takes (Instagram: JPEG); else the original's type (PNG stays PNG, unless bytes force JPEG). */
  convertTo?: string;
}

export interface VideoLimits {
  types: string[];
  maxBytes: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  maxDimension?: number;
  aspectRatio?: { min: number; max: number; label: string };
}
