/**
 * How each network counts a post's text, each by its own published rule:
 * X with X's own library (twitter-text), Bluesky in graphemes and UTF-8 bytes,
 * Mastodon as its StatusLengthValidator does, Threads in characters with an
 * emoji at its UTF-8 size, and LinkedIn, Instagram and Facebook in Unicode
 * code points. Pure functions, no I/O, nothing Node-only: the web app's
 * counters run this same code in the browser.
 */
import { extractUrlsWithIndices, parseTweet, regexen } from 'twitter-text';
import { Network } from './network';

import { MASTODON_URL_LENGTH, X_URL_LENGTH } from './url-length';

export { MASTODON_URL_LENGTH, X_URL_LENGTH };
const X_EMOJI_WEIGHT = 2;

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// The `v` flag knows every emoji sequence of the runtime's Unicode version; a regex
// literal with it would need an ES2024 target, hence the constructor.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const MAY_HOLD_EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

interface Grapheme {
  segment: string;
  /** Where it starts in the text, in UTF-16 units. */
  index: number;
}

// V8 in Node 20 copies the whole input into every segment Intl.Segmenter yields,
// which is quadratic on a long text (63,206 characters took 0.8 s and gigabytes).
// So the text is segmented a window at a time; the last cluster of a window may be
// cut short by its end, so the next window starts where that cluster starts. A
// cluster boundary depends only on what precedes it and the one character after.
const GRAPHEME_WINDOW = 256;

/** The grapheme clusters of the text, what a reader sees as one character each. */
export function graphemesOf(text: string): Grapheme[] {
  const graphemes: Grapheme[] = [];
  let start = 0;
  let window = GRAPHEME_WINDOW;
  while (start < text.length) {
    const end = Math.min(text.length, start + window);
    const segments = Array.from(graphemeSegmenter.segment(text.slice(start, end)), ({ segment, index }) => ({ segment, index: start + index }));
    const whole = end === text.length ? segments : segments.slice(0, -1);
    const last = whole[whole.length - 1];
    if (!last) {
      window *= 2; // one cluster longer than the window: widen it
      continue;
    }
    graphemes.push(...whole);
    start = last.index + last.segment.length;
    window = GRAPHEME_WINDOW;
  }
  return graphemes;
}

export function graphemeCount(text: string): number {
  return graphemesOf(text).length;
}

/** What a UTF-8 encoder writes for the text, counted without encoding it (a lone surrogate is U+FFFD: 3). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Unicode code points, not UTF-16 units: "😀" is 1, where `"😀".length` is 2. */
export function codePointCount(text: string): number {
  return Array.from(text).length;
}

/**
 * X's weighted length, by `parseTweet` with twitter-text's default config (v3):
 * code points U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037
 * weigh 1, all others 2; an emoji sequence 2; every URL 23 (bare domains such
 * as `example.com` included). It counts the NFC form of the text.
 */
export function xWeightedLength(text: string): number {
  return parseTweet(text).weightedLength - newerEmojiExcess(text);
}

/**
 * twitter-text 3.1.0 finds emoji with twemoji-parser 11 (2018), so a newer
 * sequence such as 🧑‍🦰, 🏳️‍⚧️ or 🫶🏽 it weighs code point by code point
 * (5, 7, 4) where X counts every emoji 2. This is what it counts beyond 2
 * for those, outside URLs (a URL weighs 23 whatever it holds).
 */
function newerEmojiExcess(text: string): number {
  if (!MAY_HOLD_EMOJI.test(text)) return 0;
  const normalized = text.normalize('NFC');
  const urls = extractUrlsWithIndices(normalized).map((url) => url.indices);
  let excess = 0;
  for (const { segment, index } of graphemesOf(normalized)) {
    if (!RGI_EMOJI.test(segment) || urls.some(([start, end]) => index >= start && index < end)) continue;
    excess += Math.max(0, parseTweet(segment).weightedLength - X_EMOJI_WEIGHT);
  }
  return excess;
}

/** Threads counts characters, but an emoji as many as its UTF-8 bytes (Threads API, "Posts", limitations). */
export function threadsLength(text: string): number {
  let length = 0;
  for (const { segment } of graphemesOf(text)) {
    length += RGI_EMOJI.test(segment) ? utf8Bytes(segment) : codePointCount(segment);
  }
  return length;
}

