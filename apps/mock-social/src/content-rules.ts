/**
 * What each mock network refuses, judged by its own code, never Herald's: a
 * real network does not share the adapter's idea of a limit, so neither may
 * the mock. X counts with twitter-text (X's own library); Bluesky in
 * graphemes (Intl.Segmenter) and UTF-8 bytes; Mastodon in characters with a
 * URL counting 23 and a remote mention as its local part, as its
 * StatusLengthValidator does (with a simpler URL pattern than Mastodon's);
 * the others in code points, Threads with an emoji at its UTF-8 size; a
 * Mastodon instance may set its own length. The
 * answer is the network's reason in its own words, or undefined.
 */
import { parseTweet } from 'twitter-text';

export interface JudgedMedia {
  alt?: string;
}

interface Limits {
  maxLength: number;
  count: (text: string) => number;
  maxBytes?: number;
  maxMedia: number;
  minMedia: number;
  maxAlt?: number;
  countAlt?: (alt: string) => number;
  needsText: boolean;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), ({ segment }) => segment);
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

function mastodonCount(text: string): number {
  const rewritten = text
    .replace(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/giu, 'x'.repeat(23))
    .replace(/(?<![\p{L}\p{N}_=/])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)@[\p{L}\p{N}.-]+[\p{L}\p{N}]/giu, '@$1');
  return graphemes(rewritten).length;
}

function threadsCount(text: string): number {
  return graphemes(text).reduce((total, cluster) => total + (EMOJI.test(cluster) ? Buffer.byteLength(cluster, 'utf8') : codePoints(cluster)), 0);
}

const LIMITS: Record<string, Limits> = {
  x: { maxLength: 280, count: (text) => parseTweet(text).weightedLength, maxMedia: 4, minMedia: 0, maxAlt: 1000, needsText: true },
  bluesky: {
    maxLength: 300,
    count: (text) => graphemes(text).length,
    maxBytes: 3000,
    maxMedia: 4,
    minMedia: 0,
    maxAlt: 2000,
    countAlt: (alt) => graphemes(alt).length,
    needsText: true,
  },
  mastodon: { maxLength: 500, count: mastodonCount, maxMedia: 4, minMedia: 0, maxAlt: 1500, needsText: true },
  linkedin: { maxLength: 3000, count: codePoints, maxMedia: 20, minMedia: 0, maxAlt: 4086, needsText: true },
  threads: { maxLength: 500, count: threadsCount, maxMedia: 20, minMedia: 0, needsText: true },
  instagram: { maxLength: 2200, count: codePoints, maxMedia: 10, minMedia: 1, needsText: false },
  facebook: { maxLength: 63206, count: codePoints, maxMedia: 10, minMedia: 0, needsText: true },
};

/** Why this network refuses the post, in its words; undefined when it takes it. */
export function refusalOf(network: string, text: string, media: JudgedMedia[], overrides: { maxLength?: number } = {}): string | undefined {
  const base = LIMITS[network];
  if (!base) return `unknown network ${network}`;
  const limits = overrides.maxLength ? { ...base, maxLength: overrides.maxLength } : base;
  const reasons: string[] = [];
  if (limits.needsText && media.length === 0 && text.trim() === '') reasons.push('text is required when there is no media');
  const length = limits.count(text);
  if (length > limits.maxLength) reasons.push(`text is too long (${length} > ${limits.maxLength})`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (limits.maxBytes !== undefined && bytes > limits.maxBytes) reasons.push(`text is too long (${bytes} bytes > ${limits.maxBytes})`);
  if (media.length > limits.maxMedia) reasons.push(`too many media (${media.length} > ${limits.maxMedia})`);
  if (media.length < limits.minMedia) reasons.push(`at least ${limits.minMedia} image or video is required`);
  media.forEach((item, index) => {
    const altLength = item.alt === undefined ? 0 : (limits.countAlt ?? codePoints)(item.alt);
    if (limits.maxAlt !== undefined && altLength > limits.maxAlt) reasons.push(`media ${index} alt text is too long (${altLength} > ${limits.maxAlt})`);
  });
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}
