/**
 * The shapes the content rules judge and describe: a post's text and media items,
 * a broken rule, and each network's published limits. Types only.
 */

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
  /**
   * What only this network takes (`networkOptions.<network>` of the post over
   * the channel's own defaults): a YouTube title and privacy, a TikTok privacy,
   * a Pinterest board and link, a Business Profile event. Shapes in each
   * network's `<n>.options.ts`.
   */
  options?: Record<string, unknown>;
}

/** One broken content rule, in words a user can act on. */
export interface ContentViolation {
  /** Machine-readable rule name, e.g. `text_too_long`, `too_many_images`, `media_required`. */
  code: string;
  message: string;
  /** The network option it concerns (`title`, `event.endsAt`), where it is one: the request's path is then `networkOptions.<network>.<field>`. */
  field?: string;
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
    /** Where the network wants a title and Herald takes it from the text (YouTube: its first line): required, and at most `maxLength` characters. */
    title?: { maxLength: number; from: string };
    /** Characters the network refuses anywhere in the text (YouTube: `<` and `>`). */
    forbiddenCharacters?: string;
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
  /**
   * Whether Herald can take a published post down through the network's API
   * (`POST /v1/posts/:id/unpublish`), and how, or why not.
   */
  deletion: { supported: boolean; how: string };
  /** The network refuses a post whose text is the same as a recent one of the account (X): an evergreen post is recycled there only with another text. */
  refusesDuplicates?: boolean;
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
