/**
 * Each network's published limits (PRODUCT.md section 5), as `GET /v1/networks`
 * tells API users and as `validateContent` applies them.
 */
import { ImageLimits, NetworkRules, VideoLimits } from './types';
import { Network } from './network';
import { MASTODON_URL_LENGTH, X_URL_LENGTH } from './url-length';
import { DESCRIBED_NETWORKS, MORE_NETWORKS } from '../networks/descriptors';

const MB = 1024 * 1024;
const JPEG = 'image/jpeg';
const PNG = 'image/png';
const GIF = 'image/gif';
const WEBP = 'image/webp';
const MP4 = 'video/mp4';
const MOV = 'video/quicktime';

/** X: `x-api/media/introduction.mdx` (image 5 MB, GIF 15 MB, video 512 MB), video 0.5–140 s, up to 1920×1200, 1:3 to 3:1. */
const X_IMAGE: ImageLimits = { types: [JPEG, PNG, WEBP, GIF], maxBytes: 5 * MB, maxGifBytes: 15 * MB, maxDimension: 8192, fits: ['bytes', 'pixels'] };
const X_VIDEO: VideoLimits = {
  types: [MP4, MOV],
  maxBytes: 512 * MB,
  minDurationMs: 500,
  maxDurationMs: 140_000,
  maxDimension: 1920,
  aspectRatio: { min: 1 / 3, max: 3, label: '1:3 to 3:1' },
};
/** Bluesky: `lexicons/app/bsky/embed/images.json` (each image at most 2,000,000 bytes); the app scales to 2000 px. */
const BLUESKY_IMAGE: ImageLimits = { types: [JPEG, PNG, WEBP, GIF], maxBytes: 2_000_000, maxDimension: 2000, fits: ['bytes', 'pixels'] };
/** Mastodon 4.x defaults (`GET /api/v2/instance` configuration.media_attachments): 16 MB images, 99 MB video, 33,177,600 pixels (image_matrix_limit). */
const MASTODON_IMAGE: ImageLimits = { types: [JPEG, PNG, GIF, WEBP, 'image/heic', 'image/heif', 'image/avif'], maxBytes: 16 * MB, maxPixels: 33_177_600, fits: ['bytes', 'pixels'] };
const MASTODON_VIDEO: VideoLimits = { types: [MP4, MOV, 'video/webm'], maxBytes: 99 * MB };
/** LinkedIn Images API: JPG, GIF, PNG, at most 36,152,320 pixels; Videos API: MP4, 75 KB–500 MB, 3 s–30 min. */
const LINKEDIN_IMAGE: ImageLimits = { types: [JPEG, PNG, GIF], maxBytes: 10 * MB, maxPixels: 36_152_320, fits: ['bytes', 'pixels', 'type'], convertTo: JPEG };
const LINKEDIN_VIDEO: VideoLimits = { types: [MP4], maxBytes: 500 * MB, minDurationMs: 3000, maxDurationMs: 30 * 60_000 };
/** Threads (`/docs/threads/overview#image-specifications`): JPEG or PNG, 8 MB, 320–1440 px wide, ratio up to 10:1; video MOV/MP4, 1 GB, 5 min. */
const THREADS_IMAGE: ImageLimits = {
  types: [JPEG, PNG],
  maxBytes: 8 * MB,
  maxDimension: 1440,
  minDimension: 320,
  aspectRatio: { min: 1 / 10, max: 10, label: '1:10 to 10:1' },
  fits: ['bytes', 'pixels', 'type'],
  convertTo: JPEG,
};
const THREADS_VIDEO: VideoLimits = { types: [MP4, MOV], maxBytes: 1024 * MB, maxDurationMs: 300_000, maxDimension: 1920 };
/** Instagram (`/docs/instagram-platform/content-publishing`): JPEG only, 8 MB, 320–1440 px wide, 4:5 to 1.91:1; Reels MP4/MOV, 300 MB, 3 s–15 min. */
const INSTAGRAM_IMAGE: ImageLimits = {
  types: [JPEG],
  maxBytes: 8 * MB,
  maxDimension: 1440,
  minDimension: 320,
  aspectRatio: { min: 4 / 5, max: 1.91, label: '4:5 to 1.91:1' },
  fits: ['bytes', 'pixels', 'type'],
  convertTo: JPEG,
};
const INSTAGRAM_VIDEO: VideoLimits = { types: [MP4, MOV], maxBytes: 300 * MB, minDurationMs: 3000, maxDurationMs: 15 * 60_000, maxDimension: 1920 };
/** Facebook Page photos (`/{page-id}/photos`): JPEG, PNG, GIF, BMP, TIFF, WebP up to 10 MB; videos (`/{page-id}/videos`, `file_url`) up to 1 GB, 240 min. */
const FACEBOOK_IMAGE: ImageLimits = { types: [JPEG, PNG, GIF, 'image/bmp', 'image/tiff', WEBP], maxBytes: 10_000_000, fits: ['bytes', 'pixels'] };
const FACEBOOK_VIDEO: VideoLimits = { types: [MP4, MOV], maxBytes: 1024 * MB, maxDurationMs: 240 * 60_000 };