/** Alt text in the unit each network limits it by: graphemes on Bluesky, code points elsewhere. */
export function altTextLength(network: Network, alt: string): number {
  return network === 'bluesky' ? graphemeCount(alt) : codePointCount(alt);
}

// Mastodon's URL shape (its patch of twitter-text's regex), http and https only: a
// host with a top-level domain, an optional port, then a path and a query that do
// not take trailing punctuation. Hosts are not checked against the list of TLDs.
const PATH_CHAR = String.raw`[^\p{White_Space}<>()?]`;
const PATH_PARENS = String.raw`\((?:${PATH_CHAR}+|${PATH_CHAR}*\(${PATH_CHAR}+\)${PATH_CHAR}*)\)`;
const PATH_END = String.raw`(?:[^\p{White_Space}()?!*"'「」<>;:=,.$%\[\]~&|@]|${PATH_PARENS})`;
const PATH_PART = String.raw`(?:${PATH_CHAR}*(?:${PATH_PARENS}${PATH_CHAR}*)*${PATH_END}|${PATH_CHAR}+/)`;
const QUERY_UNICODE = String.raw`\u{A0}-\u{D7FF}\u{F900}-\u{FDCF}\u{FDF0}-\u{FFEF}\u{E000}-\u{F8FF}\u{10000}-\u{1FFFD}\u{20000}-\u{2FFFD}\u{30000}-\u{3FFFD}\u{40000}-\u{DFFFD}\u{E1000}-\u{EFFFD}\u{F0000}-\u{10FFFD}`;
const QUERY = String.raw`\?[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@^${QUERY_UNICODE}]*[a-z0-9_&=#/\-${QUERY_UNICODE}]`;
const HOST = String.raw`(?:[\p{L}\p{N}](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})(?![\p{L}\p{N}@+-])`;
const MASTODON_URL = new RegExp(String.raw`(?<![a-z0-9@＠$#＃])https?://${HOST}(?::\d+)?(?:/${PATH_PART}*)?(?:${QUERY})?`, 'giu');

// Mastodon's Account::MENTION_RE: `@user` or `@user@domain`, not after a word character, `=` or `/`.
const WORD = String.raw`\p{L}\p{M}\p{Nd}\p{Pc}`;
const MASTODON_MENTION = new RegExp(String.raw`(?<![=/${WORD}])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@[${WORD}]+(?:[.-]+[${WORD}]+)*)?`, 'giu');

interface Rewrite {
  start: number;
  end: number;
  countsAs: string;
}

/**
 * Mastodon's StatusLengthValidator: grapheme clusters of the text where every
 * http(s) URL counts 23 whatever its length and a mention `@user@domain`
 * counts as `@user`. Blank text counts 0.
 */
export function mastodonLength(text: string): number {
  if (/^\p{White_Space}*$/u.test(text)) return 0;
  let countable = '';
  let position = 0;
  for (const rewrite of mastodonRewrites(text)) {
    countable += text.slice(position, rewrite.start) + rewrite.countsAs;
    position = rewrite.end;
  }
  return graphemeCount(countable + text.slice(position));
}

function mastodonRewrites(text: string): Rewrite[] {
  const urls = Array.from(text.matchAll(MASTODON_URL), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
    countsAs: 'x'.repeat(MASTODON_URL_LENGTH),
  }));
  // As twitter-text's extractor: no mention where `@`, a Latin accent or `://` follows.
  const mentions = Array.from(text.matchAll(MASTODON_MENTION))
    .filter((match) => !regexen.endMentionMatch.test(text.slice(match.index + match[0].length, match.index + match[0].length + 3)))
    .map((match) => ({ start: match.index, end: match.index + match[0].length, countsAs: `@${match[1]}` }));
  return withoutOverlaps([...urls, ...mentions]);
}

/** Extractor.remove_overlapping_entities: in order of start, the first of two overlapping entities wins. */
function withoutOverlaps(rewrites: Rewrite[]): Rewrite[] {
  const kept: Rewrite[] = [];
  for (const rewrite of [...rewrites].sort((a, b) => a.start - b.start)) {
    const previous = kept[kept.length - 1];
    if (!previous || previous.end <= rewrite.start) kept.push(rewrite);
  }
  return kept;
}
