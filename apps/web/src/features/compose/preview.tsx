/**
 * How the post will look on each network: the text it gets (what is past the
 * limit marked as refused), where its feed folds a long text, the link card a
 * link makes when there is no media, and the images it takes.
 */
import { NETWORK_RULES, maxMediaItems } from '@herald/channels/rules';
import type { ChannelView } from '../../api/views';
import { NETWORK_NAMES } from '../channels/api';
import { MediaThumbnail } from '../../ui/media-thumbnail';
import type { Attachment } from './attachments';
import { FEED_FOLD, firstLink, splitAtLimit } from './preview-text';

const CARD_MAKER: Partial<Record<ChannelView['network'], string>> = {
  bluesky: 'Herald makes the card from the page’s title and description.',
  instagram: 'Instagram does not make links in captions clickable.',
};

export function Preview({ channel, text, attachments }: { channel: ChannelView; text: string; attachments: Attachment[] }) {
  const { within, over } = splitAtLimit(channel.network, text, channel.limits ?? {});
  const fold = FEED_FOLD[channel.network];
  const folded = fold && Array.from(within).length > fold.after;
  const shownText = folded ? Array.from(within).slice(0, fold.after).join('') : within;
  const rules = NETWORK_RULES[channel.network];
  const images = attachments.filter((attachment) => attachment.status !== 'failed');
  const taken = images.slice(0, maxMediaItems(rules));
  const left = images.slice(taken.length);
  const link = images.length === 0 ? firstLink(text) : undefined;
  return (
    <article className={`preview preview-${channel.network}`} aria-label={`Preview on ${NETWORK_NAMES[channel.network]} ${channel.handle}`}>
      <header className="preview-header">
        <span className="avatar" aria-hidden="true">
          {channel.handle.replace(/^@/, '').slice(0, 1).toUpperCase()}
        </span>
        <span>
          <strong>{channel.handle}</strong> <span className="muted">on {NETWORK_NAMES[channel.network]}</span>
        </span>
      </header>
      <p className="preview-text">
        {shownText || <span className="muted">(no text)</span>}
        {folded ? (
          <>
            <span className="preview-fold">{fold.label}</span>
            <span className="visually-hidden"> (the feed shows the rest when “more” is opened)</span>
          </>
        ) : null}
        {over ? (
          <mark className="preview-over" title={`Past ${rules.displayName}'s limit: refused`}>
            <span className="visually-hidden">Past the limit, refused: </span>
            {over}
          </mark>
        ) : null}
      </p>
      {link ? (
        <div className="link-card">
          <p className="link-card-host">{link.host}</p>
          <p className="link-card-url">{link.href}</p>
          <p className="muted">{CARD_MAKER[channel.network] ?? `${NETWORK_NAMES[channel.network]} makes a card from the page when it is published.`}</p>
        </div>
      ) : null}
      {taken.length > 0 ? (
        <div className={`preview-media count-${Math.min(taken.length, 4)}`}>
          {taken.map((attachment) =>
            attachment.previewUrl ? (
              <img key={attachment.key} src={attachment.previewUrl} alt={attachment.alt} />
            ) : attachment.media?.thumbnailUrl ? (
              <MediaThumbnail key={attachment.key} mediaId={attachment.media.id} alt={attachment.alt} />
            ) : (
              <span key={attachment.key} className="preview-video">
                {attachment.name}
              </span>
            ),
          )}
        </div>
      ) : null}
      {left.length > 0 ? (
        <p className="field-errors">
          {rules.displayName} takes at most {maxMediaItems(rules)}: remove {left.length} to post there.
        </p>
      ) : null}
    </article>
  );
}
