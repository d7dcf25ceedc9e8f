/** TikTok at its own origin: its error format, its OAuth v2 and the Content Posting API's routes (videos pulled from a URL). */
import type { MockNetworkModule } from '../more';
import { TIKTOK_ERRORS } from './tiktok.face';
import { registerTikTok } from './tiktok';

export const TIKTOK_MOCK = {
  name: 'tiktok', errors: TIKTOK_ERRORS, register: registerTikTok,
  // TikTok's video fields (POST /v2/video/query/); Herald does not read them yet.
  metricFields: ['view_count', 'like_count', 'comment_count', 'share_count'],
  largeMetrics: ['view_count'],
} satisfies MockNetworkModule<'tiktok'>;
