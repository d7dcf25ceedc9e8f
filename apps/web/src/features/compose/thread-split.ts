/**
 * "Split into a thread": a long text cut into parts that each fit every
 * picked channel, counted as each network counts (the API's own
 * `countText`, through the `fits` given). Cut at sentence ends first; a
 * sentence too long for one part at spaces; a word too long (a run of text
 * with no space) at the last character that fits, never inside a grapheme
 * (an emoji with its modifiers, a flag, a letter and its accents). A URL
 * is never cut when it fits a part on its own. Pure.
 */
import { NETWORK_RULES, countText, type ChannelLimits, type Network } from '@herald/channels/rules';

/** Whether a part's text is within every limit that applies. */
export type Fits = (text: string) => boolean;

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** What fits every channel given: each network's count (and bytes, where it limits them) within the channel's limit. */
export function fitsEvery(channels: { network: Network; limits?: ChannelLimits | null }[]): Fits {
  return (text) =>
    channels.every((channel) => {
      const counted = countText(channel.network, text, channel.limits ?? {});
      const maxBytes = NETWORK_RULES[channel.network].text.maxBytes;
      return counted.length <= counted.limit && (maxBytes === undefined || (counted.bytes ?? 0) <= maxBytes);
    });
}

/**
 * The text as parts that each fit, in order, none empty, each trimmed of
 * the spaces it was cut at (a part's own line breaks are kept). A text that
 * fits is one part; an empty one is `['']`.
 */
export function splitIntoThread(text: string, fits: Fits): string[] {
  const whole = text.trim();
  if (whole === '' || fits(whole)) return [whole];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    const part = current.trim();
    if (part) parts.push(part);
    current = '';
  };
  for (const segment of sentencesOf(whole)) {
    if (fits((current + segment).trim())) {
      current += segment;
      continue;
    }
    flush();
    if (fits(segment.trim())) {
      current = segment;
      continue;
    }
    // One sentence longer than a part: by words, then by characters.
    for (const word of wordsOf(segment)) {
      if (fits((current + word).trim())) {
        current += word;
        continue;
      }
      flush();
      let rest = word;
      while (!fits(rest.trim())) {
        const cut = longestFit(rest, fits);
        parts.push(rest.slice(0, cut).trim());
        rest = rest.slice(cut);
      }
      current = rest;
    }
  }
  flush();
  return parts;
}

const URL_PATTERN = /\bhttps?:\/\/\S+/giu;

/** The text's sentences, a sentence end found inside a URL ("…/Q4.Final", "?v=1.B") not counted as one. */
function sentencesOf(text: string): string[] {
  const urls = Array.from(text.matchAll(URL_PATTERN), (match) => [match.index, match.index + match[0].length] as const);
  const inUrl = (at: number) => urls.some(([start, end]) => at > start && at < end);
  const found: string[] = [];
  let start = 0;
  for (const { index, segment } of sentences.segment(text)) {
    const end = index + segment.length;
    if (end < text.length && inUrl(end)) continue;
    found.push(text.slice(start, end));
    start = end;
  }
  return found;
}

/** The text cut after each run of spaces: "a b  c" is "a ", "b  ", "c". */
function wordsOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/gu) ?? [];
}

/** Where to cut a text that does not fit: the end of the longest start that does, on a grapheme boundary (at least one grapheme). */
function longestFit(text: string, fits: Fits): number {
  const ends = Array.from(graphemes.segment(text), ({ index, segment }) => index + segment.length);
  let low = 0;
  let high = ends.length - 1;
  let best = ends[0] ?? text.length;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (fits(text.slice(0, ends[middle]).trim())) {
      best = ends[middle]!;
      low = middle + 1;
    } else high = middle - 1;
  }
  return best;
}
