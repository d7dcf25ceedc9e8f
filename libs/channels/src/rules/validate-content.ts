/**
 * Checks a post's text and media against one network's real limits and says
 * every rule it breaks, each with the measured figure and the limit. Pure.
 */
import { ContentViolation, MediaItem, PostContent } from '../content';
import { Network } from '../network';
import { NETWORK_RULES, maxMediaItems } from './network-rules';
import { altTextLength, codePointCount, graphemeCount, mastodonLength, threadsLength, utf8Bytes, xWeightedLength } from './text-length';

const VIDEO_EXTENSION = /\.(mp4|mov|webm|m4v)$/i;

export interface TextCount {
  /** The text's length as the network counts it. */
  length: number;
  limit: number;
  /** UTF-8 bytes, where the network also limits those (Bluesky). */
  bytes?: number;
}

/** Where one channel's network differs from the network's published rules: a Mastodon instance's own limits. */
export interface ChannelLimits {
  maxCharacters?: number;
  maxMediaAttachments?: number;
}

/** The text's length as the network counts it, and the limit (the channel's own, where it has one). */
export function countText(network: Network, text: string, limits: ChannelLimits = {}): TextCount {
  const limit = limits.maxCharacters ?? NETWORK_RULES[network].text.maxLength;
  switch (network) {
    case 'x':
      return { length: xWeightedLength(text), limit };
    case 'bluesky':
      return { length: graphemeCount(text), limit, bytes: utf8Bytes(text) };
    case 'mastodon':
      return { length: mastodonLength(text), limit };
    case 'threads':
      return { length: threadsLength(text), limit };
    case 'linkedin':
    case 'instagram':
    case 'facebook':
      return { length: codePointCount(text), limit };
  }
}

/** The item's `type`, else inferred from the URL's extension: .mp4 .mov .webm .m4v are video, all else image. */
export function mediaType(item: MediaItem): 'image' | 'video' {
  if (item.type) return item.type;
  return VIDEO_EXTENSION.test(urlPath(item.url)) ? 'video' : 'image';
}

/** Every rule of the network (or the channel's own limits) the content breaks; empty when the network would take it. */
export function validateContent(network: Network, content: PostContent, limits: ChannelLimits = {}): ContentViolation[] {
  return [...textViolations(network, content, limits), ...mediaCountViolations(network, content.media, limits), ...mediaItemViolations(network, content.media)];
}

const TEXT_UNIT: Record<Network, string> = {
  x: 'weighted characters',
  bluesky: 'graphemes',
  mastodon: 'characters',
  linkedin: 'characters',
  threads: 'characters',
  instagram: 'characters',
  facebook: 'characters',
};

const COUNTING_NOTE: Partial<Record<Network, string>> = {
  x: ' (URLs count 23, CJK and emoji count 2)',
  mastodon: ' (URLs count 23, @user@domain counts as @user)',
  threads: ' (an emoji counts its UTF-8 bytes)',
};

function textViolations(network: Network, content: PostContent, limits: ChannelLimits): ContentViolation[] {
  const { displayName, text: rules } = NETWORK_RULES[network];
  const violations: ContentViolation[] = [];
  // Every network but Instagram (whose caption is optional) needs text, or media in its place.
  if (network !== 'instagram' && content.media.length === 0 && /^\p{White_Space}*$/u.test(content.text)) {
    violations.push({ code: 'text_empty', message: `Text is empty and there is no media; ${displayName} needs one or the other` });
  }
  const { length, limit, bytes } = countText(network, content.text, limits);
  if (length > limit) {
    const subject = network === 'instagram' ? 'Caption' : 'Text';
    violations.push({
      code: 'text_too_long',
      message: `${subject} is ${length} ${TEXT_UNIT[network]}; ${displayName} allows ${limit}${COUNTING_NOTE[network] ?? ''}`,
    });
  }
  if (bytes !== undefined && rules.maxBytes !== undefined && bytes > rules.maxBytes) {
    violations.push({ code: 'text_too_many_bytes', message: `Text is ${bytes} bytes in UTF-8; ${displayName} allows ${rules.maxBytes}` });
  }
  return violations;
}

function mediaCountViolations(network: Network, media: MediaItem[], limits: ChannelLimits): ContentViolation[] {
  const rules = NETWORK_RULES[network];
  const { displayName } = rules;
  const { minItems, mixed } = rules.media;
  const maxImages = limits.maxMediaAttachments ?? rules.media.maxImages;
  const maxVideos = rules.media.maxVideos;
  const videos = media.filter((item) => mediaType(item) === 'video').length;
  const images = media.length - videos;
  const violations: ContentViolation[] = [];
  if (media.length < minItems) {
    violations.push({ code: 'media_required', message: `Post has ${counted(media.length, 'media item')}; ${displayName} needs at least ${minItems} image or video` });
  }
  if (images > maxImages) {
    violations.push({ code: 'too_many_images', message: `Post has ${counted(images, 'image')}; ${displayName} allows ${maxImages}` });
  }
  if (videos > maxVideos) {
    violations.push({ code: 'too_many_videos', message: `Post has ${counted(videos, 'video')}; ${displayName} allows ${maxVideos}${maxVideos === 0 ? ' (images only)' : ''}` });
  }
  if (!mixed && images > 0 && videos > 0) {
    violations.push({
      code: 'mixed_media',
      message: `Post has ${counted(images, 'image')} and ${counted(videos, 'video')}; ${displayName} allows up to ${counted(maxImages, 'image')} or ${counted(maxVideos, 'video')}, not both`,
    });
  }
  if (violations.length === 0 && media.length > maxMediaItems(rules)) {
    violations.push({ code: 'too_many_media', message: `Post has ${counted(media.length, 'media item')}; ${displayName} allows ${maxMediaItems(rules)} images and videos in all` });
  }
  return violations;
}

function mediaItemViolations(network: Network, media: MediaItem[]): ContentViolation[] {
  const { displayName, media: rules } = NETWORK_RULES[network];
  const violations: ContentViolation[] = [];
  media.forEach((item, index) => {
    if (!isHttpUrl(item.url)) {
      violations.push({ code: 'media_url_invalid', message: `media[${index}] URL is not an http or https URL; ${displayName} fetches media over http(s) only` });
    }
    const altLength = item.alt === undefined ? 0 : altTextLength(network, item.alt);
    if (rules.altTextMaxLength !== undefined && altLength > rules.altTextMaxLength) {
      const unit = network === 'bluesky' ? 'graphemes' : 'characters';
      violations.push({ code: 'alt_text_too_long', message: `media[${index}] alt text is ${altLength} ${unit}; ${displayName} allows ${rules.altTextMaxLength}` });
    }
  });
  return violations;
}

/** "1 image", "2 images". */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The URL's path, without query or fragment, even when the URL does not parse. */
function urlPath(value: string): string {
  try {
    return new URL(value).pathname;
  } catch {
    return value.split(/[?#]/)[0] ?? value;
  }
}
