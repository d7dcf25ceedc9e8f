/**
 * How the post will look on each network: the text it gets (what is past the
 * limit marked as refused), where its feed folds a long text, the link card a
 * link makes when there is no media, and the images it takes. A thread shows
 * as the network shows one: each part under the one before, joined by a line,
 * saying whom it replies to; a first comment under the post (a comment on
 * LinkedIn, Facebook and Instagram, the thread's last reply elsewhere).
 */
import { NETWORK_RULES, maxMediaItems, titleOf } from '@herald/channels/rules';
import type { ChannelView } from '../../api/views';
import { NETWORK_NAMES } from '../channels/api';
import { ChannelAvatar, channelTitle, shownHandle } from '../channels/channel-badge';
import { MediaThumbnail } from '../../ui/media-thumbnail';
import type { Attachment } from './attachments';
import { FEED_FOLD, firstLink, splitAtLimit } from './preview-text';
import { takesThreads } from './thread';
import { LocalPostPreview, PinDetails, TikTokPreview } from './network-previews';
import { YOUTUBE_PRIVACY_WORDS, type YouTubePrivacy } from '../channels/network-choices';

const CARD_MAKER: Partial<Record<ChannelView['network'], string>> = {
  bluesky: 'Herald makes the card from the page’s title and description.',
  instagram: 'Instagram does not make links in captions clickable.',
};

/** A part after the first: its text and files. */
export interface PreviewPart {
  key: string;
  text: string;
  attachments: Attachment[];
}

interface Props {
  channel: ChannelView;
  /** Part 0's text as this channel gets it (its variant, else the post's). */
  text: string;
  attachments: Attachment[];
  /** The parts after the first, in order. */
  more?: PreviewPart[];
  firstComment?: string;
  /** What the post tells only this channel's network (`networkOptions.<network>`, over the channel's defaults). */
  options?: Record<string, unknown>;
}

