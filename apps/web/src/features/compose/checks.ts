/**
 * What each selected channel's network will make of the post: its text counted
 * as that network counts it, against its limit (the channel's own where its
 * host has one), and every rule the post breaks there. This is the API's own
 * check (`validateContent` from @herald/channels/rules, with the channel's
 * limits), run in the browser: the counter and the server cannot disagree.
 */
import { NETWORK_RULES, countText, validateContent, type ContentViolation, type MediaItem, type Network } from '@herald/channels/rules';
import type { ChannelView, MediaView } from '../../api/views';
import type { Attachment } from './attachments';

export interface ChannelCheck {
  channelId: string;
  network: Network;
  /** The text's length as the network counts it. */
  length: number;
  limit: number;
  /** UTF-8 bytes and their cap, where the network limits those too (Bluesky). */
  bytes?: number;
  maxBytes?: number;
  /** Every rule the post breaks on this channel, in the API's own words; empty when it would be accepted. */
  violations: ContentViolation[];
}

export type CheckedChannel = Pick<ChannelView, 'id' | 'network' | 'limits'>;

/** The text a channel gets: its variant if it has one, else the post's text (as the API's `textFor`). */
export function textFor(text: string, variants: Record<string, string>, channelId: string): string {
  return variants[channelId] ?? text;
}

/** `options`: what the post tells only this channel's network (`networkOptions.<network>`), checked with the content as the API checks it. */
export function checkChannel(channel: CheckedChannel, text: string, media: MediaItem[], options?: Record<string, unknown>): ChannelCheck {
  const limits = channel.limits ?? {};
  const counted = countText(channel.network, text, limits);
  const maxBytes = NETWORK_RULES[channel.network].text.maxBytes;
  return {
    channelId: channel.id,
    network: channel.network,
    length: counted.length,
    limit: counted.limit,
    ...(counted.bytes !== undefined ? { bytes: counted.bytes } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    violations: validateContent(channel.network, { text, media, ...(options ? { options } : {}) }, limits),
  };
}

/** A file of the media library as the rules judge it: the fields the API measured of it (as the API's `mediaItemOf`), with the post's alt text. */
export function mediaItemOf(media: MediaView, alt: string): MediaItem {
  return {
    mediaId: media.id,
    ...(alt ? { alt } : {}),
    type: media.type,
    mimeType: media.mimeType,
    size: media.size,
    ...(media.width ? { width: media.width } : {}),
    ...(media.height ? { height: media.height } : {}),
    ...(media.durationMs !== null ? { durationMs: media.durationMs } : {}),
    animated: media.animated,
  };
}

/**
 * A post as it is being written or edited, checked per channel on every
 * change (the same check the API makes when it is sent): the files ready to
 * send, each channel's check, the channels that refuse it, and whether a
 * file is still uploading.
 */
export function checkPost<C extends CheckedChannel>(targets: C[], text: string, variants: Record<string, string>, attachments: Attachment[]) {
  const ready = attachments.filter((attachment) => attachment.status === 'ready' && attachment.media);
  const media = ready.map((attachment) => mediaItemOf(attachment.media!, attachment.alt));
  const checks = new Map(targets.map((channel) => [channel.id, checkChannel(channel, textFor(text, variants, channel.id), media)]));
  const refusing = targets.filter((channel) => (checks.get(channel.id)?.violations.length ?? 0) > 0);
  const uploading = attachments.some((attachment) => attachment.status === 'uploading');
  return { ready, checks, refusing, uploading };
}
