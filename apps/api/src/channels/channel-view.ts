import { ChannelLimits, channelLimitsOf } from '@herald/channels';
import { Channel } from '@herald/db';

/** A channel as the API shows it: never its tokens. */
export interface ChannelView {
  id: string;
  network: string;
  handle: string;
  /** Its own host: a Mastodon instance, a Bluesky PDS. */
  host: string | null;
  /** When its access token lapses, where the network says (a LinkedIn channel must be reconnected by then). */
  tokenExpiresAt: string | null;
  /** Its token lapses within a week and Herald cannot renew it (LinkedIn without a refresh token): connect it again before `tokenExpiresAt`. */
  expiring: boolean;
  timezone: string;
  postingSchedule: { slots: { day: string; time: string }[] };
  /** Mastodon: the visibility and language every post gets. */
  postDefaults: { visibility?: string; language?: string };
  /** How late a post may still go out (seconds); null: however late. */
  staleAfterSeconds: number | null;
  /** The channel's own content limits where its host has some (a Mastodon instance's characters and attachments): what posts to it are checked against. */
  limits: ChannelLimits;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export function toChannelView(channel: Channel): ChannelView {
  return {
    id: channel.id,
    network: channel.network,
    handle: channel.handle,
    host: channel.host ?? null,
    tokenExpiresAt: channel.tokenExpiresAt?.toISOString() ?? null,
    expiring: channel.status === 'active' && channel.expiryWarnedAt !== null,
    timezone: channel.timezone,
    postingSchedule: channel.postingSchedule,
    postDefaults: channel.postDefaults ?? {},
    staleAfterSeconds: channel.staleAfterSeconds ?? null,
    limits: channelLimitsOf(channel.details ?? {}),
    status: channel.status,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}
