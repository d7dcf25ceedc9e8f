/** TikTok at its own origin: its error format, its OAuth v2 and the Content Posting API's routes (videos pulled from a URL or uploaded in chunks of up to 128 MB). */
import type { MockNetworkModule } from '../more';
import { TIKTOK_ERRORS } from './tiktok.face';
import { registerTikTok } from './tiktok';

export const TIKTOK_MOCK = {
  name: 'tiktok', errors: TIKTOK_ERRORS, register: registerTikTok, bodyLimit: 130 * 1024 * 1024,
  // TikTok's video fields (POST /v2/video/query/); Herald does not read them yet.
  metricFields: ['view_count', 'like_count', 'comment_count', 'share_count'],
  largeMetrics: ['view_count'],
} satisfies MockNetworkModule<'tiktok'>;
