/**
 * TikTok (Content Posting API, Direct Post): a post is one video, sent in
 * chunks (`FILE_UPLOAD`) or pulled by TikTok from Herald's signed media
 * link (`PULL_FROM_URL`, TIKTOK_VIDEO_SOURCE=pull), or a photo post of 1 to
 * 35 photos (JPEG or WebP, 20 MB and 1080p each [unverified: "1080p" read as
 * 1920 pixels on the longest side], never mixed with a video), which TikTok
 * always pulls (`content/init`: photos take no upload). The text is the
 * video's caption (`post_info.title`, 2,200 characters) or the photo post's
 * description (TikTok takes 4,000 there; Herald keeps one limit, the
 * caption's). Before each post the creator's settings are read
 * (`creator_info/query`): the privacy levels it offers, whether comments,
 * duets and stitches are off, and the longest video it may post. An app
 * TikTok has not audited can post only privately (`SELF_ONLY`): Herald
 * posts so unless a post chooses otherwise. TikTok's API has no delete.
 * Sources: developers.tiktok.com `/doc/content-posting-api-reference-direct-post`,
 * `/doc/content-posting-api-reference-photo-post`,
 * `/doc/content-posting-api-media-transfer-guide`,
 * `/doc/content-posting-api-reference-query-creator-info`,
 * `/doc/content-posting-api-reference-get-video-status`,
 * `/doc/content-sharing-guidelines`, `/doc/oauth-user-access-token-management`.
 */
import type { NetworkDescriptor } from '../../rules/descriptor';
import { TIKTOK_OPTIONS } from './tiktok.options';

/** TikTok's cap on Direct Posts per creator a day [unverified: "about 15", from the API's usage guidelines]. */
export const TIKTOK_POSTS_A_DAY = 15;

export const TIKTOK = {
  network: 'tiktok' as const,
  rules: {
    network: 'tiktok',
    displayName: 'TikTok',
    text: { maxLength: 2200, counting: "characters (Unicode code points) of the video's caption" },
    media: {
      maxImages: 35,
      maxVideos: 1,
      mixed: false,
      minItems: 1,
      // Photo posts: JPEG or WebP (PNG is converted), 20 MB, at most 1080p.
      image: { types: ['image/jpeg', 'image/webp'], maxBytes: 20 * 1024 * 1024, maxDimension: 1920, fits: ['bytes', 'pixels', 'type'], convertTo: 'image/jpeg' },
      // MP4, WebM, MOV; 4 GB; at most 10 minutes (a creator may be allowed less: creator_info's max_video_post_duration_sec).
      video: { types: ['video/mp4', 'video/webm', 'video/quicktime'], maxBytes: 4 * 1024 * 1024 * 1024, maxDurationMs: 600_000 },
    },
    honoursIdempotencyKey: false,
    deletion: { supported: false, how: "TikTok's Content Posting API has no delete: take the video down in the TikTok app" },
  },
  mark: {
    path: 'M12.525.02c1.31-.02 2.61-.01 3.91-.02.08 1.53.63 3.09 1.75 4.17 1.12 1.11 2.7 1.62 4.24 1.79v4.03c-1.44-.05-2.89-.35-4.2-.97-.57-.26-1.1-.59-1.62-.93-.01 2.92.01 5.84-.02 8.75-.08 1.4-.54 2.79-1.35 3.94-1.31 1.92-3.58 3.17-5.91 3.21-1.43.08-2.86-.31-4.08-1.03-2.02-1.19-3.44-3.37-3.65-5.71-.02-.5-.03-1-.01-1.49.18-1.9 1.12-3.72 2.58-4.96 1.66-1.44 3.98-2.13 6.15-1.72.02 1.48-.04 2.96-.04 4.44-.99-.32-2.15-.23-3.02.37-.63.41-1.11 1.04-1.36 1.75-.21.51-.15 1.07-.14 1.61.24 1.64 1.82 3.02 3.5 2.87 1.12-.01 2.19-.66 2.77-1.61.19-.33.4-.67.41-1.06.1-1.79.06-3.57.07-5.36.01-4.03-.01-8.05.02-12.07z',
    hex: null,
  },
  endpoints: {
    api: { real: 'https://open.tiktokapis.com', variable: 'TIKTOK_API_URL', mockPath: '' },
    authorize: { real: 'https://www.tiktok.com/v2/auth/authorize/', variable: 'TIKTOK_AUTHORIZE_URL', mockPath: '/v2/auth/authorize/' },
    token: { real: 'https://open.tiktokapis.com/v2/oauth/token/', variable: 'TIKTOK_TOKEN_URL', mockPath: '/v2/oauth/token/' },
  },
  app: { name: 'tiktok', clientIdVariable: 'TIKTOK_CLIENT_KEY', clientSecretVariable: 'TIKTOK_CLIENT_SECRET' },
  defaultQuota: `${TIKTOK_POSTS_A_DAY}/24h`,
  quotaNote: `TikTok lets a creator publish about ${TIKTOK_POSTS_A_DAY} videos a day through the API; NETWORK_QUOTAS sets the cap`,
  note: "Until TikTok has audited the operator's app, it posts privately only (SELF_ONLY, seen by the creator alone): choose another of the creator's levels once it has, or make a video public in the TikTok app.",
  options: TIKTOK_OPTIONS,
  settings: [
    {
      variable: 'TIKTOK_VIDEO_SOURCE',
      values: ['upload', 'pull'],
      default: 'upload',
      description: "How videos reach TikTok: `upload` sends them in chunks (FILE_UPLOAD); `pull` lets TikTok fetch them from Herald's signed links (PULL_FROM_URL), which TikTok does only from a domain the operator verified in its developer portal",
    },
  ],
} satisfies NetworkDescriptor<'tiktok'>;
