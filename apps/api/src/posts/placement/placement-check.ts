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
import { LinksSetting, linksFor, replaceLinks, withUtm } from '../tracked-links';
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
  /** Each channel's links settings as read fresh (see LinkShortener): they win over the channels' rows the check is given, which may be what is known of them, without their settings. */
  channelLinks?: ReadonlyMap<string, LinksSetting>;
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
  trackLinks(content, targets, input.links, input.shortLinks, input.channelLinks);
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
 * Each channel's links as its settings and the post's say (linksFor: the
 * post's fields win): with UTM, the channel's text (its variant, or the
 * post's text) with UTM parameters on its links, as that channel's variant;
 * with short links (those the shortener gave), each link (tracked first)
 * replaced by its short link, in every part, and in the first comment when
 * every channel shortens (it is one text for all of them). When only some
 * channels shorten, theirs are variants (of the first part and the others).
 */
function trackLinks(
  content: DraftContent,
  targets: Channel[],
  links: LinksSetting | undefined,
  shortLinks: ReadonlyMap<string, string> | undefined,
  channelLinks: ReadonlyMap<string, LinksSetting> | undefined,
): void {
  const short = shortLinks && shortLinks.size > 0 ? (text: string) => replaceLinks(text, shortLinks) : undefined;
  const plans = targets.map((channel) => {
    const settings = linksFor(links, channelLinks?.get(channel.id) ?? channel.links);
    return { channel, utm: settings.utm, short: short !== undefined && settings.shorten };
  });
  const everyShortens = short !== undefined && plans.length > 0 && plans.every((plan) => plan.short);
  if (plans.some((plan) => plan.utm) || (short && !everyShortens && plans.some((plan) => plan.short))) {
    // Each channel's text from the post as asked, before any is changed.
    const written = plans.map((plan) => {
      const own = textFor(content, plan.channel.id);
      const tracked = plan.utm ? withUtm(own, plan.channel.network, plan.utm) : own;
      return plan.short && short ? short(tracked) : tracked;
    });
    plans.forEach((plan, index) => {
      const text = written[index]!;
      if (text !== content.text || content.variants[plan.channel.id] !== undefined) content.variants[plan.channel.id] = text;
    });
  } else if (everyShortens && short) {
    content.text = short(content.text);
    for (const [channelId, variant] of Object.entries(content.variants)) content.variants[channelId] = short(variant);
  }
  if (!short || !plans.some((plan) => plan.short)) return;
  if (content.parts) {
    const shortening = plans.filter((plan) => plan.short).map((plan) => plan.channel.id);
    content.parts = content.parts.map((part, index) => {
      if (index === 0) return { ...part, text: content.text };
      if (everyShortens) {
        return { ...part, text: short(part.text), ...(part.variants ? { variants: Object.fromEntries(Object.entries(part.variants).map(([channelId, text]) => [channelId, short(text)])) } : {}) };
      }
      const variants = { ...(part.variants ?? {}) };
      for (const channelId of shortening) {
        const own = variants[channelId] ?? part.text;
        const shortened = short(own);
        if (shortened !== part.text || variants[channelId] !== undefined) variants[channelId] = shortened;
      }
      return Object.keys(variants).length > 0 ? { ...part, variants } : part;
    });
  }
  if (content.firstComment && everyShortens) content.firstComment = { text: short(content.firstComment.text) };
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
