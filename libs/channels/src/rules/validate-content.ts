/**
 * Checks a post's text and media against one network's real limits and says
 * every rule it breaks, each with the measured figure and the limit. Pure.
 */
import { ContentViolation, ImageLimits, MediaItem, PostContent } from './types';
import { Network } from './network';
import { NETWORK_RULES, maxMediaItems } from './network-rules';
import { altTextLength, codePointCount, graphemeCount, mastodonLength, threadsLength, utf8Bytes, xWeightedLength } from './text-length';
import { DESCRIBED_NETWORKS, MORE_NETWORKS, optionsSpecOf } from '../networks/descriptors';

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

/** The channel's own limits among what connecting found (a Mastodon instance's `limits`); what is not a positive integer is left out. */
export function channelLimitsOf(details: Record<string, unknown>): ChannelLimits {
  const limits = details.limits as { maxCharacters?: unknown; maxMediaAttachments?: unknown } | undefined;
  const positive = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined);
  const maxCharacters = positive(limits?.maxCharacters);
  const maxMediaAttachments = positive(limits?.maxMediaAttachments);
  return { ...(maxCharacters ? { maxCharacters } : {}), ...(maxMediaAttachments ? { maxMediaAttachments } : {}) };
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
    default: {
      // LinkedIn, Instagram, Facebook, and the networks that describe themselves: code points (and bytes, where the network also limits those).
      const { maxBytes } = NETWORK_RULES[network].text;
      return { length: codePointCount(text), limit, ...(maxBytes !== undefined ? { bytes: utf8Bytes(text) } : {}) };
    }
  }
}

/** A title taken from a text: its first line, trimmed (YouTube's, where the network's rules have `text.title`). */
export function titleOf(text: string): string {
  return (text.split(/\r?\n/u, 1)[0] ?? '').trim();
}

/** The item's `type`, else its mime type's, else inferred from the URL's extension: .mp4 .mov .webm .m4v are video, all else image. */
export function mediaType(item: MediaItem): 'image' | 'video' {
  if (item.type) return item.type;
  if (item.mimeType) return item.mimeType.startsWith('video/') ? 'video' : 'image';
  return VIDEO_EXTENSION.test(urlPath(item.url ?? '')) ? 'video' : 'image';
}

/** What a version of an image derived for a network must meet (see `fitPlan`). */
export interface FitPlan {
  /** Names the plan: the same key is the same derived file for the same original. */
  key: string;
  maxBytes: number;
  maxPixels?: number;
  maxDimension?: number;
  /** Types the network takes; the derived version is the first of `prefer` that it takes. */
  types: string[];
  /** The types to try, in order. */
  prefer: string[];
}

/** Image types sharp reads and writes with its prebuilt libvips. */
const DERIVABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif']);

/**
 * Whether an image must be changed for a network, and how: undefined when
 * the network takes the original as it is, or when no version could fit
 * (then `validateContent` says which limit it breaks). Only what the
 * network's `fits` allows is changed: bytes and pixels by scaling down and
 * re-encoding, the type by converting; never an animated image, never its
 * aspect ratio (that would crop what the author chose).
 */
export function fitPlan(network: Network, item: MediaItem): FitPlan | undefined {
  const limits = NETWORK_RULES[network].media.image;
  if (mediaType(item) !== 'image' || !item.mimeType) return undefined;
  const breaks = imageBreaks(limits, item);
  if (!breaks.type && !breaks.bytes && !breaks.pixels) return undefined;
  if (!derivable(limits, item, breaks)) return undefined;
  const prefer = [...new Set([...(limits.types.includes(item.mimeType) ? [item.mimeType] : []), limits.convertTo ?? 'image/jpeg', 'image/jpeg'])].filter((type) =>
    limits.types.includes(type),
  );
  const maxDimension = limits.maxDimension;
  return {
    key: [`b${limits.maxBytes}`, limits.maxPixels ? `p${limits.maxPixels}` : '', maxDimension ? `d${maxDimension}` : '', prefer.join('+')].filter(Boolean).join('-'),
    maxBytes: limits.maxBytes,
    ...(limits.maxPixels ? { maxPixels: limits.maxPixels } : {}),
    ...(maxDimension ? { maxDimension } : {}),
    types: limits.types,
    prefer,
  };
}

