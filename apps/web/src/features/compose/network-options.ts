/**
 * What a post tells only one network (`networkOptions.<network>`, PRODUCT.md
 * section 14) as compose and the post editor hold it: a form's strings and
 * ticks per network, the body the API takes (only what was given, only for
 * networks among the post's channels), the form read back from a saved
 * post, and what each picked channel lets a post choose among (a Pinterest
 * channel's boards, a TikTok creator's privacy levels). The values and
 * limits are the networks' own (channels/network-choices). Pure.
 */
import type { ChannelView, PostView } from '../../api/views';
import { tiktokChoices, type CallToAction, type LocalPostType, type TikTokChoices, type TikTokPrivacy, type YouTubePrivacy } from '../channels/network-choices';

/** The networks that take options, in the order compose shows them. */
export const OPTION_NETWORKS = ['youtube', 'tiktok', 'pinterest', 'google_business'] as const satisfies readonly ChannelView['network'][];
export type OptionNetwork = (typeof OPTION_NETWORKS)[number];

export interface YouTubeChoice {
  title: string;
  /** '' is the channel's default. */
  privacy: YouTubePrivacy | '';
  /** As typed: tags separated by commas. */
  tags: string;
}

export interface TikTokChoice {
  /** '' until the person picks one (TikTok wants no level picked for them). */
  privacy: TikTokPrivacy | '';
  allowComments: boolean;
  allowDuet: boolean;
  allowStitch: boolean;
  /** The post promotes the creator's own business ("Promotional content" on TikTok). */
  yourBrand: boolean;
  /** A paid partnership promoting a third party ("Paid partnership"; never private). */
  brandedContent: boolean;
}

export interface PinterestChoice {
  /** '' is the channel's own board. */
  boardId: string;
  title: string;
  link: string;
}

export interface GoogleBusinessChoice {
  topicType: LocalPostType;
  eventTitle: string;
  /** `YYYY-MM-DDTHH:mm`, the location's wall time. */
  startsAt: string;
  endsAt: string;
  couponCode: string;
  redeemUrl: string;
  terms: string;
  /** '' is Google's default (Learn more, to the text's first link). */
  actionType: CallToAction | '';
  actionUrl: string;
}

export interface NetworkOptionsChoice {
  youtube: YouTubeChoice;
  tiktok: TikTokChoice;
  pinterest: PinterestChoice;
  google_business: GoogleBusinessChoice;
}

export function emptyChoice(): NetworkOptionsChoice {
  return {
    youtube: { title: '', privacy: '', tags: '' },
    tiktok: { privacy: '', allowComments: false, allowDuet: false, allowStitch: false, yourBrand: false, brandedContent: false },
    pinterest: { boardId: '', title: '', link: '' },
    google_business: { topicType: 'STANDARD', eventTitle: '', startsAt: '', endsAt: '', couponCode: '', redeemUrl: '', terms: '', actionType: '', actionUrl: '' },
  };
}

export type NetworkOptionsBody = NonNullable<PostView['networkOptions']>;

