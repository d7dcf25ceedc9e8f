/**
 * What a local post is beside its summary and photos, from the post's
 * `networkOptions.google_business`: its `topicType`, its `callToAction`,
 * and an event's or an offer's `event` (Google's `schedule` of dates and
 * times of day, which are the location's wall time: the options' times are
 * that already, so they are split, not converted) and `offer`. Source:
 * developers.google.com `/my-business/reference/rest/v4/accounts.locations.localPosts#LocalPost`.
 */
import { NetworkError } from '../../errors';
import { GoogleBusinessOptions } from './google-business.options';

interface GoogleDate {
  year: number;
  month: number;
  day: number;
}

interface GoogleTimeOfDay {
  hours: number;
  minutes: number;
}

/**
 * The local post's type and what goes with it. Without a button of its own,
 * a post that is not an offer gets `LEARN_MORE` to `firstLink` (an offer's
 * button is Google's own "Redeem online").
 */
export function localPostFields(options: GoogleBusinessOptions, firstLink: string | undefined): Record<string, unknown> {
  const topicType = options.topicType ?? 'STANDARD';
  const callToAction = options.callToAction ?? (topicType !== 'OFFER' && firstLink ? { actionType: 'LEARN_MORE' as const, url: firstLink } : undefined);
  return {
    topicType,
    ...(callToAction ? { callToAction: callToAction.actionType === 'CALL' ? { actionType: 'CALL' } : { actionType: callToAction.actionType, url: callToAction.url } } : {}),
    ...(options.event
      ? {
          event: {
            title: options.event.title,
            schedule: { ...dateAndTime('start', options.event.startsAt), ...dateAndTime('end', options.event.endsAt) },
          },
        }
      : {}),
    ...(options.offer
      ? {
          offer: {
            ...(options.offer.couponCode !== undefined ? { couponCode: options.offer.couponCode } : {}),
            ...(options.offer.redeemUrl !== undefined ? { redeemOnlineUrl: options.offer.redeemUrl } : {}),
            ...(options.offer.terms !== undefined ? { termsConditions: options.offer.terms } : {}),
          },
        }
      : {}),
  };
}

/** `YYYY-MM-DDTHH:mm` as Google's `<side>Date` and `<side>Time`. */
function dateAndTime(side: 'start' | 'end', wallTime: string): Record<string, GoogleDate | GoogleTimeOfDay> {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wallTime);
  // The API checked the pattern; a time that slipped past it is not sent half-read.
  if (!match) throw new NetworkError('rejected', 'event_time_invalid', `The event's time "${wallTime}" is not YYYY-MM-DDTHH:mm`);
  const [year, month, day, hours, minutes] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { [`${side}Date`]: { year, month, day }, [`${side}Time`]: { hours, minutes } };
}
