/**
 * The placement core's second step, without I/O: a post asked for checked
 * against the channels it names (each must be there and connected, the
 * content must pass each one's network rules), given its ids, its
 * deliveries' status and, for the modes that name one time, that time.
 */
import { ChannelAdapterRegistry, MediaItem } from '@herald/channels';
import { Channel, ScheduleValue } from '@herald/db';
import { MalformedRequest, NotFound, UnprocessableRequest } from '../../common/problems';
import { DraftContent, DraftPart, checkContent, parseVariants, textFor } from '../content-check';
import { CreatePostDto, MAX_THREAD_PARTS, ScheduleDto, normaliseTags } from '../dto';
import { NewPost, PostAuthor, newPost } from '../post-writer';
import { isPerChannel, resolveFixedTime } from '../schedule-resolver';
import { replaceLinks, withUtm } from '../tracked-links';
import { parseNetworkOptions } from '../../common/network-options';

/**
 * What the core places: a create's body, its media resolved, with a
 * thread's `parts` (two or more; the first stands for `text` and `media`)
 * and a `firstComment` (see PostMedia.resolveRequest).
 */
export type PlacementRequest = Omit<CreatePostDto, 'parts' | 'firstComment'> & {
  parts?: DraftPart[];
  firstComment?: { text: string };
  /** With `links.shorten`: each link, as it will be written (tracked, with UTM), to its short link (see LinkShortener). */
  shortLinks?: ReadonlyMap<string, string>;
};

/** Parts beyond this are refused: no network's thread is longer in practice, and each part is a publish. */
export const MAX_PARTS = MAX_THREAD_PARTS;

/**
 * Checks one post against every rule and throws the Problem it breaks, in
 * this order: its time (400/422), its channels (404, 422 disconnected), its
 * content against each channel's rules (422 naming the channel). For a post
 * awaiting approval the time kept is the one `at` asked. `channels` are the
 * workspace's channels the caller read (and locked) for it.
 */
export function checkNewPost(adapters: ChannelAdapterRegistry, input: PlacementRequest, channels: Map<string, Channel>, author: PostAuthor, now: Date): NewPost {
  const content = draftContentOf(input);
  const fixedTime = isPerChannel(input.schedule) ? undefined : resolveFixedTime(input.schedule, now);
  const targets = pickChannels(channels, input.channelIds);
  trackLinks(content, targets, input.links?.utm, input.shortLinks);
  checkContent(adapters, targets, content);
  const post = newPost(content, scheduleValue(input.schedule), targets, author);
  post.tags = normaliseTags(input.tags) ?? [];
  post.evergreen = input.evergreen ?? false;
  if (fixedTime === undefined) return post;
  for (const delivery of post.deliveries) {
    delivery.at = delivery.status === 'pending_approval' && input.schedule.mode !== 'at' ? null : fixedTime;
  }
  return post;
}

/**
 * With `links.utm`, each channel's text (its variant, or the post's text)
 * with UTM parameters on its links, as that channel's variant; with short
 * links, each link (tracked first) replaced by its short link, in every part
 * and the first comment.
 */
function trackLinks(
  content: DraftContent,
  targets: Channel[],
  utm: boolean | { campaign?: string; source?: string; medium?: string } | undefined,
  shortLinks: ReadonlyMap<string, string> | undefined,
): void {
  const short = shortLinks && shortLinks.size > 0 ? (text: string) => replaceLinks(text, shortLinks) : undefined;
  if (utm) {
    const settings = utm === true ? {} : utm;
    for (const channel of targets) {
      const tracked = withUtm(textFor(content, channel.id), channel.network, settings);
      const written = short ? short(tracked) : tracked;
      if (written !== content.text || content.variants[channel.id] !== undefined) content.variants[channel.id] = written;
    }
  } else if (short) {
    content.text = short(content.text);
    for (const [channelId, variant] of Object.entries(content.variants)) content.variants[channelId] = short(variant);
  }
  if (!short) return;
  if (content.parts) {
    content.parts = content.parts.map((part, index) =>
      index === 0
        ? { ...part, text: content.text }
        : { ...part, text: short(part.text), ...(part.variants ? { variants: Object.fromEntries(Object.entries(part.variants).map(([channelId, text]) => [channelId, short(text)])) } : {}) },
    );
  }
  if (content.firstComment) content.firstComment = { text: short(content.firstComment.text) };
}

/** The schedule as asked, as the post keeps it (the fields given, nothing else). */
export function scheduleValue(schedule: ScheduleDto): ScheduleValue {
  return {
    mode: schedule.mode,
    ...(schedule.at !== undefined ? { at: schedule.at } : {}),
    ...(schedule.localTime !== undefined ? { localTime: schedule.localTime } : {}),
    ...(schedule.timezone !== undefined ? { timezone: schedule.timezone } : {}),
  };
}

/** The channels a post names, in its order; a missing one is a 404, a disconnected one a 422. */
export function pickChannels(channels: Map<string, Channel>, ids: string[]): Channel[] {
  const targets: Channel[] = [];
  // A UUID may arrive in either case; each channel gets one delivery.
  for (const id of new Set(ids.map((value) => value.toLowerCase()))) {
    const channel = channels.get(id);
    if (!channel) throw new NotFound('Channel', id);
    if (channel.status === 'disconnected') {
      throw new UnprocessableRequest(`Channel ${id} is disconnected: reconnect it first`, [{ path: 'channelIds', message: `channel ${id} is disconnected` }]);
    }
    targets.push(channel);
  }
  return targets;
}

/** The content a request asks for: its text and media, or its parts (the first standing for them), and its first comment. */
function draftContentOf(input: PlacementRequest): DraftContent {
  const variants = parseVariants(input.variants);
  if (input.parts !== undefined && (input.parts.length === 0 || input.parts.length > MAX_PARTS)) {
    throw new MalformedRequest(`parts takes 1 to ${MAX_PARTS} parts`, [{ path: 'parts', message: `must hold 1 to ${MAX_PARTS} parts` }]);
  }
  const [first, ...rest] = input.parts ?? [{ text: input.text, media: (input.media ?? []) as MediaItem[] }];
  return {
    text: first!.text,
    media: first!.media,
    variants,
    ...(rest.length > 0 ? { parts: input.parts } : {}),
    ...(input.firstComment ? { firstComment: { text: input.firstComment.text } } : {}),
    networkOptions: parseNetworkOptions(input.networkOptions),
  };
}
