/**
 * A post as parts (PRODUCT.md section 10): part 0 is the post's own text,
 * each next part a reply to the one before where the network has threads
 * (X, Bluesky, Mastodon, Threads); LinkedIn, Facebook and Instagram take one
 * part and a first comment. Each part is checked on each channel by the
 * API's own rules, as the API checks it when the post is sent. Pure.
 */
import { HAS_THREADS, type ContentViolation, type MediaItem } from '@herald/channels/rules';
import type { Attachment } from './attachments';
import { checkChannel, mediaItemOf, textFor, type ChannelCheck, type CheckedChannel } from './checks';

export interface ThreadPart {
  /** Stable across reorders: names the part's files and its React key. */
  key: string;
  text: string;
  /**
   * This part's own text on some channels, by channel id (`parts[i].variants`
   * in the API). Used from the second place on: the first part's per-channel
   * texts are the post's `variants`. Kept with the part when it moves.
   */
  variants?: Record<string, string>;
}

/** The text a part has on a channel: the post's variant for the first part, the part's own variant for a later one. */
export function partTextFor(part: ThreadPart, index: number, variants: Record<string, string>, channelId: string): string {
  return textFor(part.text, index === 0 ? variants : (part.variants ?? {}), channelId);
}

/** A later part's own texts for the channels given (none for the first part, whose are the post's `variants`). */
export function partVariantsBody(part: ThreadPart, index: number, channelIds: Iterable<string>): { variants?: Record<string, string> } {
  if (index === 0 || !part.variants) return {};
  const keep = new Set(channelIds);
  const variants = Object.fromEntries(Object.entries(part.variants).filter(([channelId]) => keep.has(channelId)));
  return Object.keys(variants).length > 0 ? { variants } : {};
}

/** The parts with the one of `key` moved one place earlier (-1) or later (+1); the same array when it cannot move. */
export function movePart<T extends { key: string }>(parts: T[], key: string, by: -1 | 1): T[] {
  const index = parts.findIndex((part) => part.key === key);
  const to = index + by;
  if (index < 0 || to < 0 || to >= parts.length) return parts;
  const next = [...parts];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/** The parts without the one of `key`; the last part is never removed. */
export function removePart<T extends { key: string }>(parts: T[], key: string): T[] {
  return parts.length <= 1 ? parts : parts.filter((part) => part.key !== key);
}

/** Whether a channel takes a thread (several parts). */
export function takesThreads(channel: Pick<CheckedChannel, 'network'>): boolean {
  return HAS_THREADS[channel.network];
}

/** Where a first comment goes on a channel, in words. */
export function commentPlace(channel: Pick<CheckedChannel, 'network'>): string {
  return takesThreads(channel) ? 'a reply after the last part' : 'a comment under the post';
}

export interface ThreadCheck<C extends CheckedChannel = CheckedChannel> {
  /** Per part (by index), each channel's check: its text counted as its network counts it, and what it refuses. */
  parts: Map<string, ChannelCheck>[];
  /** Per channel, the first comment's check (a comment is text: a network's need for media is not the comment's). */
  comment: Map<string, ChannelCheck>;
  /** Channels without threads while the post has several parts. */
  noThreads: C[];
  /** Channels that refuse the post, for any reason above. */
  refusing: Set<string>;
  /** Every file ready to send, by part. */
  ready: Attachment[][];
  /** Whether a file is still uploading. */
  uploading: boolean;
}

/** Files ready to send, as the rules judge them. */
export function readyMedia(attachments: Attachment[]): { ready: Attachment[]; media: MediaItem[] } {
  const ready = attachments.filter((attachment) => attachment.status === 'ready' && attachment.media);
  return { ready, media: ready.map((attachment) => mediaItemOf(attachment.media!, attachment.alt)) };
}

/**
 * The whole post checked on every channel, on every change: each part (a
 * channel's variant replacing part 0's text, a later part's own variant
 * replacing that part's text, as the API does), the first
 * comment, and several parts on a network without threads.
 */
export function checkThread<C extends CheckedChannel>(
  targets: C[],
  parts: ThreadPart[],
  variants: Record<string, string>,
  attachmentsOf: (key: string) => Attachment[],
  firstComment: string,
  /** What the post tells each channel's network only (its `networkOptions`): checked with part 0, as the API does. */
  optionsOf: (channel: C) => Record<string, unknown> | undefined = () => undefined,
): ThreadCheck<C> {
  const refusing = new Set<string>();
  const ready: Attachment[][] = [];
  let uploading = false;
  const checked = parts.map((part, index) => {
    const attachments = attachmentsOf(part.key);
    uploading ||= attachments.some((attachment) => attachment.status === 'uploading');
    const files = readyMedia(attachments);
    ready.push(files.ready);
    return new Map(
      targets.map((channel) => {
        const text = partTextFor(part, index, variants, channel.id);
        const check = checkChannel(channel, text, files.media, index === 0 ? optionsOf(channel) : undefined);
        if (check.violations.length > 0 && (parts.length === 1 || takesThreads(channel))) refusing.add(channel.id);
        return [channel.id, check];
      }),
    );
  });
  const noThreads = parts.length > 1 ? targets.filter((channel) => !takesThreads(channel)) : [];
  for (const channel of noThreads) refusing.add(channel.id);
  const comment = new Map<string, ChannelCheck>();
  if (firstComment.trim() !== '') {
    for (const channel of targets) {
      const check = checkChannel(channel, firstComment, []);
      const violations = commentViolations(check.violations);
      comment.set(channel.id, { ...check, violations });
      if (violations.length > 0) refusing.add(channel.id);
    }
  }
  return { parts: checked, comment, noThreads, refusing, ready, uploading };
}

/** What the API judges of a first comment: not the post's need for media (Instagram's). */
function commentViolations(violations: ContentViolation[]): ContentViolation[] {
  return violations.filter((violation) => violation.code !== 'media_required');
}

/** Every rule a channel's post breaks, in the API's words, each part named when there are several. */
export function refusalWords(channelId: string, check: ThreadCheck, partCount: number): string[] {
  const words: string[] = [];
  if (check.noThreads.some((channel) => channel.id === channelId)) {
    words.push(`it has no threads, so it takes one part, not ${partCount}`);
    return words;
  }
  check.parts.forEach((byChannel, index) => {
    for (const violation of byChannel.get(channelId)?.violations ?? []) words.push(partCount > 1 ? `part ${index + 1}: ${violation.message}` : violation.message);
  });
  for (const violation of check.comment.get(channelId)?.violations ?? []) words.push(`first comment: ${violation.message}`);
  return words;
}

/** A part's files as the API takes them. */
export function mediaBody(ready: Attachment[]) {
  return ready.map((attachment) => ({ mediaId: attachment.media!.id, ...(attachment.alt ? { alt: attachment.alt } : {}) }));
}

/**
 * The content of `POST /v1/posts`: `text` and `media` for one part (today's
 * post), `parts` instead for several, each later part with its own texts on
 * the post's channels; `firstComment` when there is one.
 */
export function contentBody(parts: ThreadPart[], ready: Attachment[][], firstComment: string, channelIds: Iterable<string> = []) {
  const comment = firstComment.trim() !== '' ? { firstComment: { text: firstComment } } : {};
  if (parts.length === 1) return { text: parts[0]!.text, media: mediaBody(ready[0] ?? []), ...comment };
  const ids = [...channelIds];
  return { parts: parts.map((part, index) => ({ text: part.text, media: mediaBody(ready[index] ?? []), ...partVariantsBody(part, index, ids) })), ...comment };
}
