/**
 * The previews of networks whose posts do not look like a feed's: TikTok (a
 * vertical video with the caption and the creator's handle over it, and who
 * can see it), a Google Business Profile local post (its photo, an event's
 * or offer's title and dates, an offer's coupon, the summary and the
 * button, labelled as Google labels it), and what a Pinterest pin shows
 * under its image (its title and the domain it leads to). Each reads the
 * post's network options over the channel's own defaults.
 */
import { DateTime } from 'luxon';
import type { ChannelView } from '../../api/views';
import { MediaThumbnail } from '../../ui/media-thumbnail';
import { usePerson } from '../../ui/person';
import { ChannelAvatar, channelTitle, shownHandle } from '../channels/channel-badge';
import { CALL_TO_ACTION_WORDS, boardsOf, defaultBoardOf, TIKTOK_PRIVACY_WORDS, type CallToAction, type LocalPostType, type TikTokPrivacy } from '../channels/network-choices';
import type { Attachment } from './attachments';
import { firstLink } from './preview-text';

type Options = Record<string, unknown>;

/** The first file as a picture: its local preview, its library thumbnail, or nothing. */
function Picture({ attachment, className }: { attachment: Attachment | undefined; className: string }) {
  if (!attachment) return null;
  if (attachment.previewUrl) return <img src={attachment.previewUrl} alt={attachment.alt} className={className} />;
  if (attachment.media?.thumbnailUrl) return <MediaThumbnail mediaId={attachment.media.id} alt={attachment.alt} className={className} />;
  return null;
}

export function TikTokPreview({ channel, text, attachments, options }: { channel: ChannelView; text: string; attachments: Attachment[]; options: Options }) {
  const privacy = (options.privacy as TikTokPrivacy | undefined) ?? undefined;
  const shown = attachments.filter((attachment) => attachment.status !== 'failed');
  const photos = shown.length > 1 && shown.every((attachment) => attachment.media?.type === 'image');
  return (
    <article className="preview preview-tiktok" aria-label={`Preview on TikTok ${channel.handle}`}>
      <div className="tiktok-frame">
        <Picture attachment={shown[0]} className="tiktok-media" />
        {shown.length === 0 ? <span className="tiktok-empty">Add a video or photos: TikTok posts need one</span> : null}
        <span className="tiktok-privacy">
          <LockIcon /> {privacy ? TIKTOK_PRIVACY_WORDS[privacy] : 'Privacy not chosen'}
        </span>
        {photos ? <span className="tiktok-count">1/{shown.length}</span> : null}
        <div className="tiktok-rail" aria-hidden="true">
          <ChannelAvatar channel={channel} size="sm" />
          <span className="tiktok-action">
            <RailIcon path="M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3 4.5 6.8 4.5c2.1 0 3.6 1.1 5.2 3 1.6-1.9 3.1-3 5.2-3 3.8 0 5.9 3.9 4.4 7.3C19.5 16.4 12 21 12 21Z" />
          </span>
          <span className={`tiktok-action ${options.allowComments === false ? 'off' : ''}`}>
            <RailIcon path="M12 3C6.5 3 2 6.8 2 11.5c0 2.6 1.4 4.9 3.6 6.5L5 21.5l4-2.1c1 .3 2 .4 3 .4 5.5 0 10-3.8 10-8.5S17.5 3 12 3Z" />
          </span>
          <span className="tiktok-action">
            <RailIcon path="M14 4v4C7 9 4 13 3 19c2.5-3.5 6-5.1 11-5.1V18l7-7-7-7Z" />
          </span>
        </div>
        <div className="tiktok-caption">
          <strong>{shownHandle(channel).startsWith('@') ? shownHandle(channel) : `@${shownHandle(channel)}`}</strong>
          <p>{text || <span className="tiktok-faint">(no caption)</span>}</p>
        </div>
      </div>
    </article>
  );
}

function RailIcon({ path }: { path: string }) {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={path} />
    </svg>
  );
}

function LockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z" />
    </svg>
  );
}

interface LocalEvent {
  title?: string;
  startsAt?: string;
  endsAt?: string;
}

