import { ChannelAdapterRegistry, MediaItem, Network } from '@herald/channels';
import { Channel } from '@herald/db';
import { FieldError, MalformedRequest, UnprocessableRequest } from '../common/problems';
import { UrlPolicy } from '@herald/channels';

export interface DraftContent {
  text: string;
  media: MediaItem[];
  variants: Record<string, string>;
}

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
  const errors: FieldError[] = [];
  const targeted = new Set(channels.map((channel) => channel.id));
  for (const channelId of Object.keys(content.variants)) {
    if (!targeted.has(channelId)) errors.push({ path: `variants.${channelId}`, message: 'is not one of the post\'s channels' });
  }
  for (const channel of channels) {
    const violations = adapters.get(channel.network as Network).validate({ text: textFor(content, channel.id), media: content.media }, channel.details);
    const path = content.variants[channel.id] !== undefined ? `variants.${channel.id}` : 'text';
    for (const violation of violations) {
      errors.push({ path, message: `channel ${channel.id} (${channel.network} ${channel.handle}): ${violation.message}` });
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
