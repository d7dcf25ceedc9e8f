import { ChannelAdapterRegistry, ContentViolation, HAS_THREADS, MediaItem, Network, PostContent, TAKES_FIRST_COMMENT } from '@herald/channels';
import { Channel } from '@herald/db';
import { FieldError, MalformedRequest, UnprocessableRequest } from '../common/problems';
import { UrlPolicy } from '@herald/channels';
import { NetworkOptions, optionsFor } from '../common/network-options';

/** One part of a thread, its media as the library knows them, and its own text on some channels (parts after the first). */
export interface DraftPart {
  text: string;
  media: MediaItem[];
  variants?: Record<string, string>;
}

export interface DraftContent {
  /** The first part's (the only one's, without `parts`). */
  text: string;
  media: MediaItem[];
  variants: Record<string, string>;
  /**
   * A thread (internal for now: the public API does not take it until the
   * worker publishes it): two parts or more, the first being `text` and
   * `media` (a channel's variant replaces the first part's text).
   */
  parts?: DraftPart[];
  firstComment?: { text: string };
  /** What only some networks take, by network (`{}`: nothing); each channel gets its network's over its own defaults. */
  networkOptions?: NetworkOptions;
}

/** How a channel's network judges one piece of content (its adapter's `validate`, with what connecting found). */
export type ContentJudge = (channel: Channel, content: PostContent) => ContentViolation[];

/** The text a channel gets: its variant if the post has one, else the post's text. */
export function textFor(content: Pick<DraftContent, 'text' | 'variants'>, channelId: string): string {
  return content.variants[channelId] ?? content.text;
}

/**
 * Checks a post against every target channel's network rules when it is
 * scheduled, so a too-long text is a 422 naming the channel now, not a
 * failure at 09:00.
 */
export function checkContent(adapters: ChannelAdapterRegistry, channels: Channel[], content: DraftContent): void {
  checkContentWith((channel, piece) => adapters.get(channel.network as Network).validate(piece, channel.details), channels, content);
}

/**
 * `checkContent` with the judge given: every variant must name a target;
 * each channel judges each part (its variant replacing the first part's
 * text), path `parts[i]` and a message naming the channel and the part, or
 * the one text (`text`, or `variants.<id>`); a network without threads
 * refuses several parts (path `parts`); the first comment is judged as a
 * text of its own (`firstComment`). All problems at once, one 422.
 */
export function checkContentWith(judge: ContentJudge, channels: Channel[], content: DraftContent): void {
  const errors: FieldError[] = [];
  const targeted = new Set(channels.map((channel) => channel.id));
  for (const channelId of Object.keys(content.variants)) {
    if (!targeted.has(channelId)) errors.push({ path: `variants.${channelId}`, message: 'is not one of the post\'s channels' });
  }
  const parts = content.parts && content.parts.length > 1 ? content.parts : undefined;
  parts?.forEach((part, index) => {
    for (const channelId of Object.keys(part.variants ?? {})) {
      if (!targeted.has(channelId)) errors.push({ path: `parts[${index}].variants.${channelId}`, message: 'is not one of the post\'s channels' });
    }
  });
  const networks = new Set(channels.map((channel) => channel.network));
  for (const network of Object.keys(content.networkOptions ?? {})) {
    if (!networks.has(network)) errors.push({ path: `networkOptions.${network}`, message: `no channel of the post is on ${network}` });
  }
  for (const channel of channels) {
    const named = `channel ${channel.id} (${channel.network} ${channel.handle})`;
    const options = optionsFor(channel.network, content.networkOptions ?? {}, channel.networkOptions);
    const withOptions = options ? { options } : {};
    // A violation of an option is named at the option (`networkOptions.youtube.title`), the others at the text.
    const at = (path: string, violation: ContentViolation) => (violation.field ? `networkOptions.${channel.network}.${violation.field}` : path);
    const variantPath = content.variants[channel.id] !== undefined ? `variants.${channel.id}` : undefined;
    if (!parts) {
      for (const violation of judge(channel, { text: textFor(content, channel.id), media: content.media, ...withOptions })) {
        errors.push({ path: at(variantPath ?? 'text', violation), message: `${named}: ${violation.message}` });
      }
    } else if (!HAS_THREADS[channel.network as Network]) {
      errors.push({ path: 'parts', message: `${named}: ${channel.network} has no threads, so a post to it takes one part, not ${parts.length}` });
    } else {
      parts.forEach((part, index) => {
        const own = index === 0 ? undefined : part.variants?.[channel.id];
        const text = index === 0 ? textFor({ text: part.text, variants: content.variants }, channel.id) : (own ?? part.text);
        const path = index === 0 ? (variantPath ?? 'parts[0]') : own !== undefined ? `parts[${index}].variants.${channel.id}` : `parts[${index}]`;
        for (const violation of judge(channel, { text, media: part.media, ...(index === 0 ? withOptions : {}) })) {
          errors.push({ path: at(path, violation), message: `${named}, part ${index}: ${violation.message}` });
        }
      });
    }
    if (content.firstComment && !TAKES_FIRST_COMMENT[channel.network as Network]) {
      errors.push({ path: 'firstComment', message: `${named}: ${channel.network} takes no first comment through Herald; send the post to it without one` });
    } else if (content.firstComment) {
      // A comment is text: the post's own need for media (Instagram's) is not the comment's.
      const violations = judge(channel, { text: content.firstComment.text, media: [] }).filter((violation) => violation.code !== 'media_required');
      for (const violation of violations) {
        errors.push({ path: 'firstComment', message: `${named}, first comment: ${violation.message}` });
      }
    }
  }
  if (errors.length > 0) throw new UnprocessableRequest(errors.map((error) => error.message).join('; '), errors);
}

/** Media URLs must not point into the operator's network (see UrlPolicy). */
export function checkMediaUrls(urls: UrlPolicy, media: Pick<MediaItem, 'url'>[]): void {
  const errors: FieldError[] = [];
  media.forEach((item, index) => {
    if (item.url === undefined) return;
    const refusal = urls.refusal(item.url);
    if (refusal) errors.push({ path: `media[${index}].url`, message: refusal });
  });
  if (errors.length > 0) throw new UnprocessableRequest(errors.map((error) => `${error.path} ${error.message}`).join('; '), errors);
}

/** `variants` arrives as an open object: each value must be a string of bounded length. */
export function parseVariants(raw: Record<string, unknown> | undefined): Record<string, string> {
  const variants: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [channelId, value] of Object.entries(raw ?? {})) {
    if (typeof value !== 'string') errors.push({ path: `variants.${channelId}`, message: 'must be a string' });
    else if (value.length > 100_000) errors.push({ path: `variants.${channelId}`, message: 'must be at most 100000 characters' });
    else variants[channelId] = value;
  }
  if (errors.length > 0) throw new MalformedRequest(errors.map((error) => `${error.path} ${error.message}`).join('; '), errors);
  return variants;
}