/** An event's dates as Google shows them: "Mar 12, 6:00 PM – 10:00 PM", the day repeated only when it ends on another. */
function eventDates(event: LocalEvent, locale: string): string | null {
  const start = event.startsAt ? DateTime.fromISO(event.startsAt).setLocale(locale) : undefined;
  const end = event.endsAt ? DateTime.fromISO(event.endsAt).setLocale(locale) : undefined;
  if (!start?.isValid) return null;
  const day = (at: DateTime) => at.toLocaleString({ month: 'short', day: 'numeric', year: at.year === DateTime.now().year ? undefined : 'numeric' });
  const time = (at: DateTime) => at.toLocaleString(DateTime.TIME_SIMPLE);
  if (!end?.isValid) return `${day(start)}, ${time(start)}`;
  return end.hasSame(start, 'day') ? `${day(start)}, ${time(start)} – ${time(end)}` : `${day(start)}, ${time(start)} – ${day(end)}, ${time(end)}`;
}

export function LocalPostPreview({ channel, text, attachments, options }: { channel: ChannelView; text: string; attachments: Attachment[]; options: Options }) {
  const { locale } = usePerson();
  const type = (options.topicType as LocalPostType | undefined) ?? 'STANDARD';
  const event = (options.event as LocalEvent | undefined) ?? {};
  const offer = (options.offer as { couponCode?: string; redeemUrl?: string; terms?: string } | undefined) ?? {};
  const action = (options.callToAction as { actionType?: CallToAction } | undefined)?.actionType ?? (firstLink(text) ? 'LEARN_MORE' : undefined);
  const button = type === 'OFFER' ? 'Redeem online' : action ? CALL_TO_ACTION_WORDS[action] : null;
  const dates = type !== 'STANDARD' ? eventDates(event, locale) : null;
  return (
    <article className="preview preview-google_business local-post" aria-label={`Preview on Google Business Profile ${channel.handle}`}>
      <header className="preview-header">
        <ChannelAvatar channel={channel} />
        <span className="preview-identity">
          <strong>{channelTitle(channel)}</strong>
          <span className="muted">Google Business Profile · {type === 'STANDARD' ? 'Update' : type === 'EVENT' ? 'Event' : 'Offer'}</span>
        </span>
      </header>
      <Picture attachment={attachments.find((attachment) => attachment.status !== 'failed')} className="local-post-photo" />
      {type !== 'STANDARD' ? (
        <div className="local-post-event">
          {type === 'OFFER' ? <span className="badge badge-ok">Offer</span> : null}
          <p className="local-post-title">{event.title || <span className="muted">(no title yet)</span>}</p>
          <p className="local-post-dates muted">{dates ?? 'No dates yet'}</p>
        </div>
      ) : null}
      <p className="preview-text">{text || <span className="muted">(no text)</span>}</p>
      {type === 'OFFER' && offer.couponCode ? (
        <div className="local-post-coupon">
          <span className="muted">Show this code at the store</span>
          <strong>{offer.couponCode}</strong>
        </div>
      ) : null}
      {type === 'OFFER' && offer.terms ? <p className="local-post-terms muted">Terms: {offer.terms}</p> : null}
      {button ? <span className="local-post-button">{button}</span> : null}
    </article>
  );
}

/** Under a pin's image: its title, the domain it leads to (its link, else the text's first) and the board it is saved to. */
export function PinDetails({ channel, text, options }: { channel: ChannelView; text: string; options: Options }) {
  const title = typeof options.title === 'string' ? options.title : '';
  const link = typeof options.link === 'string' ? options.link : firstLink(text)?.href;
  let host: string | null = null;
  try {
    host = link ? new URL(link).host.replace(/^www\./, '') : null;
  } catch {
    host = link ?? null;
  }
  const board = boardsOf(channel).find((entry) => entry.id === options.boardId) ?? defaultBoardOf(channel);
  return (
    <div className="pin-details">
      {title ? <p className="pin-title">{title}</p> : null}
      {host ? <p className="pin-link">↗ {host}</p> : null}
      {board ? <p className="pin-board muted">Saved to {board.name}</p> : null}
    </div>
  );
}
