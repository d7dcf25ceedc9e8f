/**
 * Each network's published limits (PRODUCT.md section 5), as `GET /v1/networks`
 * tells API users and as `validateContent` applies them.
 */
import { NetworkRules } from '../content';
import { Network } from '../network';
import { MASTODON_URL_LENGTH, X_URL_LENGTH } from './text-length';

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
    media: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1000 },
    honoursIdempotencyKey: false,
  },
  bluesky: {
    network: 'bluesky',
    displayName: 'Bluesky',
    text: { maxLength: 300, counting: 'graphemes (what a reader sees as one character), and at most 3000 bytes of UTF-8', maxBytes: 3000 },
    media: { maxImages: 4, maxVideos: 0, mixed: false, minItems: 0, altTextMaxLength: 2000 },
    honoursIdempotencyKey: false,
  },
  mastodon: {
    network: 'mastodon',
    displayName: 'Mastodon',
    text: { maxLength: 500, counting: 'graphemes; every http(s) URL counts 23 and a mention @user@domain counts as @user', urlLength: MASTODON_URL_LENGTH },
    media: { maxImages: 4, maxVideos: 1, mixed: false, minItems: 0, altTextMaxLength: 1500 },
    honoursIdempotencyKey: true,
  },
  linkedin: {
    network: 'linkedin',
    displayName: 'LinkedIn',
    text: { maxLength: 3000, counting: 'characters (Unicode code points)' },
    media: { maxImages: 9, maxVideos: 1, mixed: false, minItems: 0 },
    honoursIdempotencyKey: false,
  },
  threads: {
    network: 'threads',
    displayName: 'Threads',
    text: { maxLength: 500, counting: 'characters (Unicode code points); an emoji counts as many as its UTF-8 bytes' },
    media: { maxImages: 10, maxVideos: 10, mixed: true, minItems: 0 },
    honoursIdempotencyKey: false,
  },
  instagram: {
    network: 'instagram',
    displayName: 'Instagram',
    text: { maxLength: 2200, counting: 'caption characters (Unicode code points)' },
    media: { maxImages: 10, maxVideos: 10, mixed: true, minItems: 1 },
    honoursIdempotencyKey: false,
  },
  facebook: {
    network: 'facebook',
    displayName: 'Facebook',
    text: { maxLength: 63206, counting: 'characters (Unicode code points)' },
    media: { maxImages: 10, maxVideos: 1, mixed: false, minItems: 0 },
    honoursIdempotencyKey: false,
  },
};

/** The most items one post holds, whatever their kinds: a Threads or Instagram carousel takes 10 in all. */
export function maxMediaItems(rules: NetworkRules): number {
  return Math.max(rules.media.maxImages, rules.media.maxVideos);
}