export const NETWORK_RULES: Record<Network, NetworkRules> = {
  x: {
    network: 'x',
    displayName: 'X',
    text: {
      maxLength: 280,
      counting:
        'weighted characters: code points U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 count 1, all others 2 (CJK, emoji); every URL counts 23',
      urlLength: X_URL_LENGTH,
    },
    media: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1000, image: X_IMAGE, video: X_VIDEO },
    honoursIdempotencyKey: false,
    deletion: { supported: true, how: '`DELETE /2/tweets/:id` (scope tweet.write), each part of a thread' },
    refusesDuplicates: true,
  },
  bluesky: {
    network: 'bluesky',
    displayName: 'Bluesky',
    text: { maxLength: 300, counting: 'graphemes (what a reader sees as one character), and at most 3000 bytes of UTF-8', maxBytes: 3000 },
    media: { maxImages: 4, maxVideos: 0, mixed: false, minItems: 0, altTextMaxLength: 2000, image: BLUESKY_IMAGE },
    honoursIdempotencyKey: false,
    deletion: { supported: true, how: '`com.atproto.repo.deleteRecord` of each record, each part of a thread' },
  },
  mastodon: {
    network: 'mastodon',
    displayName: 'Mastodon',
    text: { maxLength: 500, counting: 'graphemes; every http(s) URL counts 23 and a mention @user@domain counts as @user', urlLength: MASTODON_URL_LENGTH },
    media: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1500, image: MASTODON_IMAGE, video: MASTODON_VIDEO },
    honoursIdempotencyKey: true,
    deletion: { supported: true, how: '`DELETE /api/v1/statuses/:id`, each part of a thread' },
  },
  linkedin: {
    network: 'linkedin',
    displayName: 'LinkedIn',
    text: { maxLength: 3000, counting: 'characters (Unicode code points)' },
    media: { maxImages: 20, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 4086, image: LINKEDIN_IMAGE, video: LINKEDIN_VIDEO },
    honoursIdempotencyKey: false,
    deletion: { supported: true, how: '`DELETE /rest/posts/{urn}` (its comments go with it)' },
  },
  threads: {
    network: 'threads',
    displayName: 'Threads',
    text: { maxLength: 500, counting: 'characters (Unicode code points); an emoji counts as many as its UTF-8 bytes' },
    media: { maxImages: 20, maxVideos: 20, mixed: true, minItems: 0, altTextMaxLength: 1000, image: THREADS_IMAGE, video: THREADS_VIDEO },
    honoursIdempotencyKey: false,
    deletion: { supported: true, how: '`DELETE /{threads-media-id}` (permission threads_delete; at most 100 a day), each part of a thread' },
  },
  instagram: {
    network: 'instagram',
    displayName: 'Instagram',
    text: { maxLength: 2200, counting: 'caption characters (Unicode code points)' },
    media: { maxImages: 10, maxVideos: 10, mixed: true, minItems: 1, altTextMaxLength: 1000, image: INSTAGRAM_IMAGE, video: INSTAGRAM_VIDEO },
    honoursIdempotencyKey: false,
    deletion: { supported: false, how: 'The Instagram Graph API cannot delete published media: delete it in the Instagram app' },
  },
  facebook: {
    network: 'facebook',
    displayName: 'Facebook',
    text: { maxLength: 63206, counting: 'characters (Unicode code points)' },
    media: { maxImages: 10, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1000, image: FACEBOOK_IMAGE, video: FACEBOOK_VIDEO },
    honoursIdempotencyKey: false,
    deletion: { supported: true, how: '`DELETE /{page-post-id}` (its comments go with it)' },
  },
  ...(Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, descriptor.rules])) as Record<(typeof MORE_NETWORKS)[number]['network'], NetworkRules>),
};

/** The most items one post holds, whatever their kinds: an Instagram carousel takes 10 in all, a Threads one 20. */
export function maxMediaItems(rules: NetworkRules): number {
  return Math.max(rules.media.maxImages, rules.media.maxVideos);
}
