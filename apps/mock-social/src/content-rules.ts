/**
 * What each mock network refuses, judged by its own code, never Herald's: a
 * real network does not share the adapter's idea of a limit, so neither may
 * the mock. X counts with twitter-text (X's own library); Bluesky in
 * graphemes (Intl.Segmenter) and UTF-8 bytes; Mastodon in characters with a
 * URL counting 23 and a remote mention as its local part, as its
 * StatusLengthValidator does (with a simpler URL pattern than Mastodon's);
 * the others in code points, Threads with an emoji at its UTF-8 size; a
 * Mastodon instance may set its own length. A reply in a thread is a
 * post and meets the same rules; a comment (LinkedIn, Facebook, Instagram)
 * has its network's comment limit, in code points. The
 * answer is the reason in the mock's words, or undefined; `refusalsOf`
 * gives each reason apart, for the networks that word them their own way
 * (X, Mastodon and Bluesky on a text too long).
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

/** One reason a network refuses a post: its kind, the mock's words, and for a length the count and the limit. */
export interface Refusal {
  kind: 'text_required' | 'too_long' | 'too_long_bytes' | 'too_many_media' | 'too_few_media' | 'alt_too_long';
  message: string;
  count?: number;
  max?: number;
}

/** Why this network refuses the post, in its words; undefined when it takes it. */
export function refusalOf(network: string, text: string, media: JudgedMedia[], overrides: { maxLength?: number } = {}): string | undefined {
  const reasons = refusalsOf(network, text, media, overrides);
  return reasons.length > 0 ? reasons.map((reason) => reason.message).join('; ') : undefined;
}

/** Every reason this network refuses the post (none: it takes it), for a network that words them its own way. */
export function refusalsOf(network: string, text: string, media: JudgedMedia[], overrides: { maxLength?: number } = {}): Refusal[] {
  const base = LIMITS[network];
  if (!base) return [{ kind: 'text_required', message: `unknown network ${network}` }];
  const limits = overrides.maxLength ? { ...base, maxLength: overrides.maxLength } : base;
  const reasons: Refusal[] = [];
  if (limits.needsText && media.length === 0 && text.trim() === '') reasons.push({ kind: 'text_required', message: 'text is required when there is no media' });
  const length = limits.count(text);
  if (length > limits.maxLength) reasons.push({ kind: 'too_long', message: `text is too long (${length} > ${limits.maxLength})`, count: length, max: limits.maxLength });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (limits.maxBytes !== undefined && bytes > limits.maxBytes) reasons.push({ kind: 'too_long_bytes', message: `text is too long (${bytes} bytes > ${limits.maxBytes})`, count: bytes, max: limits.maxBytes });
  if (media.length > limits.maxMedia) reasons.push({ kind: 'too_many_media', message: `too many media (${media.length} > ${limits.maxMedia})`, count: media.length, max: limits.maxMedia });
  if (media.length < limits.minMedia) reasons.push({ kind: 'too_few_media', message: `at least ${limits.minMedia} image or video is required` });
  media.forEach((item, index) => {
    const altLength = item.alt === undefined ? 0 : (limits.countAlt ?? codePoints)(item.alt);
    if (limits.maxAlt !== undefined && altLength > limits.maxAlt) reasons.push({ kind: 'alt_too_long', message: `media ${index} alt text is too long (${altLength} > ${limits.maxAlt})`, count: altLength, max: limits.maxAlt });
  });
  return reasons;
}

/**
 * A comment's length limit per network, in code points: LinkedIn 1,250 and
 * Facebook 8,000 (what their apps allow; neither API page states one),
 * Instagram 2,200 (its caption limit, which its comments share).
 */
const COMMENT_LIMITS: Record<string, number> = { linkedin: 1250, facebook: 8000, instagram: 2200 };

/** Why this network refuses a comment of this text, or undefined when it takes it. */
export function commentRefusalOf(network: string, text: string): string | undefined {
  const max = COMMENT_LIMITS[network];
  if (max === undefined) return `${network} takes no comments through its API`;
  if (text.trim() === '') return 'comment text is required';
  const length = codePoints(text);
  return length > max ? `comment is too long (${length} > ${max})` : undefined;
}
