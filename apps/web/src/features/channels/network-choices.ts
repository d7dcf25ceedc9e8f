/**
 * What a channel's network lets its posts (and the channel's own defaults)
 * choose (`networkOptions.<network>`, PRODUCT.md section 14): the values and
 * limits come from each network's own options schema (its descriptor in
 * @herald/channels, the schema the API checks requests with), the choices
 * from the channel (`choices`: a Pinterest channel's boards, a TikTok
 * creator's privacy levels and the interactions it turned off), and the
 * words people read for each value. Pure.
 */
import { DESCRIBED_NETWORKS } from '@herald/channels/rules/catalog';
import type { ChannelView, PostView } from '../../api/views';

type PostOptions = NonNullable<PostView['networkOptions']>;
export type YouTubePrivacy = NonNullable<NonNullable<PostOptions['youtube']>['privacy']>;
export type TikTokPrivacy = NonNullable<NonNullable<PostOptions['tiktok']>['privacy']>;
export type LocalPostType = NonNullable<NonNullable<PostOptions['google_business']>['topicType']>;
export type CallToAction = NonNullable<NonNullable<PostOptions['google_business']>['callToAction']>['actionType'];

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  enum?: string[];
  maxLength?: number;
}

/** The network's options schema at `path` (`['event', 'title']`). */
function schemaAt(network: string, path: string[]): SchemaNode | undefined {
  let node = DESCRIBED_NETWORKS.find((descriptor) => descriptor.network === network)?.options?.schema as SchemaNode | undefined;
  for (const key of path) node = node?.properties?.[key];
  return node;
}

function enumAt<T extends string>(network: string, ...path: string[]): readonly T[] {
  return (schemaAt(network, path)?.enum ?? []) as T[];
}

/** The most characters the network's schema takes at `path`. */
export function maxLengthOf(network: string, ...path: string[]): number | undefined {
  return schemaAt(network, path)?.maxLength;
}

export const YOUTUBE_PRIVACIES = enumAt<YouTubePrivacy>('youtube', 'privacy');
export const TIKTOK_PRIVACIES = enumAt<TikTokPrivacy>('tiktok', 'privacy');
export const LOCAL_POST_TYPES = enumAt<LocalPostType>('google_business', 'topicType');
export const CALL_TO_ACTIONS = enumAt<CallToAction>('google_business', 'callToAction', 'actionType');

export const YOUTUBE_PRIVACY_WORDS: Record<YouTubePrivacy, string> = { public: 'Public', unlisted: 'Unlisted (anyone with the link)', private: 'Private (only you)' };

/** TikTok's own words for its privacy levels, as its app shows them. */
export const TIKTOK_PRIVACY_WORDS: Record<TikTokPrivacy, string> = {
  PUBLIC_TO_EVERYONE: 'Everyone',
  MUTUAL_FOLLOW_FRIENDS: 'Friends',
  FOLLOWER_OF_CREATOR: 'Followers',
  SELF_ONLY: 'Only me',
};

export const LOCAL_POST_TYPE_WORDS: Record<LocalPostType, string> = { STANDARD: 'Update', EVENT: 'Event', OFFER: 'Offer' };

/** A button's label as Google shows it on the local post. */
export const CALL_TO_ACTION_WORDS: Record<CallToAction, string> = { BOOK: 'Book', ORDER: 'Order online', SHOP: 'Buy', LEARN_MORE: 'Learn more', SIGN_UP: 'Sign up', CALL: 'Call now' };

export interface Board {
  id: string;
  name: string;
}

/** A Pinterest channel's boards, as connecting read them. */
export function boardsOf(channel: Pick<ChannelView, 'choices'>): Board[] {
  const boards = (channel.choices as { boards?: unknown }).boards;
  return Array.isArray(boards) ? boards.filter((board): board is Board => typeof board?.id === 'string' && typeof board?.name === 'string') : [];
}

/** The board a Pinterest channel pins to unless a post says otherwise: its own default, else its first (the one connecting kept). */
export function defaultBoardOf(channel: Pick<ChannelView, 'choices' | 'networkOptions'>): Board | undefined {
  const boards = boardsOf(channel);
  const own = (channel.networkOptions as { boardId?: unknown }).boardId;
  return boards.find((board) => board.id === own) ?? boards[0];
}

export interface TikTokChoices {
  /** The privacy levels every creator allows (their intersection), in TikTok's order. */
  privacyLevels: TikTokPrivacy[];
  commentDisabled: boolean;
  duetDisabled: boolean;
  stitchDisabled: boolean;
}

/** What TikTok creators let a post choose: the levels all of them allow; an interaction off when any of them turned it off. */
export function tiktokChoices(channels: Pick<ChannelView, 'choices'>[]): TikTokChoices {
  const each = channels.map((channel) => channel.choices as { privacyLevels?: unknown; commentDisabled?: unknown; duetDisabled?: unknown; stitchDisabled?: unknown });
  const levels = (entry: (typeof each)[number]) => (Array.isArray(entry.privacyLevels) ? (entry.privacyLevels as string[]) : []);
  return {
    privacyLevels: TIKTOK_PRIVACIES.filter((level) => each.length > 0 && each.every((entry) => levels(entry).includes(level))),
    commentDisabled: each.some((entry) => entry.commentDisabled === true),
    duetDisabled: each.some((entry) => entry.duetDisabled === true),
    stitchDisabled: each.some((entry) => entry.stitchDisabled === true),
  };
}

/** A channel's own default for one of its network's options (`privacy`), when it keeps one. */
export function channelDefault<T extends string>(channel: Pick<ChannelView, 'networkOptions'>, key: string): T | undefined {
  const value = (channel.networkOptions as Record<string, unknown>)[key];
  return typeof value === 'string' ? (value as T) : undefined;
}

/** What the network says of itself on a channel's settings (TikTok: an unaudited app posts privately). */
export function networkNote(network: string): string | undefined {
  return DESCRIBED_NETWORKS.find((descriptor) => descriptor.network === network)?.note;
}
