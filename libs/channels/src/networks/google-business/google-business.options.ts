/**
 * `networkOptions.google_business`: the local post's type (`STANDARD`, the
 * default; `EVENT` with its title and times; `OFFER`, an event with a
 * coupon, a link to redeem it and its terms), and its call to action (a
 * button: `BOOK`, `ORDER`, `SHOP`, `LEARN_MORE`, `SIGN_UP` with a link, or
 * `CALL` the location's phone, without one; default: `LEARN_MORE` to the
 * text's first link). An offer's button is Google's own ("Redeem online").
 * Times are the location's wall time (`YYYY-MM-DDTHH:mm`, in the channel's
 * zone), as Google's `schedule` takes them. Source: developers.google.com
 * `/my-business/reference/rest/v4/accounts.locations.localPosts#LocalPost`,
 * `#LocalPostEvent`, `#LocalPostOffer`, `#ActionType`.
 */
import type { NetworkOptionsSpec } from '../../rules/descriptor';
import type { ContentViolation } from '../../rules/types';
import { isWebLink } from '../../rules/web-link';

export const LOCAL_POST_TYPES = ['STANDARD', 'EVENT', 'OFFER'] as const;
export const CALL_TO_ACTIONS = ['BOOK', 'ORDER', 'SHOP', 'LEARN_MORE', 'SIGN_UP', 'CALL'] as const;
export const EVENT_TITLE_MAX = 58;
const WALL_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$';

export interface GoogleBusinessOptions {
  topicType?: (typeof LOCAL_POST_TYPES)[number];
  callToAction?: { actionType: (typeof CALL_TO_ACTIONS)[number]; url?: string };
  event?: { title: string; startsAt: string; endsAt: string };
  offer?: { couponCode?: string; redeemUrl?: string; terms?: string };
}

export const GOOGLE_BUSINESS_OPTIONS: NetworkOptionsSpec = {
  schema: {
    type: 'object',
    additionalProperties: false,
    description: 'Google Business Profile: the local post as a standard post, an event or an offer, and its button',
    properties: {
      topicType: { type: 'string', enum: [...LOCAL_POST_TYPES], description: 'STANDARD (the default), EVENT (needs `event`) or OFFER (needs `event` for its dates, and takes `offer`)' },
      callToAction: {
        type: 'object',
        additionalProperties: false,
        required: ['actionType'],
        description: "The post's button (not on an offer); default: LEARN_MORE to the text's first link",
        properties: {
          actionType: { type: 'string', enum: [...CALL_TO_ACTIONS], description: "CALL rings the location's phone and takes no url; the others need one" },
          url: { type: 'string', minLength: 1, maxLength: 2048, description: 'Where the button leads (http or https)' },
        },
      },
      event: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'startsAt', 'endsAt'],
        description: "An event's or an offer's title and times, in the location's wall time (the channel's zone)",
        properties: {
          title: { type: 'string', minLength: 1, maxLength: EVENT_TITLE_MAX },
          startsAt: { type: 'string', pattern: WALL_TIME, example: '2027-03-12T18:00' },
          endsAt: { type: 'string', pattern: WALL_TIME, example: '2027-03-12T22:00' },
        },
      },
      offer: {
        type: 'object',
        additionalProperties: false,
        description: "An offer's coupon, where to redeem it and its terms",
        properties: {
          couponCode: { type: 'string', minLength: 1, maxLength: 58 },
          redeemUrl: { type: 'string', minLength: 1, maxLength: 2048, description: 'Where the offer is redeemed online (http or https)' },
          terms: { type: 'string', minLength: 1, maxLength: 5000 },
        },
      },
    },
  },
  channelDefaults: [],
  violations(options) {
    const { topicType = 'STANDARD', callToAction, event, offer } = options as GoogleBusinessOptions;
    const violations: ContentViolation[] = [];
    const refuse = (code: string, field: string, message: string) => violations.push({ code, field, message });
    if (topicType !== 'STANDARD' && !event) refuse('event_required', 'event', `A Business Profile ${topicType === 'EVENT' ? 'event' : 'offer'} needs its title and times (event)`);
    if (topicType === 'STANDARD' && event) refuse('event_not_taken', 'event', 'A STANDARD local post has no event: make it topicType EVENT or OFFER');
    if (topicType !== 'OFFER' && offer) refuse('offer_not_taken', 'offer', `A ${topicType} local post has no offer: make it topicType OFFER`);
    if (topicType === 'OFFER' && callToAction) refuse('call_to_action_not_taken', 'callToAction', "An offer's button is Google's own (Redeem online): give offer.redeemUrl instead");
    if (callToAction) {
      if (callToAction.actionType === 'CALL' && callToAction.url !== undefined) refuse('call_to_action_url_not_taken', 'callToAction.url', "A CALL button rings the location's phone and takes no url");
      if (callToAction.actionType !== 'CALL' && callToAction.url === undefined) refuse('call_to_action_url_required', 'callToAction.url', `A ${callToAction.actionType} button needs a url`);
      if (callToAction.url !== undefined && !isWebLink(callToAction.url)) refuse('link_invalid', 'callToAction.url', `The button's url "${callToAction.url}" is not an http or https URL`);
    }
    if (event && event.endsAt <= event.startsAt) refuse('event_ends_before_start', 'event.endsAt', `The event ends (${event.endsAt}) before or as it starts (${event.startsAt})`);
    if (offer?.redeemUrl !== undefined && !isWebLink(offer.redeemUrl)) refuse('link_invalid', 'offer.redeemUrl', `The offer's redeem url "${offer.redeemUrl}" is not an http or https URL`);
    return violations;
  },
};
