/**
 * A post's TikTok options as TikTok's Direct Post guidelines want them
 * offered (developers.tiktok.com/doc/content-sharing-guidelines): the
 * account it goes to by name, who can see it among only the levels the
 * creator allows (the levels every picked creator allows, when several),
 * with none picked for the person unless the channel keeps a default;
 * comments, duets and stitches unticked until ticked, greyed out with the
 * reason where the creator turned them off (and duets and stitches for
 * videos only); whether the post promotes the creator's own brand or is
 * branded content (a paid partnership, which cannot be private: "Only me" is
 * then not offered), with the label TikTok will show; and the consent TikTok
 * asks for before a post goes out (its Branded Content Policy too when the
 * post is branded content).
 */
import type { ChannelView } from '../../api/views';
import { SelectField } from '../../ui/field';
import { channelName } from '../channels/api';
import { TIKTOK_PRIVACY_WORDS, channelDefault, tiktokChoices, type TikTokPrivacy } from '../channels/network-choices';
import type { NetworkOptionsChoice, TikTokChoice } from './network-options';
import type { OptionErrors } from './option-errors';

export const MUSIC_USAGE_CONFIRMATION = 'https://www.tiktok.com/legal/page/global/music-usage-confirmation/en';
export const BRANDED_CONTENT_POLICY = 'https://www.tiktok.com/legal/page/global/bc-policy/en';

/** The label TikTok shows on a post for what it disclosed, if any. */
export function tiktokLabel(choice: Pick<TikTokChoice, 'yourBrand' | 'brandedContent'>): string | null {
  if (choice.brandedContent) return 'Paid partnership';
  if (choice.yourBrand) return 'Promotional content';
  return null;
}

/** The privacy every picked TikTok channel keeps as its default, when they agree on one. */
export function sharedTikTokDefault(channels: Pick<ChannelView, 'networkOptions'>[]): TikTokPrivacy | undefined {
  const defaults = new Set(channels.map((channel) => channelDefault<TikTokPrivacy>(channel, 'privacy')));
  const [only] = [...defaults];
  return defaults.size === 1 ? only : undefined;
}

/** Whether the post still needs its TikTok privacy picked: TikTok wants the person to choose it, and no channel default stands in. */
export function tiktokPrivacyMissing(choice: TikTokChoice, channels: Pick<ChannelView, 'network' | 'networkOptions'>[]): boolean {
  const tiktok = channels.filter((channel) => channel.network === 'tiktok');
  return tiktok.length > 0 && choice.privacy === '' && sharedTikTokDefault(tiktok) === undefined;
}

export function tiktokSummary(choice: TikTokChoice): string {
  const allowed = [choice.allowComments ? 'comments' : null, choice.allowDuet ? 'duets' : null, choice.allowStitch ? 'stitches' : null].filter(Boolean);
  const label = tiktokLabel(choice);
  return [
    choice.privacy ? `Seen by: ${TIKTOK_PRIVACY_WORDS[choice.privacy]}` : 'Who can see it: not chosen yet',
    allowed.length > 0 ? `Allows ${allowed.join(', ')}` : 'No comments, duets or stitches',
    ...(label ? [`Labelled “${label}”`] : []),
  ].join(' · ');
}

interface Props {
  channels: ChannelView[];
  choice: NetworkOptionsChoice;
  onChange: (choice: NetworkOptionsChoice) => void;
  errors: OptionErrors;
  photosOnly: boolean;
}

