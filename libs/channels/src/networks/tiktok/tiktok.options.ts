/**
 * `networkOptions.tiktok`: the post's privacy and whether others may
 * comment, duet and stitch. TikTok wants each offered as the creator allows
 * (`creator_info/query`: its privacy levels, comments, duets and stitches
 * turned off in its settings); that check is the adapter's (it needs the
 * creator). Defaults: `SELF_ONLY` (all an unaudited app may use) or the
 * channel's own, and comments, duets and stitches as the creator's settings
 * allow. Duets and stitches are for videos only. Whether the post promotes
 * something (TikTok's "disclose video content"): the creator's own brand
 * (`brand_organic_toggle`, labelled "Promotional content") or a third party
 * for pay (`brand_content_toggle`, labelled "Paid partnership"), which TikTok
 * does not let be private. Source: developers.tiktok.com
 * `/doc/content-posting-api-reference-direct-post`,
 * `/doc/content-sharing-guidelines`.
 */
import type { NetworkOptionsSpec } from '../../rules/descriptor';

export const TIKTOK_PRIVACIES = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const;

export interface TikTokOptions {
  privacy?: (typeof TIKTOK_PRIVACIES)[number];
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
  /** Promotes the creator's own business (TikTok labels it "Promotional content"). */
  yourBrand?: boolean;
  /** A paid partnership promoting a third party (TikTok labels it "Paid partnership"; never private). */
  brandedContent?: boolean;
}

export const TIKTOK_OPTIONS: NetworkOptionsSpec = {
  schema: {
    type: 'object',
    additionalProperties: false,
    description: 'TikTok: who sees the post, and whether others may comment, duet and stitch (each only as the creator allows)',
    properties: {
      privacy: { type: 'string', enum: [...TIKTOK_PRIVACIES], description: "One of the creator's privacy levels (GET /v1/channels/{id}: tiktok.privacyLevels); default: the channel's, else SELF_ONLY" },
      allowComments: { type: 'boolean', description: "Others may comment; default: as the creator's settings allow" },
      allowDuet: { type: 'boolean', description: "Others may duet the video (videos only); default: as the creator's settings allow" },
      allowStitch: { type: 'boolean', description: "Others may stitch the video (videos only); default: as the creator's settings allow" },
      yourBrand: { type: 'boolean', description: 'The post promotes the creator\'s own business (TikTok labels it "Promotional content"); default: false' },
      brandedContent: { type: 'boolean', description: 'The post is a paid partnership promoting a third party (TikTok labels it "Paid partnership"; it cannot be private, SELF_ONLY); default: false' },
    },
  },
  channelDefaults: ['privacy', 'allowComments', 'allowDuet', 'allowStitch'],
  // What the creator allows, as read when the channel connected (read again before each post).
  choices: (details) => {
    const creator = (details.creator ?? {}) as Record<string, unknown>;
    return {
      privacyLevels: Array.isArray(creator.privacyLevelOptions) ? creator.privacyLevelOptions : [],
      commentDisabled: creator.commentDisabled === true,
      duetDisabled: creator.duetDisabled === true,
      stitchDisabled: creator.stitchDisabled === true,
      maxVideoSeconds: typeof creator.maxVideoPostDurationSec === 'number' ? creator.maxVideoPostDurationSec : null,
    };
  },
  violations(options, content) {
    const { allowDuet, allowStitch } = options as TikTokOptions;
    const photos = content.media.length > 0 && content.media.every((item) => (item.type ?? (item.mimeType?.startsWith('video/') ? 'video' : 'image')) === 'image');
    if (photos && (allowDuet === true || allowStitch === true)) {
      return [{ code: 'duet_stitch_video_only', message: 'Duets and stitches are for videos; a TikTok photo post takes neither', field: allowDuet === true ? 'allowDuet' : 'allowStitch' }];
    }
    return [];
  },
};
