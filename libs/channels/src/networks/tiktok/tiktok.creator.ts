/**
 * What a TikTok creator may post, as `POST /v2/post/publish/creator_info/query/`
 * answers it: the privacy levels offered, whether comments, duets and
 * stitches are off, and the longest video (seconds). Read when the channel
 * connects (kept in its details, checked when a post is scheduled) and again
 * before each post (TikTok requires it; the creator may have changed them).
 * The post's own privacy and permissions (`networkOptions.tiktok`) are
 * judged against them, as TikTok's sharing guidelines want them offered.
 */
import { ContentViolation, PostContent } from '../../content';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { TikTokOptions } from './tiktok.options';

export interface TikTokCreator {
  privacyLevelOptions: string[];
  commentDisabled: boolean;
  duetDisabled: boolean;
  stitchDisabled: boolean;
  maxVideoPostDurationSec: number;
}

/** The privacy Herald posts with unless the post chooses one: the only one an unaudited app may use. */
export const TIKTOK_PRIVACY = 'SELF_ONLY';

export async function readCreator(api: NetworkClient): Promise<TikTokCreator> {
  const { body } = await api.post('/v2/post/publish/creator_info/query/', {});
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  const options = Array.isArray(data.privacy_level_options) ? data.privacy_level_options.filter((item): item is string => typeof item === 'string') : [];
  const max = Number(field(body, 'data', 'max_video_post_duration_sec'));
  if (options.length === 0 || !Number.isFinite(max) || max <= 0) throw new NetworkError('transient', 'bad_answer', "TikTok's creator info said no privacy levels or no longest video", { ambiguous: false });
  return {
    privacyLevelOptions: options,
    commentDisabled: data.comment_disabled === true,
    duetDisabled: data.duet_disabled === true,
    stitchDisabled: data.stitch_disabled === true,
    maxVideoPostDurationSec: max,
  };
}

/** The creator kept in a channel's details, if it is there and whole. */
export function creatorOf(details: Record<string, unknown> | undefined): TikTokCreator | undefined {
  const creator = details?.creator as Partial<TikTokCreator> | undefined;
  if (!creator || !Array.isArray(creator.privacyLevelOptions) || typeof creator.maxVideoPostDurationSec !== 'number') return undefined;
  return creator as TikTokCreator;
}

/** The post's `networkOptions.tiktok` (the API checked their shape against the schema). */
export function tiktokOptionsOf(content: { options?: Record<string, unknown> }): TikTokOptions {
  return (content.options ?? {}) as TikTokOptions;
}

/** What TikTok's `post_info` says of who sees the post and what others may do with it: the post's choices, else the defaults the creator allows. */
export function postSettingsOf(
  creator: TikTokCreator,
  options: TikTokOptions,
): { privacy_level: string; disable_comment: boolean; disable_duet: boolean; disable_stitch: boolean; brand_organic_toggle: boolean; brand_content_toggle: boolean } {
  return {
    privacy_level: options.privacy ?? TIKTOK_PRIVACY,
    disable_comment: options.allowComments === undefined ? creator.commentDisabled : !options.allowComments,
    disable_duet: options.allowDuet === undefined ? creator.duetDisabled : !options.allowDuet,
    disable_stitch: options.allowStitch === undefined ? creator.stitchDisabled : !options.allowStitch,
    brand_organic_toggle: options.yourBrand === true,
    brand_content_toggle: options.brandedContent === true,
  };
}

const TURNED_OFF = [
  { option: 'allowComments', setting: 'commentDisabled', what: 'comments' },
  { option: 'allowDuet', setting: 'duetDisabled', what: 'duets' },
  { option: 'allowStitch', setting: 'stitchDisabled', what: 'stitches' },
] as const;

/**
 * What the creator's settings refuse of this content and its options: a
 * privacy the creator does not offer, comments, duets or stitches allowed
 * where the creator turned them off, a video longer than the creator may post.
 */
export function creatorViolations(creator: TikTokCreator, content: Pick<PostContent, 'media' | 'options'>): ContentViolation[] {
  const violations: ContentViolation[] = [];
  const options = tiktokOptionsOf(content);
  const privacy = options.privacy ?? TIKTOK_PRIVACY;
  if (!creator.privacyLevelOptions.includes(privacy)) {
    const chosen = options.privacy !== undefined ? `the post asks for ${privacy}` : `Herald posts as ${privacy} (all an unaudited app may) unless the post chooses another`;
    violations.push({ code: 'privacy_level_unavailable', field: 'privacy', message: `This TikTok creator offers ${creator.privacyLevelOptions.join(', ')}; ${chosen}, which it does not offer` });
  }
  if (options.brandedContent === true && privacy === 'SELF_ONLY') {
    const chosen = options.privacy !== undefined ? 'the post asks for SELF_ONLY' : 'Herald posts as SELF_ONLY (all an unaudited app may) unless the post chooses another';
    violations.push({ code: 'branded_content_private', field: 'brandedContent', message: `TikTok does not let branded content (a paid partnership) be private, and ${chosen}: choose another privacy the creator offers, or do not mark it branded` });
  }
  for (const { option, setting, what } of TURNED_OFF) {
    if (options[option] === true && creator[setting]) {
      violations.push({ code: `${what}_turned_off`, field: option, message: `This TikTok creator turned ${what} off in its settings: the post cannot allow them` });
    }
  }
  for (const item of content.media) {
    if (item.durationMs !== undefined && item.durationMs > creator.maxVideoPostDurationSec * 1000) {
      violations.push({
        code: 'video_too_long_for_creator',
        message: `The video runs ${(item.durationMs / 1000).toFixed(1)} s; this TikTok creator may post videos of up to ${creator.maxVideoPostDurationSec} s`,
      });
    }
  }
  return violations;
}
