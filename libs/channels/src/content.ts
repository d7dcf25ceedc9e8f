/** What a delivery sends to a network: the text for that channel and its media. */
export interface MediaItem {
  /** http(s) URL the network fetches the file from. */
  url: string;
  /** Alternative text for screen readers. */
  alt?: string;
  /** Inferred from the URL when absent. */
  type?: 'image' | 'video';
}

export interface PostContent {
  text: string;
  media: MediaItem[];
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
  };
  honoursIdempotencyKey: boolean;
}