/** The tags as typed, each trimmed, empty ones dropped. */
export function tagsOf(typed: string): string[] {
  return typed
    .split(',')
    .map((tag) => tag.trim().replace(/^#/, ''))
    .filter(Boolean);
}

const given = (value: string) => value.trim() !== '';

function youtubeBody(choice: YouTubeChoice): NetworkOptionsBody['youtube'] {
  const tags = tagsOf(choice.tags);
  return { ...(given(choice.title) ? { title: choice.title.trim() } : {}), ...(choice.privacy ? { privacy: choice.privacy } : {}), ...(tags.length > 0 ? { tags } : {}) };
}

function tiktokBody(choice: TikTokChoice, choices: TikTokChoices): NetworkOptionsBody['tiktok'] {
  // What the creator turned off is never asked for.
  return {
    ...(choice.privacy ? { privacy: choice.privacy } : {}),
    allowComments: choice.allowComments && !choices.commentDisabled,
    allowDuet: choice.allowDuet && !choices.duetDisabled,
    allowStitch: choice.allowStitch && !choices.stitchDisabled,
    ...(choice.yourBrand ? { yourBrand: true } : {}),
    ...(choice.brandedContent ? { brandedContent: true } : {}),
  };
}

function pinterestBody(choice: PinterestChoice): NetworkOptionsBody['pinterest'] {
  return { ...(choice.boardId ? { boardId: choice.boardId } : {}), ...(given(choice.title) ? { title: choice.title.trim() } : {}), ...(given(choice.link) ? { link: choice.link.trim() } : {}) };
}

function googleBusinessBody(choice: GoogleBusinessChoice): NetworkOptionsBody['google_business'] {
  const { topicType } = choice;
  // Only what is given: what is missing the API names at its field (`event.title is required`), and the rules compare only given times.
  const eventFields = { ...(given(choice.eventTitle) ? { title: choice.eventTitle.trim() } : {}), ...(choice.startsAt ? { startsAt: choice.startsAt } : {}), ...(choice.endsAt ? { endsAt: choice.endsAt } : {}) };
  const event = topicType !== 'STANDARD' && Object.keys(eventFields).length > 0 ? { event: eventFields as { title: string; startsAt: string; endsAt: string } } : {};
  const offerFields = { ...(given(choice.couponCode) ? { couponCode: choice.couponCode.trim() } : {}), ...(given(choice.redeemUrl) ? { redeemUrl: choice.redeemUrl.trim() } : {}), ...(given(choice.terms) ? { terms: choice.terms.trim() } : {}) };
  const offer = topicType === 'OFFER' && Object.keys(offerFields).length > 0 ? { offer: offerFields } : {};
  // An offer's button is Google's own (Redeem online).
  const button = topicType !== 'OFFER' && choice.actionType ? { callToAction: { actionType: choice.actionType, ...(choice.actionType !== 'CALL' && given(choice.actionUrl) ? { url: choice.actionUrl.trim() } : {}) } } : {};
  return { ...(topicType !== 'STANDARD' ? { topicType } : {}), ...event, ...offer, ...button };
}

/**
 * `networkOptions` as the API takes it: for each network among `targets`,
 * what the form gives (nothing when it gives nothing); the TikTok ticks
 * within what the creators allow.
 */
export function optionsBody(choice: NetworkOptionsChoice, targets: Pick<ChannelView, 'network' | 'choices'>[]): NetworkOptionsBody {
  const on = new Set(targets.map((channel) => channel.network));
  const body: NetworkOptionsBody = {};
  if (on.has('youtube')) body.youtube = youtubeBody(choice.youtube);
  if (on.has('tiktok')) body.tiktok = tiktokBody(choice.tiktok, tiktokChoices(targets.filter((channel) => channel.network === 'tiktok')));
  if (on.has('pinterest')) body.pinterest = pinterestBody(choice.pinterest);
  if (on.has('google_business')) body.google_business = googleBusinessBody(choice.google_business);
  for (const key of Object.keys(body) as (keyof NetworkOptionsBody)[]) if (Object.keys(body[key] ?? {}).length === 0) delete body[key];
  return body;
}

/** The options one channel's network gets from the form (what the rules check with its content), or nothing. */
export function optionsFor(choice: NetworkOptionsChoice, channel: Pick<ChannelView, 'network' | 'choices'>): Record<string, unknown> | undefined {
  const body = optionsBody(choice, [channel]) as Record<string, Record<string, unknown> | undefined>;
  return body[channel.network];
}

/** The form as a saved post's options fill it (the editor starts from them). */
export function choiceOf(saved: NetworkOptionsBody | undefined): NetworkOptionsChoice {
  const choice = emptyChoice();
  const youtube = saved?.youtube;
  if (youtube) choice.youtube = { title: youtube.title ?? '', privacy: youtube.privacy ?? '', tags: (youtube.tags ?? []).join(', ') };
  const tiktok = saved?.tiktok;
  if (tiktok) {
    choice.tiktok = {
      privacy: tiktok.privacy ?? '',
      allowComments: tiktok.allowComments ?? false,
      allowDuet: tiktok.allowDuet ?? false,
      allowStitch: tiktok.allowStitch ?? false,
      yourBrand: tiktok.yourBrand ?? false,
      brandedContent: tiktok.brandedContent ?? false,
    };
  }
  const pinterest = saved?.pinterest;
  if (pinterest) choice.pinterest = { boardId: pinterest.boardId ?? '', title: pinterest.title ?? '', link: pinterest.link ?? '' };
  const business = saved?.google_business;
  if (business) {
    choice.google_business = {
      topicType: business.topicType ?? 'STANDARD',
      eventTitle: business.event?.title ?? '',
      startsAt: business.event?.startsAt ?? '',
      endsAt: business.event?.endsAt ?? '',
      couponCode: business.offer?.couponCode ?? '',
      redeemUrl: business.offer?.redeemUrl ?? '',
      terms: business.offer?.terms ?? '',
      actionType: business.callToAction?.actionType ?? '',
      actionUrl: business.callToAction?.url ?? '',
    };
  }
  return choice;
}

/** The networks among the channels that take options, in compose's order. */
export function optionNetworks(targets: Pick<ChannelView, 'network'>[]): OptionNetwork[] {
  return OPTION_NETWORKS.filter((network) => targets.some((channel) => channel.network === network));
}