export function Preview({ channel, text, attachments, more = [], firstComment = '', options }: Props) {
  const name = `${NETWORK_NAMES[channel.network]} ${channel.handle}`;
  const comment = firstComment.trim();
  if (takesThreads(channel) && (more.length > 0 || comment)) {
    const pieces = [{ key: 'first', text, attachments }, ...more];
    return (
      <article className={`preview preview-${channel.network} preview-thread`} aria-label={`Preview on ${name}: a thread of ${pieces.length + (comment ? 1 : 0)}`}>
        <ol className="preview-chain">
          {pieces.map((piece, index) => (
            <li key={piece.key} className="preview-chain-item" data-part={index}>
              <span className="preview-rail">
                <ChannelAvatar channel={channel} size="sm" />
              </span>
              <div className="preview-chain-body">
                <Identity channel={channel} inline />
                {index > 0 ? <p className="preview-replying">Replying to {shownHandle(channel)}</p> : null}
                <PreviewBody channel={channel} text={piece.text} attachments={piece.attachments} />
                <p className="preview-part-number muted">
                  {index + 1}/{pieces.length}
                </p>
              </div>
            </li>
          ))}
          {comment ? (
            <li className="preview-chain-item" data-part="comment">
              <span className="preview-rail">
                <ChannelAvatar channel={channel} size="sm" />
              </span>
              <div className="preview-chain-body">
                <Identity channel={channel} inline />
                <p className="preview-replying">
                  Replying to {shownHandle(channel)} · <span className="badge badge-muted">First comment</span>
                </p>
                <PreviewBody channel={channel} text={comment} attachments={[]} />
              </div>
            </li>
          ) : null}
        </ol>
      </article>
    );
  }
  // The post's options over the channel's own defaults, as the network gets them.
  const shownOptions = { ...channel.networkOptions, ...options };
  if (channel.network === 'tiktok') return <TikTokPreview channel={channel} text={text} attachments={attachments} options={shownOptions} />;
  if (channel.network === 'google_business') return <LocalPostPreview channel={channel} text={text} attachments={attachments} options={shownOptions} />;
  return (
    <article className={`preview preview-${channel.network}`} aria-label={`Preview on ${name}`}>
      <header className="preview-header">
        <ChannelAvatar channel={channel} />
        <Identity channel={channel} />
      </header>
      <PreviewBody channel={channel} text={text} attachments={attachments} options={options} />
      {channel.network === 'pinterest' ? <PinDetails channel={channel} text={text} options={shownOptions} /> : null}
      {channel.network === 'youtube' ? <p className="preview-privacy muted">{YOUTUBE_PRIVACY_WORDS[(shownOptions.privacy as YouTubePrivacy | undefined) ?? 'public'].replace(/ \(.*/, '')}</p> : null}
      {more.length > 0 ? (
        <p className="field-errors" role="note">
          {NETWORK_NAMES[channel.network]} has no threads: it takes one part, not {more.length + 1}.
        </p>
      ) : null}
      {comment ? (
        <div className="preview-comment" data-part="comment">
          <p className="preview-comment-label muted">First comment</p>
          <div className="preview-comment-row">
            <ChannelAvatar channel={channel} size="sm" />
            <div className="preview-comment-bubble">
              <strong className="preview-comment-name">{channelTitle(channel)}</strong>
              <PreviewBody channel={channel} text={comment} attachments={[]} card={false} />
            </div>
          </div>
        </div>
      ) : null}
    </article>
  );
}

function Identity({ channel, inline = false }: { channel: ChannelView; inline?: boolean }) {
  return (
    <span className={`preview-identity ${inline ? 'inline' : ''}`}>
      <strong>{channelTitle(channel)}</strong>
      <span className="muted">
        {shownHandle(channel) !== channelTitle(channel) && channel.network !== 'linkedin' ? `${shownHandle(channel)} · ` : ''}
        {NETWORK_NAMES[channel.network]}
      </span>
    </span>
  );
}

/** One piece's text (struck through past the limit, folded where the feed folds), its link card and its files. */
function PreviewBody({ channel, text, attachments, card = true, options }: { channel: ChannelView; text: string; attachments: Attachment[]; card?: boolean; options?: Record<string, unknown> }) {
  const { within, over } = splitAtLimit(channel.network, text, channel.limits ?? {});
  const fold = FEED_FOLD[channel.network];
  const folded = fold && Array.from(within).length > fold.after;
  const shownText = folded ? Array.from(within).slice(0, fold.after).join('') : within;
  const rules = NETWORK_RULES[channel.network];
  const images = attachments.filter((attachment) => attachment.status !== 'failed');
  const taken = images.slice(0, maxMediaItems(rules));
  const left = images.slice(taken.length);
  // A comment under a post shows its link as a link, without a card.
  const link = card && images.length === 0 ? firstLink(text) : undefined;
  const titled = rules.text.title;
  return (
    <>
      {titled ? <VideoTitle text={text} own={typeof options?.title === 'string' ? options.title : undefined} rule={titled} network={rules.displayName} attachments={taken} /> : null}
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
    </>
  );
}

/**
 * Where the network shows a title taken from the text (YouTube: its first
 * line, over the description): the title, what is past its limit marked as
 * refused, and whether the video will be a Short (vertical, at most 3 min).
 */
function VideoTitle({ text, own, rule, network, attachments }: { text: string; own?: string; rule: { maxLength: number; from: string }; network: string; attachments: Attachment[] }) {
  // A title of its own (networkOptions.youtube.title) stands for the text's first line.
  const title = Array.from(own ?? titleOf(text));
  const video = attachments.find((attachment) => attachment.media?.type === 'video')?.media;
  const short = video?.width && video.height && video.height >= video.width && video.durationMs !== undefined && video.durationMs !== null && video.durationMs <= 180_000;
  return (
    <p className="preview-title" title={`${network}'s title: ${rule.from}, at most ${rule.maxLength} characters`}>
      {short ? <span className="badge badge-muted">Short</span> : null} <strong>{title.slice(0, rule.maxLength).join('') || <span className="muted">(no title: {rule.from} is empty)</span>}</strong>
      {title.length > rule.maxLength ? (
        <mark className="preview-over" title={`Past ${network}'s ${rule.maxLength} characters for a title: refused`}>
          <span className="visually-hidden">Past the limit, refused: </span>
          {title.slice(rule.maxLength).join('')}
        </mark>
      ) : null}
    </p>
  );
}
