/**
 * What a TikTok creator may post, as `POST /v2/post/publish/creator_info/query/`
 * answers it: the privacy levels offered, whether comments, duets and
 * stitches are off, and the longest video (seconds). Read when the channel
 * connects (kept in its details, checked when a post is scheduled) and again
 * before each post (TikTok requires it; the creator may have changed them).
 */
import { ContentViolation, PostContent } from '../../content';
import { NetworkError } from '../../errors';
import { field } from '../../http/http';
import { NetworkClient } from '../../http/network-client';

export interface TikTokCreator {
  privacyLevelOptions: string[];
  commentDisabled: boolean;
  duetDisabled: boolean;
  stitchDisabled: boolean;
  maxVideoPostDurationSec: number;
}

/** The privacy Herald posts with: the only one an unaudited app may use. */
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

/** What the creator's settings refuse of this content: a privacy Herald cannot use, a video longer than the creator may post. */
export function creatorViolations(creator: TikTokCreator, content: Pick<PostContent, 'media'>): ContentViolation[] {
  const violations: ContentViolation[] = [];
  if (!creator.privacyLevelOptions.includes(TIKTOK_PRIVACY)) {
    violations.push({
      code: 'privacy_level_unavailable',
      message: `This TikTok creator offers ${creator.privacyLevelOptions.join(', ')}; Herald posts as ${TIKTOK_PRIVACY} (all an unaudited app may), which it does not offer`,
    });
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
