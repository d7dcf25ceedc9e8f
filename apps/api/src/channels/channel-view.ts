import { ChannelLimits, channelLimitsOf, optionsSpecOf } from '@herald/channels';
import { Channel } from '@herald/db';

/** A channel as the API shows it: never its tokens. */
export interface ChannelView {
  id: string;
  network: string;
  /** As the network writes it: `@name@instance` on Mastodon, the person's or Page's name on LinkedIn and Facebook, the username elsewhere. */
  handle: string;
  /** The account's or Page's name as the network gives it; null until read. */
  displayName: string | null;
  /** Herald's copy of the avatar (`/v1/channels/{id}/avatar`), never the network's URL; null when none is kept. */
  avatarUrl: string | null;
  /** When name, handle and avatar were last read from the network. */
  profileRefreshedAt: string | null;
  /** Its own host: a Mastodon instance, a Bluesky PDS. */
  host: string | null;
  /** When its access token lapses, where the network says (a LinkedIn channel must be reconnected by then). */
  tokenExpiresAt: string | null;
  /** Its token lapses within a week and Herald cannot renew it (LinkedIn without a refresh token): connect it again before `tokenExpiresAt`. */
  expiring: boolean;
  timezone: string;
  /** `isDefault`: still the schedule Herald gave the new channel (nobody edited it). */
  postingSchedule: { slots: { day: string; time: string }[]; isDefault: boolean };
  /** Mastodon: the visibility and language every post gets. */
  postDefaults: { visibility?: string; language?: string };
  /** How late a post may still go out (seconds); null: however late. */
  staleAfterSeconds: number | null;
  /** Its queue recycles evergreen posts at least this many days apart; null: it does not. */
  evergreenMinRepeatDays: number | null;
  /** UTM parameters and short links for every post to it that does not say otherwise; `{}`: neither. */
  links: { utm?: boolean | { campaign?: string; source?: string; medium?: string }; shorten?: boolean };
  /** The channel's own content limits where its host has some (a Mastodon instance's characters and attachments): what posts to it are checked against. */
  limits: ChannelLimits;
  /** What every post to it tells its network unless the post says otherwise (`networkOptions.<network>`): a Pinterest board, a TikTok privacy. */
  networkOptions: Record<string, unknown>;
  /** What its posts' network options choose among (Pinterest `boards`; TikTok the creator's `privacyLevels` and what it turned off); `{}` where nothing. */
  choices: Record<string, unknown>;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export function toChannelView(channel: Channel): ChannelView {
  return {
    id: channel.id,
    network: channel.network,
    handle: channel.handle,
    displayName: channel.displayName ?? null,
    avatarUrl: channel.avatarEtag ? `/v1/channels/${channel.id}/avatar` : null,
    profileRefreshedAt: channel.profileRefreshedAt?.toISOString() ?? null,
    host: channel.host ?? null,
    tokenExpiresAt: channel.tokenExpiresAt?.toISOString() ?? null,
    expiring: channel.status === 'active' && channel.expiryWarnedAt !== null,
    timezone: channel.timezone,
    postingSchedule: { slots: channel.postingSchedule.slots, isDefault: channel.scheduleIsDefault ?? false },
    postDefaults: channel.postDefaults ?? {},
    staleAfterSeconds: channel.staleAfterSeconds ?? null,
    evergreenMinRepeatDays: channel.evergreenMinRepeatDays ?? null,
    links: channel.links ?? {},
    limits: channelLimitsOf(channel.details ?? {}),
    networkOptions: channel.networkOptions ?? {},
    choices: optionsSpecOf(channel.network)?.choices?.(channel.details ?? {}) ?? {},
    status: channel.status,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}
