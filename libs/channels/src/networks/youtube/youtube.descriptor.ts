/**
 * YouTube (Data API v3): a post is one video, sent by resumable upload; the
 * text's first line is the video's title (100 characters, required), the
 * whole text its description (5,000 bytes); neither may hold `<` or `>`.
 * A vertical video of at most 3 minutes is a Short (YouTube decides by its
 * shape; there is no other API). Every upload costs 1,600 of the 10,000
 * quota units a day Google gives a project by default: 6 uploads a day.
 * Sources: developers.google.com `/youtube/v3/docs/videos/insert`,
 * `/youtube/v3/guides/using_resumable_upload_protocol`,
 * `/youtube/v3/determine_quota_cost`, `/youtube/v3/docs/errors`;
 * support.google.com/youtube `/answer/71673` (file size, length).
 */
import type { NetworkDescriptor } from '../../rules/descriptor';
import { YOUTUBE_OPTIONS } from './youtube.options';

/** Google's default daily quota of a project, and what one `videos.insert` costs of it. */
export const YOUTUBE_DAILY_UNITS = 10_000;
export const YOUTUBE_UPLOAD_UNITS = 1_600;

export const YOUTUBE = {
  network: 'youtube' as const,
  rules: {
    network: 'youtube',
    displayName: 'YouTube',
    text: {
      maxLength: 5000,
      maxBytes: 5000,
      counting: "characters (Unicode code points), and at most 5000 bytes of UTF-8: the video's description; its first line is also the title",
      title: { maxLength: 100, from: 'the first line of the text' },
      forbiddenCharacters: '<>',
    },
    media: {
      maxImages: 0,
      maxVideos: 1,
      mixed: false,
      minItems: 1,
      image: { types: [], maxBytes: 0, fits: [] },
      // 256 GB or 12 hours, whichever is less (an account not yet verified: 15 minutes).
      video: {
        types: ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-msvideo', 'video/mpeg', 'video/3gpp', 'video/x-flv', 'video/x-ms-wmv'],
        maxBytes: 256 * 1024 * 1024 * 1024,
        maxDurationMs: 12 * 3_600_000,
      },
    },
    honoursIdempotencyKey: false,
    // videos.delete needs the youtube or youtube.force-ssl scope (full management of the account); Herald asks for youtube.upload and youtube.readonly only.
    deletion: { supported: false, how: 'Deleting a video (`videos.delete`) needs full management of the YouTube account, which Herald does not ask for: delete it in YouTube Studio' },
  },
  mark: {
    path: 'M23.498 6.186a3.016 3.016 0 0 0-2.122-2.136C19.505 3.545 12 3.545 12 3.545s-7.505 0-9.377.505A3.017 3.017 0 0 0 .502 6.186C0 8.07 0 12 0 12s0 3.93.502 5.814a3.016 3.016 0 0 0 2.122 2.136c1.871.505 9.376.505 9.376.505s7.505 0 9.377-.505a3.015 3.015 0 0 0 2.122-2.136C24 15.93 24 12 24 12s0-3.93-.502-5.814zM9.545 15.568V8.432L15.818 12l-6.273 3.568z',
    hex: '#FF0000',
  },
  endpoints: {
    // The Data API and its upload endpoint share Google's API host: /youtube/v3/... and /upload/youtube/v3/...
    api: { real: 'https://www.googleapis.com', variable: 'YOUTUBE_API_URL', mockPath: '' },
    authorize: { real: 'https://accounts.google.com/o/oauth2/v2/auth', variable: 'YOUTUBE_AUTHORIZE_URL', mockPath: '/o/oauth2/v2/auth' },
    token: { real: 'https://oauth2.googleapis.com/token', variable: 'YOUTUBE_TOKEN_URL', mockPath: '/token' },
  },
  app: { name: 'google', clientIdVariable: 'GOOGLE_CLIENT_ID', clientSecretVariable: 'GOOGLE_CLIENT_SECRET' },
  defaultQuota: `${Math.floor(YOUTUBE_DAILY_UNITS / YOUTUBE_UPLOAD_UNITS)}/24h`,
  quotaNote: `an upload costs ${YOUTUBE_UPLOAD_UNITS.toLocaleString('en-US')} of the ${YOUTUBE_DAILY_UNITS.toLocaleString('en-US')} quota units Google gives a project a day by default; NETWORK_QUOTAS sets the cap`,
  note: "Videos uploaded through an API project Google has not audited stay private until it is: YouTube's rule, not Herald's.",
  options: YOUTUBE_OPTIONS,
} satisfies NetworkDescriptor<'youtube'>;