interface ImageBreaks {
  type: boolean;
  bytes: boolean;
  pixels: boolean;
}

function imageBreaks(limits: ImageLimits, item: MediaItem): ImageBreaks {
  const bytesCap = item.animated && item.mimeType === 'image/gif' && limits.maxGifBytes ? limits.maxGifBytes : limits.maxBytes;
  const { width = 0, height = 0 } = item;
  return {
    type: !limits.types.includes(item.mimeType ?? ''),
    bytes: item.size !== undefined && item.size > bytesCap,
    pixels: (limits.maxPixels !== undefined && width * height > limits.maxPixels) || (limits.maxDimension !== undefined && Math.max(width, height) > limits.maxDimension),
  };
}

function derivable(limits: ImageLimits, item: MediaItem, breaks: ImageBreaks): boolean {
  if (item.animated || !DERIVABLE.has(item.mimeType ?? '')) return false;
  if (breaks.type && !limits.fits.includes('type')) return false;
  if (breaks.bytes && !limits.fits.includes('bytes')) return false;
  if (breaks.pixels && !limits.fits.includes('pixels')) return false;
  return true;
}

/** Every rule of the network (or the channel's own limits) the content breaks; empty when the network would take it. */
export function validateContent(network: Network, content: PostContent, limits: ChannelLimits = {}): ContentViolation[] {
  return [...textViolations(network, content, limits), ...mediaCountViolations(network, content.media, limits), ...mediaItemViolations(network, content.media), ...optionViolations(network, content)];
}

/** What the post's options for this network break (`networkOptions.<network>`), each naming its option. */
function optionViolations(network: Network, content: PostContent): ContentViolation[] {
  const spec = optionsSpecOf(network);
  return spec && content.options ? spec.violations(content.options, content) : [];
}

const TEXT_UNIT: Record<Network, string> = {
  x: 'weighted characters',
  bluesky: 'graphemes',
  mastodon: 'characters',
  linkedin: 'characters',
  threads: 'characters',
  instagram: 'characters',
  facebook: 'characters',
  ...(Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, 'characters'])) as Record<(typeof MORE_NETWORKS)[number]['network'], string>),
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
  if (rules.title) {
    // A title of its own (YouTube's networkOptions.youtube.title) stands for the text's first line.
    const own = typeof content.options?.title === 'string' ? content.options.title : undefined;
    const title = own ?? titleOf(content.text);
    const from = own !== undefined ? `networkOptions.${network}.title` : rules.title.from;
    const titleLength = codePointCount(title);
    if (title === '') violations.push({ code: 'title_required', message: `${displayName} needs a title, taken from ${from}: it is empty`, ...(own !== undefined ? { field: 'title' } : {}) });
    else if (titleLength > rules.title.maxLength) {
      violations.push({ code: 'title_too_long', message: `The title (${from}) is ${titleLength} characters; ${displayName} allows ${rules.title.maxLength}`, ...(own !== undefined ? { field: 'title' } : {}) });
    }
  }
  const forbidden = rules.forbiddenCharacters ? [...new Set(Array.from(content.text).filter((char) => rules.forbiddenCharacters!.includes(char)))] : [];
  if (forbidden.length > 0) {
    violations.push({ code: 'text_forbidden_characters', message: `Text holds ${forbidden.map((char) => `"${char}"`).join(' and ')}; ${displayName} refuses ${Array.from(rules.forbiddenCharacters!).map((char) => `"${char}"`).join(' and ')} in a title or description` });
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
    if (item.mediaId === undefined && (item.url === undefined || !isHttpUrl(item.url))) {
      violations.push({ code: 'media_url_invalid', message: `media[${index}] URL is not an http or https URL; ${displayName} fetches media over http(s) only` });
    }
    if (item.mimeType !== undefined) violations.push(...fileViolations(network, item, `media[${index}]`));
    const altLength = item.alt === undefined ? 0 : altTextLength(network, item.alt);
    if (rules.altTextMaxLength !== undefined && altLength > rules.altTextMaxLength) {
      const unit = network === 'bluesky' ? 'graphemes' : 'characters';
      violations.push({ code: 'alt_text_too_long', message: `media[${index}] alt text is ${altLength} ${unit}; ${displayName} allows ${rules.altTextMaxLength}` });
    }
  });
  return violations;
}