export function TikTokFields({ channels, choice, onChange, errors, photosOnly }: Props) {
  const tiktok = choice.tiktok;
  const set = (next: Partial<TikTokChoice>) => onChange({ ...choice, tiktok: { ...tiktok, ...next } });
  const allowed = tiktokChoices(channels);
  const shared = sharedTikTokDefault(channels);
  const names = channels.map(channelName).join(', ');
  const offFor = (off: boolean, what: string) => (off ? `Turned off in the TikTok settings of ${channels.length === 1 ? 'this account' : 'one of these accounts'}: ${what} cannot be allowed.` : null);
  const boxes: { key: 'allowComments' | 'allowDuet' | 'allowStitch'; label: string; reason: string | null }[] = [
    { key: 'allowComments', label: 'Allow comments', reason: offFor(allowed.commentDisabled, 'comments') },
    { key: 'allowDuet', label: 'Allow Duet', reason: photosOnly ? 'A photo post takes no duets: they are for videos.' : offFor(allowed.duetDisabled, 'duets') },
    { key: 'allowStitch', label: 'Allow Stitch', reason: photosOnly ? 'A photo post takes no stitches: they are for videos.' : offFor(allowed.stitchDisabled, 'stitches') },
  ];
  return (
    <>
      <p className="field-hint">
        Posting to <strong>{names}</strong>
        {channels.length === 1 && channels[0]!.displayName ? ` (${channels[0]!.displayName})` : ''}.
      </p>
      <SelectField
        label="Who can see this post"
        value={tiktok.privacy}
        onChange={(event) => set({ privacy: event.target.value as TikTokPrivacy | '' })}
        hint={allowed.privacyLevels.length === 0 ? 'TikTok offers no privacy level these accounts all allow: post to them one at a time.' : `Only the levels ${channels.length === 1 ? 'this account allows' : 'every one of these accounts allows'}.`}
        errors={errors('tiktok', 'privacy')}
      >
        <option value="">{shared ? `The channel’s default: ${TIKTOK_PRIVACY_WORDS[shared]}` : 'Choose who can see it…'}</option>
        {allowed.privacyLevels.map((level) => (
          <option key={level} value={level} disabled={tiktok.brandedContent && level === 'SELF_ONLY'}>
            {TIKTOK_PRIVACY_WORDS[level]}
            {tiktok.brandedContent && level === 'SELF_ONLY' ? ' (not for branded content)' : ''}
          </option>
        ))}
      </SelectField>
      <fieldset className="plain-fieldset">
        <legend>Others may</legend>
        {boxes.map(({ key, label, reason }) => (
          <label key={key} className={`checkbox ${reason ? 'is-disabled' : ''}`}>
            <input type="checkbox" checked={tiktok[key] && !reason} disabled={reason !== null} onChange={(event) => set({ [key]: event.target.checked })} aria-describedby={reason ? `tiktok-${key}-why` : undefined} />
            <span>
              <span className="radio-label">{label}</span>
              {reason ? (
                <span className="field-hint" id={`tiktok-${key}-why`}>
                  {' '}
                  {reason}
                </span>
              ) : null}
            </span>
          </label>
        ))}
        {(['allowComments', 'allowDuet', 'allowStitch'] as const).flatMap((key) => errors('tiktok', key)).length > 0 ? (
          <ul className="field-errors">
            {(['allowComments', 'allowDuet', 'allowStitch'] as const)
              .flatMap((key) => errors('tiktok', key))
              .map((message) => (
                <li key={message}>{message}</li>
              ))}
          </ul>
        ) : null}
      </fieldset>
      <fieldset className="plain-fieldset">
        <legend>This post promotes</legend>
        <label className="checkbox">
          <input type="checkbox" checked={tiktok.yourBrand} onChange={(event) => set({ yourBrand: event.target.checked })} />
          <span>
            <span className="radio-label">Your brand</span>
            <span className="field-hint"> You are promoting yourself or your own business.</span>
          </span>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={tiktok.brandedContent}
            onChange={(event) => set({ brandedContent: event.target.checked, ...(event.target.checked && tiktok.privacy === 'SELF_ONLY' ? { privacy: '' } : {}) })}
          />
          <span>
            <span className="radio-label">Branded content</span>
            <span className="field-hint"> You are promoting another brand or a third party (a paid partnership). It cannot be private.</span>
          </span>
        </label>
        {tiktokLabel(tiktok) ? <p className="field-hint">TikTok will label the post “{tiktokLabel(tiktok)}”.</p> : null}
        {(['yourBrand', 'brandedContent'] as const).flatMap((key) => errors('tiktok', key)).length > 0 ? (
          <ul className="field-errors">
            {(['yourBrand', 'brandedContent'] as const)
              .flatMap((key) => errors('tiktok', key))
              .map((message) => (
                <li key={message}>{message}</li>
              ))}
          </ul>
        ) : null}
      </fieldset>
      <p className="consent-note">
        By posting, you agree to TikTok’s{' '}
        {tiktok.brandedContent ? (
          <>
            <a href={BRANDED_CONTENT_POLICY} target="_blank" rel="noreferrer">
              Branded Content Policy
            </a>{' '}
            and{' '}
          </>
        ) : null}
        <a href={MUSIC_USAGE_CONFIRMATION} target="_blank" rel="noreferrer">
          Music Usage Confirmation
        </a>
        . The post may take a few minutes to appear on the profile once TikTok has processed it.
      </p>
    </>
  );
}
