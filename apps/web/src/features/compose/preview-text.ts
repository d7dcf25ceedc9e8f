/**
 * How a network shows a text: the part past its limit (which the network
 * would refuse) split off, on a character boundary, by the network's own
 * count; and where its feed folds a long text behind "more".
 */
import { NETWORK_RULES, countText, type ChannelLimits, type Network } from '@herald/channels/rules';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export interface SplitText {
  /** What fits the limit. */
  within: string;
  /** What is past it; '' when all fits. */
  over: string;
}

/** The longest start of the text, on a grapheme boundary, that the network counts within its limit. */
export function splitAtLimit(network: Network, text: string, limits: ChannelLimits = {}): SplitText {
  const { length, limit, bytes } = countText(network, text, limits);
  const maxBytes = NETWORK_RULES[network].text.maxBytes;
  if (length <= limit && (maxBytes === undefined || (bytes ?? 0) <= maxBytes)) return { within: text, over: '' };
  const ends = Array.from(segmenter.segment(text), ({ index, segment }) => index + segment.length);
  const fits = (end: number) => {
    const counted = countText(network, text.slice(0, end), limits);
    return counted.length <= limit && (maxBytes === undefined || (counted.bytes ?? 0) <= maxBytes);
  };
  let low = 0;
  let high = ends.length - 1;
  let best = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (fits(ends[middle]!)) {
      best = ends[middle]!;
      low = middle + 1;
    } else high = middle - 1;
  }
  return { within: text.slice(0, best), over: text.slice(best) };
}

/** Where a feed shows "… more" (approximately, as the networks' apps do today); undefined where it shows the whole text. */
export const FEED_FOLD: Partial<Record<Network, { after: number; label: string }>> = {
  instagram: { after: 125, label: '… more' },
  linkedin: { after: 210, label: '…see more' },
  facebook: { after: 480, label: '… See more' },
};

/** The first http(s) link of the text, for the link card networks make of it. */
export function firstLink(text: string): URL | undefined {
  const match = text.match(/https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/i);
  if (!match) return undefined;
  try {
    return new URL(match[0]);
  } catch {
    return undefined;
  }
}