/** The limits of the network a file breaks that Herald cannot make it meet. */
function fileViolations(network: Network, item: MediaItem, name: string): ContentViolation[] {
  const { displayName, media: rules } = NETWORK_RULES[network];
  const mime = item.mimeType!;
  const described = `${name} (${mime}${item.width && item.height ? `, ${item.width}×${item.height}` : ''}${item.size !== undefined ? `, ${megabytes(item.size)}` : ''})`;
  const violations: ContentViolation[] = [];
  const ratio = item.width && item.height ? item.width / item.height : undefined;
  if (mediaType(item) === 'video') {
    const video = rules.video;
    if (!video) return [{ code: 'media_type_unsupported', message: `${described} is a video; Herald sends ${displayName} images only` }];
    if (!video.types.includes(mime)) violations.push({ code: 'media_type_unsupported', message: `${described}: ${displayName} takes video as ${video.types.join(', ')}` });
    if (item.size !== undefined && item.size > video.maxBytes) violations.push({ code: 'media_too_large', message: `${described} is over ${displayName}'s ${megabytes(video.maxBytes)} for video` });
    if (item.durationMs !== undefined && video.maxDurationMs !== undefined && item.durationMs > video.maxDurationMs) {
      violations.push({ code: 'video_too_long', message: `${described} runs ${seconds(item.durationMs)}; ${displayName} takes video up to ${seconds(video.maxDurationMs)}` });
    }
    if (item.durationMs !== undefined && video.minDurationMs !== undefined && item.durationMs < video.minDurationMs) {
      violations.push({ code: 'video_too_short', message: `${described} runs ${seconds(item.durationMs)}; ${displayName} needs video of at least ${seconds(video.minDurationMs)}` });
    }
    if (video.maxDimension !== undefined && item.width && item.height && Math.max(item.width, item.height) > video.maxDimension) {
      violations.push({ code: 'video_dimensions', message: `${described} is larger than ${displayName}'s ${video.maxDimension} px for video` });
    }
    if (video.aspectRatio && ratio !== undefined && (ratio < video.aspectRatio.min - 0.005 || ratio > video.aspectRatio.max + 0.005)) {
      violations.push({ code: 'aspect_ratio', message: `${described} has an aspect ratio of ${ratio.toFixed(2)}:1; ${displayName} takes video from ${video.aspectRatio.label}` });
    }
    return violations;
  }
  const image = rules.image;
  const breaks = imageBreaks(image, item);
  if (!derivable(image, item, breaks)) {
    if (breaks.type) violations.push({ code: 'media_type_unsupported', message: `${described}: ${displayName} takes images as ${image.types.join(', ')}${item.animated ? ' (an animated image is never converted)' : ''}` });
    if (breaks.bytes) {
      const cap = item.animated && mime === 'image/gif' && image.maxGifBytes ? image.maxGifBytes : image.maxBytes;
      violations.push({ code: 'media_too_large', message: `${described} is over ${displayName}'s ${megabytes(cap)} for ${item.animated ? 'animated images (they are never resized)' : 'images'}` });
    }
    if (breaks.pixels) violations.push({ code: 'image_dimensions', message: `${described} is larger than ${displayName} takes (${image.maxPixels ? `${image.maxPixels} pixels` : `${image.maxDimension} px a side`})` });
  }
  if (image.minDimension !== undefined && item.width && item.height && Math.min(item.width, item.height) < image.minDimension) {
    violations.push({ code: 'image_too_small', message: `${described} is smaller than ${displayName}'s ${image.minDimension} px a side` });
  }
  if (image.aspectRatio && ratio !== undefined && (ratio < image.aspectRatio.min - 0.005 || ratio > image.aspectRatio.max + 0.005)) {
    violations.push({ code: 'aspect_ratio', message: `${described} has an aspect ratio of ${ratio.toFixed(2)}:1; ${displayName} takes images from ${image.aspectRatio.label}` });
  }
  return violations;
}

/** "5 MB", "1.9 MB", "2,000,000 bytes" for caps set in bytes, "13 KB" for small files. */
function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1_000_000 === 0 && bytes >= 1_000_000) return `${bytes.toLocaleString('en-US')} bytes`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function seconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
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
