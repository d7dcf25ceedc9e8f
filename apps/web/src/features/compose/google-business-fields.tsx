/**
 * A post's Google Business Profile options: the local post's type (an
 * update, an event with its title and times, or an offer with its dates,
 * coupon, redeem link and terms) and its button (not on an offer: Google
 * gives an offer its own). Times are the location's wall time, in the
 * channel's zone, as Google takes them.
 */
import { useId } from 'react';
import type { ChannelView } from '../../api/views';
import { FieldErrors, SelectField, TextAreaField, TextField } from '../../ui/field';
import { CALL_TO_ACTIONS, CALL_TO_ACTION_WORDS, LOCAL_POST_TYPES, LOCAL_POST_TYPE_WORDS, maxLengthOf, type CallToAction, type LocalPostType } from '../channels/network-choices';
import type { GoogleBusinessChoice, NetworkOptionsChoice } from './network-options';
import type { OptionErrors } from './option-errors';

const TYPE_HINTS: Record<LocalPostType, string> = {
  STANDARD: 'News or an update, with a button',
  EVENT: 'A title, a start and an end',
  OFFER: 'Dates, a coupon and a link to redeem it',
};

export function googleBusinessSummary(choice: GoogleBusinessChoice): string {
  const type = LOCAL_POST_TYPE_WORDS[choice.topicType];
  const title = choice.topicType !== 'STANDARD' && choice.eventTitle.trim() ? `“${choice.eventTitle.trim()}”` : null;
  const button = choice.topicType === 'OFFER' ? 'Redeem online' : choice.actionType ? CALL_TO_ACTION_WORDS[choice.actionType] : 'Learn more (the first link)';
  return [type, title, `Button: ${button}`].filter(Boolean).join(' · ');
}

interface Props {
  channels: ChannelView[];
  choice: NetworkOptionsChoice;
  onChange: (choice: NetworkOptionsChoice) => void;
  errors: OptionErrors;
}

export function GoogleBusinessFields({ channels, choice, onChange, errors }: Props) {
  const business = choice.google_business;
  const set = (next: Partial<GoogleBusinessChoice>) => onChange({ ...choice, google_business: { ...business, ...next } });
  const name = useId();
  const zones = [...new Set(channels.map((channel) => channel.timezone))];
  const titleMax = maxLengthOf('google_business', 'event', 'title') ?? 58;
  const dated = business.topicType !== 'STANDARD';
  return (
    <>
      <fieldset className="plain-fieldset">
        <legend>Post type</legend>
        <div className="segmented" role="radiogroup" aria-label="Post type">
          {LOCAL_POST_TYPES.map((type) => (
            <label key={type} className="segment">
              <input type="radio" name={name} value={type} checked={business.topicType === type} onChange={() => set({ topicType: type })} />
              <span>
                <span className="radio-label">{LOCAL_POST_TYPE_WORDS[type]}</span>
                <span className="segment-hint">{TYPE_HINTS[type]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrors messages={errors('google_business', 'topicType')} />
      </fieldset>
      {dated ? (
        <div className="stack option-group">
          <TextField
            label={business.topicType === 'OFFER' ? 'Offer title' : 'Event title'}
            value={business.eventTitle}
            onChange={(event) => set({ eventTitle: event.target.value })}
            hint={`${Array.from(business.eventTitle).length}/${titleMax} characters.`}
            errors={[...errors('google_business', 'event'), ...errors('google_business', 'event.title')]}
          />
          <div className="row wrap option-dates">
            <TextField label="Starts" type="datetime-local" value={business.startsAt} onChange={(event) => set({ startsAt: event.target.value })} errors={errors('google_business', 'event.startsAt')} />
            <TextField label="Ends" type="datetime-local" value={business.endsAt} onChange={(event) => set({ endsAt: event.target.value })} errors={errors('google_business', 'event.endsAt')} />
          </div>
          <p className="field-hint">In the location’s time ({zones.join(', ')}), as Google shows it.</p>
        </div>
      ) : null}
      {business.topicType === 'OFFER' ? (
        <div className="stack option-group">
          <TextField label="Coupon code (optional)" value={business.couponCode} onChange={(event) => set({ couponCode: event.target.value })} errors={[...errors('google_business', 'offer'), ...errors('google_business', 'offer.couponCode')]} />
          <TextField label="Link to redeem it (optional)" type="url" inputMode="url" placeholder="https://" value={business.redeemUrl} onChange={(event) => set({ redeemUrl: event.target.value })} errors={errors('google_business', 'offer.redeemUrl')} />
          <TextAreaField label="Terms and conditions (optional)" rows={2} value={business.terms} onChange={(event) => set({ terms: event.target.value })} errors={errors('google_business', 'offer.terms')} />
          <p className="field-hint">Google gives an offer its own “Redeem online” button.</p>
        </div>
      ) : (
        <div className="row wrap option-button">
          <SelectField
            label="Button"
            value={business.actionType}
            onChange={(event) => set({ actionType: event.target.value as CallToAction | '' })}
            errors={[...errors('google_business', 'callToAction'), ...errors('google_business', 'callToAction.actionType')]}
          >
            <option value="">Learn more, to the text’s first link</option>
            {CALL_TO_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {CALL_TO_ACTION_WORDS[action]}
              </option>
            ))}
          </SelectField>
          {business.actionType && business.actionType !== 'CALL' ? (
            <TextField label="Button link" className="grow-field" type="url" inputMode="url" placeholder="https://" value={business.actionUrl} onChange={(event) => set({ actionUrl: event.target.value })} errors={errors('google_business', 'callToAction.url')} />
          ) : business.actionType === 'CALL' ? (
            <p className="field-hint">Rings the location’s phone number on its Business Profile.</p>
          ) : null}
        </div>
      )}
    </>
  );
}
