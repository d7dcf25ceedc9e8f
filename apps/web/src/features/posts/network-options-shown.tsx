/**
 * A post's network options on its page (`networkOptions`, PRODUCT.md
 * section 14), in words: a YouTube title, privacy and tags; who sees a
 * TikTok post and what others may do with it; the Pinterest board (by its
 * name), pin title and link; a Business Profile post's type, event, offer
 * and button. Nothing when the post has none. Reads only the catalog (no
 * counting rules: the post page stays light).
 */
import type { ChannelView, PostView } from '../../api/views';
import { NETWORK_NAMES } from '../channels/api';
import { CALL_TO_ACTION_WORDS, LOCAL_POST_TYPE_WORDS, TIKTOK_PRIVACY_WORDS, YOUTUBE_PRIVACY_WORDS, boardsOf } from '../channels/network-choices';

type Options = NonNullable<PostView['networkOptions']>;

function factsOf(options: Options, channels: ChannelView[]): [ChannelView['network'], [string, string][]][] {
  const found: [ChannelView['network'], [string, string][]][] = [];
  const { youtube, tiktok, pinterest, google_business: business } = options;
  if (youtube) {
    found.push(['youtube', [
      ...(youtube.title ? [['Title', youtube.title] as [string, string]] : []),
      ...(youtube.privacy ? [['Privacy', YOUTUBE_PRIVACY_WORDS[youtube.privacy]] as [string, string]] : []),
      ...(youtube.tags?.length ? [['Tags', youtube.tags.join(', ')] as [string, string]] : []),
    ]]);
  }
  if (tiktok) {
    const allowed = [tiktok.allowComments ? 'comment' : null, tiktok.allowDuet ? 'duet' : null, tiktok.allowStitch ? 'stitch' : null].filter(Boolean);
    const promotes = tiktok.brandedContent ? 'a third party, paid (labelled “Paid partnership”)' : tiktok.yourBrand ? 'its own brand (labelled “Promotional content”)' : null;
    found.push([
      'tiktok',
      [
        ...(tiktok.privacy ? [['Seen by', TIKTOK_PRIVACY_WORDS[tiktok.privacy]] as [string, string]] : []),
        ['Others may', allowed.length > 0 ? allowed.join(', ') : 'neither comment, duet nor stitch'],
        ...(promotes ? [['Promotes', promotes] as [string, string]] : []),
      ],
    ]);
  }
  if (pinterest) {
    const board = pinterest.boardId ? (channels.flatMap(boardsOf).find((entry) => entry.id === pinterest.boardId)?.name ?? pinterest.boardId) : undefined;
    found.push(['pinterest', [...(board ? [['Board', board] as [string, string]] : []), ...(pinterest.title ? [['Pin title', pinterest.title] as [string, string]] : []), ...(pinterest.link ? [['Link', pinterest.link] as [string, string]] : [])]]);
  }
  if (business) {
    const type = business.topicType ?? 'STANDARD';
    const event = business.event;
    const offer = business.offer;
    const button = business.callToAction;
    found.push(['google_business', [
      ['Type', LOCAL_POST_TYPE_WORDS[type]],
      ...(event ? [[type === 'OFFER' ? 'Offer' : 'Event', `${event.title}, ${event.startsAt.replace('T', ' ')} to ${event.endsAt.replace('T', ' ')}`] as [string, string]] : []),
      ...(offer?.couponCode ? [['Coupon', offer.couponCode] as [string, string]] : []),
      ...(offer?.redeemUrl ? [['Redeem at', offer.redeemUrl] as [string, string]] : []),
      ...(button ? [['Button', `${CALL_TO_ACTION_WORDS[button.actionType]}${button.url ? ` → ${button.url}` : ''}`] as [string, string]] : []),
    ]]);
  }
  return found.filter(([, facts]) => facts.length > 0);
}

export function NetworkOptionsShown({ options, channels }: { options: Options | undefined; channels: ChannelView[] }) {
  const shown = options ? factsOf(options, channels) : [];
  if (shown.length === 0) return null;
  return (
    <div className="option-facts-list">
      {shown.map(([network, facts]) => (
        <div key={network}>
          <h3>For {NETWORK_NAMES[network]}</h3>
          <dl className="option-facts">
            {facts.map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}
